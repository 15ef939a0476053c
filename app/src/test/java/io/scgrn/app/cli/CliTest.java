package io.scgrn.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.app.run.Versions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them: exit codes, one-line errors, inspect and evaluate output. */
class CliTest {
    @TempDir
    Path tmp;

    @Test
    void helpOfEveryCommandListsTheExitCodes() {
        for (String cmd : List.of("inspect", "infer", "evaluate", "bench")) {
            Cli r = Cli.run(cmd, "--help");
            assertEquals(0, r.code(), r::toString);
            for (String line : List.of("Exit codes:", "  2   usage", "  4   an input file", "  5   the data",
                    "130   interrupted")) {
                assertTrue(r.out().contains(line), () -> cmd + " help lacks '" + line + "':\n" + r.out());
            }
        }
    }

    @Test
    void versionComesFromTheBuild() {
        Cli r = Cli.run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("scgrn " + Versions.scgrn()), r::toString);
        assertFalse(Versions.scgrn().equals("unknown"), "version.properties was not filtered");
    }

    @Test
    void noCommandIsAUsageError() {
        Cli r = Cli.run();
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("Usage: scgrn"), r::toString);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli r = Cli.run("infer", "--no-such-option", "x.h5ad");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("scgrn: Unknown option: '--no-such-option'"), r::toString);
    }

    @Test
    void inspectPrintsAnnDataLikeSummary() {
        Cli r = Cli.run("inspect", Cli.EXAMPLE.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("AnnData object with n_obs × n_vars = 700 × 765"), r::toString);
        assertTrue(r.out().contains("X: array float32, 535,500 stored entries (100.00% dense)"), r::toString);
        assertTrue(r.out().contains("'bulk_labels' category[10]"), r::toString);
        assertTrue(r.out().contains("obsm: 'X_pca', 'X_umap'"), r::toString);
        assertTrue(r.out().contains("raw: 765 vars"), r::toString);
        assertTrue(r.out().contains("encodings: anndata 0.1.0, /X array 0.2.0"), r::toString);
    }

    @Test
    void inspectJsonHasShapeAndModalities() {
        Cli r = Cli.run("inspect", "--json", "--stats", Cli.EXAMPLE.toString());
        assertEquals(0, r.code(), r::toString);
        JsonObject j = new JsonObject(r.out());
        assertEquals(700, j.getInteger("n_obs"));
        assertEquals(765, j.getInteger("n_vars"));
        JsonObject rna = j.getJsonObject("modalities").getJsonObject("rna");
        assertEquals(700, rna.getInteger("n_obs"));
        assertEquals("array", rna.getJsonObject("X").getString("encoding"));
        assertEquals(765, rna.getInteger("raw_n_vars"));
        assertEquals("categorical 0.2.0", j.getJsonObject("encodings").getString("/obs/bulk_labels"));
        JsonObject stats = j.getJsonObject("stats").getJsonObject("rna");
        assertEquals(535_433L, stats.getLong("non_zero"));
        // Reference values from numpy on the same file: (X != 0).sum(1) and X.sum(1).
        assertEquals(763.0, stats.getJsonObject("cell_detected").getDouble("min"));
        assertEquals(765.0, stats.getJsonObject("cell_detected").getDouble("max"));
        assertEquals(-109.052, stats.getJsonObject("cell_totals").getDouble("min"), 1e-3);
        assertEquals(212.73, stats.getJsonObject("cell_totals").getDouble("max"), 1e-3);
    }

    @Test
    void inspectSummarisesMultimodalAnd10xFiles() {
        Path h5mu = Path.of("src", "test", "resources", "cli", "mudata_v0.1.2.h5mu");
        Cli r = Cli.run("inspect", "--json", h5mu.toString());
        assertEquals(0, r.code(), r::toString);
        JsonObject j = new JsonObject(r.out());
        assertEquals(100, j.getInteger("n_obs"));
        assertEquals(50, j.getInteger("n_vars"));
        assertEquals(20, j.getJsonObject("modalities").getJsonObject("mod1").getInteger("n_vars"));
        assertEquals(30, j.getJsonObject("modalities").getJsonObject("mod2").getInteger("n_vars"));
        assertEquals("MuData 0.1.0", j.getJsonObject("encodings").getString("/"));

        Cli tenx = Cli.run("inspect", "--stats", Cli.TENX.toString());
        assertEquals(0, tenx.code(), tenx::toString);
        assertTrue(tenx.out().contains("10x Genomics matrix (10x-v3), read as MuData object with n_obs × n_vars = "
                + "1107 × 507"), tenx::toString);
        assertTrue(tenx.out().contains("X: csr_matrix int32, 23,866 stored entries"), tenx::toString);
        assertTrue(tenx.out().contains("stats of matrix (/matrix): 23,866 stored entries"), tenx::toString);
    }

    @Test
    void inspectOfANonHdf5FileIsExit4WithOneLineNamingTheFile() throws IOException {
        Path bad = Files.writeString(tmp.resolve("notes.h5ad"), "this is not HDF5\n");
        Cli r = Cli.run("inspect", bad.toString());
        assertEquals(4, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("scgrn: ") && r.err().contains(bad.toString()), r::toString);
    }

    @Test
    void inspectOfAMissingFileIsExit4() {
        Cli r = Cli.run("inspect", tmp.resolve("absent.h5ad").toString());
        assertEquals(4, r.code(), r::toString);
        assertTrue(r.err().contains("absent.h5ad: no such file"), r::toString);
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.h5"), "x");
        Cli r = Cli.run("inspect", "-v", bad.toString());
        assertEquals(4, r.code(), r::toString);
        assertTrue(r.err().lines().count() > 3 && r.err().contains("\tat "), r::toString);
    }

    @Test
    void evaluateComputesBeelineScores() {
        Path dir = Path.of("src", "test", "resources", "cli");
        Cli r = Cli.run("evaluate", "--pred", dir.resolve("pred.tsv").toString(), "--truth",
                dir.resolve("truth.csv").toString(), "--json");
        assertEquals(0, r.code(), r::toString);
        JsonObject j = new JsonObject(r.out());
        // Truth genes A, B, C (D and X are not candidates); candidates A->B, A->C, B->A, B->C; true A->B, B->C
        // (density 1/2). Ranking A->B, A->C (|-0.8|), B->C, then B->A unscored: top-2 precision 1/2 -> EPR 1;
        // AP (1 + 2/3)/2 = 5/6 -> ratio 5/3; AUROC: A->B beats both negatives, B->C one of two -> 3/4.
        assertEquals(1.0, j.getDouble("epr"), 1e-9);
        assertEquals(5.0 / 3.0, j.getDouble("auprc_ratio"), 1e-9);
        assertEquals(0.75, j.getDouble("auroc"), 1e-9);
        assertEquals(4, j.getInteger("n_candidates"));
        assertEquals(5, j.getInteger("n_predictions"));
        Cli text = Cli.run("evaluate", "--pred", dir.resolve("pred.tsv").toString(), "--truth",
                dir.resolve("truth.csv").toString());
        assertTrue(text.out().contains("EPR             1.0000"), text::toString);
    }

    @Test
    void evaluateWithAMissingFileIsExit4() {
        Cli r = Cli.run("evaluate", "--pred", tmp.resolve("none.tsv").toString(), "--truth",
                tmp.resolve("none.csv").toString());
        assertEquals(4, r.code(), r::toString);
        assertTrue(r.err().contains("none.tsv: no such file"), r::toString);
    }

    @Test
    void benchRunsModelsOverBenchmarkSets() {
        Path dir = Path.of("src", "test", "resources", "cli", "bench");
        Cli r = Cli.run("bench", dir.toString(), "--models", "pearson", "-q");
        assertEquals(0, r.code(), r::toString);
        // Planted edges TF1 -> G1..G3, TF2 -> G4..G6 are the top 6 of 14 candidates: EPR = 14/6.
        String row = r.out().lines().filter(l -> l.contains("synthetic-planted") && l.contains("pearson"))
                .findFirst().orElseThrow(() -> new AssertionError(r.toString()));
        assertTrue(row.contains("2.333"), row);
    }

    @Test
    void benchWithAnUnknownModelIsAUsageError() {
        Cli r = Cli.run("bench", Path.of("src", "test", "resources", "cli", "bench").toString(), "--models", "nope");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("unknown model 'nope'"), r::toString);
    }
}
