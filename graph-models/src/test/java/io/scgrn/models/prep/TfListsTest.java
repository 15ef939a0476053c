package io.scgrn.models.prep;

import io.scgrn.models.ModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TfListsTest {
    @Test
    void bundledListsHaveTheirPublishedSizes() {
        List<String> human = TfLists.forSpecies("human");
        List<String> mouse = TfLists.forSpecies("Mouse");
        assertEquals(1639, human.size());
        assertEquals(1721, mouse.size());
        assertTrue(human.contains("GATA1") && human.contains("SPI1"));
        assertTrue(mouse.contains("Gata1") && mouse.contains("Spi1"));
        ModelException e = assertThrows(ModelException.class, () -> TfLists.forSpecies("zebrafish"));
        assertEquals("species", e.field());
        assertTrue(e.getMessage().contains("human, mouse"));
    }

    @Test
    void speciesIsDetectedFromGeneNameCase() {
        assertEquals("human", TfLists.detectSpecies(List.of("GATA1", "SPI1", "CD34", "MT-CO1", "HLA-A", "ACTB",
                "GAPDH", "NKX2-1", "FOXP3", "TP53", "C1QA", "H2AZ1")));
        assertEquals("mouse", TfLists.detectSpecies(List.of("Gata1", "Spi1", "Cd34", "mt-Co1", "H2-K1", "Actb",
                "Gapdh", "Nkx2-1", "Foxp3", "Trp53", "C1qa", "Hbb-bs")));
        assertThrows(ModelException.class, () -> TfLists.detectSpecies(List.of("ENSG000001", "ENSG000002")));
        assertThrows(ModelException.class, () -> TfLists.detectSpecies(List.of("GATA1", "Gata1", "SPI1", "Spi1",
                "CD34", "Cd34", "ACTB", "Actb", "TP53", "Trp53")));
        assertEquals(1721, TfLists.forData(List.of("Gata1", "Spi1", "Cd34", "Actb", "Gapdh", "Foxp3", "Trp53",
                "Sox2", "Pou5f1", "Nanog"), "auto").size());
    }

    @Test
    void userFilesMayBePlainListsOrCsvWithHeader(@TempDir Path dir) throws IOException {
        Path plain = dir.resolve("tfs.txt");
        Files.writeString(plain, "GATA1\n\n# comment\nSPI1\nGATA1\n");
        assertEquals(List.of("GATA1", "SPI1"), TfLists.read(plain));
        Path csv = dir.resolve("tfs.csv");
        Files.writeString(csv, "TF,Sources\nAATF,RegNetwork|TRRUST\n\"ABL1\",TRRUST\n");
        assertEquals(List.of("AATF", "ABL1"), TfLists.read(csv));
        // a byte-order mark (spreadsheet export) must not become part of the first name; gzip is read too
        Path bom = dir.resolve("bom.txt");
        Files.write(bom, ("\uFEFFGata2\r\nSpi1\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of("Gata2", "Spi1"), TfLists.read(bom));
        Path gz = dir.resolve("tfs.txt.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("GATA1\nSPI1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(List.of("GATA1", "SPI1"), TfLists.read(gz));
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n#x\n");
        ModelException e = assertThrows(ModelException.class, () -> TfLists.read(empty));
        assertTrue(e.getMessage().contains("empty.txt"));
        assertThrows(ModelException.class, () -> TfLists.read(dir.resolve("missing.txt")));
    }
}
