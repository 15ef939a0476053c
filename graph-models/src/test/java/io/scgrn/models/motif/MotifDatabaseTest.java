package io.scgrn.models.motif;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MotifDatabaseTest {
    private static MotifDatabase parse(String text) {
        return MotifDatabase.parse(text.getBytes(StandardCharsets.UTF_8), "test.txt");
    }

    @Test
    void bundledJasparHas879MotifsWithDimerNames() {
        MotifDatabase db = MotifDatabase.bundled();
        assertEquals(879, db.motifs().size());
        assertEquals("2a6c7c24afb0614ed418c9f02b68845adebf38f80f6cebabbcd5de804eaacb59", db.sha256());
        MotifMatrix arnt = db.motifs().get(0);
        assertEquals("MA0004.1", arnt.id());
        assertEquals(List.of("ARNT"), arnt.tfNames());
        assertEquals(6, arnt.width());
        assertArrayEquals(new double[] {4, 16, 0, 0}, arnt.counts()[0]);
        MotifMatrix dimer = db.motifs().stream().filter(m -> m.name().equals("RXRA::VDR")).findFirst().orElseThrow();
        assertEquals(List.of("RXRA", "VDR"), dimer.tfNames());
        assertTrue(db.motifs().stream().mapToInt(MotifMatrix::width).min().getAsInt() >= 5);
        assertTrue(db.motifs().stream().mapToInt(MotifMatrix::width).max().getAsInt() <= 33);
    }

    @Test
    void variantSuffixIsDropped() {
        MotifMatrix m = new MotifMatrix("X", "FOS::JUN(var.2)", new double[][] {{1, 0, 0, 0}});
        assertEquals(List.of("FOS", "JUN"), m.tfNames());
    }

    @Test
    void readsJasparWithAndWithoutLettersAndBrackets() {
        MotifDatabase db = parse(">M1 Foo\nA [ 1 2 ]\nC [ 3 4 ]\nG [ 5 6 ]\nT [ 7 8 ]\n\n>M2\n1 0\n0 1\n0 0\n0 0\n");
        assertEquals(2, db.motifs().size());
        assertArrayEquals(new double[] {2, 4, 6, 8}, db.motifs().get(0).counts()[1]);
        assertEquals("M2", db.motifs().get(1).name());
        assertArrayEquals(new double[] {0, 1, 0, 0}, db.motifs().get(1).counts()[1]);
    }

    @Test
    void readsMemeAsCountsFromProbabilitiesAndSites() {
        String meme = "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\n"
                + "A 0.25 C 0.25 G 0.25 T 0.25\n\nMOTIF MA0001.1 AGL3\n"
                + "letter-probability matrix: alength= 4 w= 2 nsites= 10 E= 0\n 0.5 0.5 0 0\n 0 0 0.1 0.9\n\n"
                + "URL http://example\n\nMOTIF M2\nletter-probability matrix: alength= 4 w= 1\n 1 0 0 0\n";
        MotifDatabase db = parse(meme);
        assertEquals(2, db.motifs().size());
        assertEquals("AGL3", db.motifs().get(0).name());
        assertArrayEquals(new double[] {0, 0, 1, 9}, db.motifs().get(0).counts()[1], 1e-9);
        assertArrayEquals(new double[] {20, 0, 0, 0}, db.motifs().get(1).counts()[0], 1e-9);
    }

    @Test
    void malformedFilesNameTheLine() {
        MotifInputException e = assertThrows(MotifInputException.class,
                () -> parse(">M1 Foo\nA [ 1 2 ]\nC [ 3 x ]\nG [ 5 6 ]\nT [ 7 8 ]\n"));
        assertTrue(e.getMessage().contains("test.txt line 3"), e.getMessage());
        e = assertThrows(MotifInputException.class, () -> parse(">M1 Foo\nA [ 1 2 ]\nC [ 3 4 5 ]\nG [ 5 6 ]\n"));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("columns"), e.getMessage());
        e = assertThrows(MotifInputException.class, () -> parse(">M1 Foo\nA [ 1 2 ]\nC [ 3 4 ]\n>M2\n"));
        assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("2 count rows"), e.getMessage());
        e = assertThrows(MotifInputException.class, () -> parse("hello\n"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        e = assertThrows(MotifInputException.class, () -> parse("MEME version 4\n\nMOTIF A\n"
                + "letter-probability matrix: alength= 4 w= 2\n0.25 0.25 0.25 0.25\n0.5 0.5\n"));
        assertTrue(e.getMessage().contains("line 6") && e.getMessage().contains("4 probabilities"), e.getMessage());
        e = assertThrows(MotifInputException.class, () -> parse("MEME version 4\n"));
        assertTrue(e.getMessage().contains("no motifs"), e.getMessage());
    }
}
