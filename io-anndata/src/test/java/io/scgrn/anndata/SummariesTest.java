package io.scgrn.anndata;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummariesTest {

    /** The metadata-only summary must agree with the summary of the fully read file, for every test file. */
    @TestFactory
    Stream<DynamicTest> fileSummaryAgreesWithFullRead() throws IOException {
        Path root = TestFiles.resource("expected.json").getParent();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().matches(".*\\.h5(ad|mu)?$") && !p.toString().contains("/bad/"))
                    .sorted().toList();
        }
        assertTrue(files.size() >= 20, "found " + files.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(root.relativize(f).toString(), () -> {
            Summary full = Summaries.summarize(AnnDataFiles.readAny(f));
            Summary lazy = Summaries.summarizeFile(f);
            assertEquals(full.kind(), lazy.kind());
            assertEquals(full.nObs(), lazy.nObs());
            assertEquals(full.nVars(), lazy.nVars());
            assertEquals(full.modalities().size(), lazy.modalities().size());
            assertEquals(full.obs(), lazy.obs(), "global obs of " + f);
            for (int i = 0; i < full.modalities().size(); i++) {
                Summary.Modality a = full.modalities().get(i);
                Summary.Modality b = lazy.modalities().get(i);
                assertEquals(a.name(), b.name());
                assertEquals(a.nObs(), b.nObs());
                assertEquals(a.nVars(), b.nVars());
                assertEquals(a.x(), b.x(), "X of " + a.name());
                assertEquals(a.obs(), b.obs());
                assertEquals(a.var(), b.var());
                assertEquals(a.layers(), b.layers());
                assertEquals(a.rawNVars(), b.rawNVars());
            }
        }));
    }

    @Test
    void pbmcSummary() {
        Summary s = Summaries.summarize(AnnDataFiles.readAny(
                TestFiles.resource("formats/scanpy/pbmc68k_reduced_2025-11.h5ad")));
        assertEquals("h5ad", s.kind());
        assertEquals(1, s.modalities().size());
        Summary.Modality m = s.modalities().get(0);
        assertEquals(700, m.nObs());
        assertEquals(765, m.nVars());
        assertEquals("array", m.x().encoding());
        assertEquals("float32", m.x().dtype());
        assertEquals(1.0, m.x().density());
        Summary.ColumnInfo louvain = m.obs().stream().filter(c -> c.name().equals("louvain")).findFirst()
                .orElseThrow();
        assertEquals("categorical", louvain.type());
        assertEquals(11, louvain.nCategories());
        assertEquals(765, m.rawNVars());
        assertTrue(m.obsm().contains("X_umap"));
        assertEquals("csr_matrix 0.1.0", s.encodings().get("/raw/X"));
        assertEquals("categorical 0.2.0", s.encodings().get("/obs/louvain"));
        assertEquals("anndata 0.1.0", s.encodings().get("/"));
    }

    @Test
    void nullableAndNoX() {
        Summary s = Summaries.summarize(AnnDataFiles.readAny(TestFiles.fixture("nullable.h5ad")));
        Summary.ColumnInfo nint = s.modalities().get(0).obs().stream().filter(c -> c.name().equals("nint"))
                .findFirst().orElseThrow();
        assertEquals(3, nint.nMissing());
        assertEquals("nullable-integer", nint.encoding());
        Summary noX = Summaries.summarize(AnnDataFiles.readAny(TestFiles.fixture("no_x.h5ad")));
        assertNull(noX.modalities().get(0).x());
    }

    @Test
    void multiomeModalities() {
        Summary s = Summaries.summarize(AnnDataFiles.readAny(TestFiles.fixture("tenx_multiome.h5")));
        assertEquals("10x-v3", s.kind());
        assertEquals(2, s.modalities().size());
        assertEquals("rna", s.modalities().get(0).name());
        assertEquals("atac", s.modalities().get(1).name());
        assertEquals(6, s.modalities().get(0).nVars());
        assertEquals("int32", s.modalities().get(1).x().dtype());
    }
}
