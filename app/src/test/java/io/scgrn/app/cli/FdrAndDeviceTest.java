package io.scgrn.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.app.run.InferPipeline;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** q-values in the outputs, {@code --fdr}, and {@code --device gpu} on a machine without a usable GPU. */
class FdrAndDeviceTest {
    @TempDir
    Path tmp;

    /** network.tsv rows as [score, q]. */
    private static double[][] scoreAndQ(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("network.tsv"));
        assertEquals("q", lines.get(0).split("\t")[5]);
        double[][] v = new double[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            v[i - 1] = new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[5])};
        }
        return v;
    }

    @Test
    void everyEdgeHasAMonotoneQAndTheManifestCountsEdgesAtFivePercentAndTenPercent() throws IOException {
        Path out = tmp.resolve("all");
        Cli r = Cli.run("infer", Cli.TINY.toString(), "--model", "pearson", "--species", "human", "--out",
                out.toString(), "--quiet", "--no-h5ad");
        assertEquals(0, r.code(), r::toString);
        double[][] v = scoreAndQ(out);
        double prevQ = 0;
        int at05 = 0;
        int at10 = 0;
        for (double[] e : v) {
            assertTrue(e[1] > 0 && e[1] <= 1, "q out of (0, 1]: " + e[1]);
            assertTrue(e[1] >= prevQ, "q not monotone in score");
            prevQ = e[1];
            at05 += e[1] <= 0.05 ? 1 : 0;
            at10 += e[1] <= 0.10 ? 1 : 0;
        }
        assertTrue(at10 > 0 && at10 < v.length, "the tiny pbmc cut has some calibrated edges: " + at10);
        JsonObject m = new JsonObject(Files.readString(out.resolve("manifest.json")));
        assertEquals(at05, m.getJsonObject("counts").getInteger("edges_fdr_05"));
        assertEquals(at10, m.getJsonObject("counts").getInteger("edges_fdr_10"));
        assertEquals(Boolean.TRUE, m.getJsonObject("fdr").getBoolean("available"), m::encodePrettily);
        assertTrue(r.out().contains("edges at FDR 5 %: " + at05), r::toString);

        Path kept = tmp.resolve("fdr");
        Cli f = Cli.run("infer", Cli.TINY.toString(), "--model", "pearson", "--species", "human", "--fdr", "0.1",
                "--out", kept.toString(), "--quiet", "--no-h5ad");
        assertEquals(0, f.code(), f::toString);
        double[][] w = scoreAndQ(kept);
        assertEquals(at10, w.length, "--fdr 0.1 keeps exactly the edges with q <= 0.1");
        for (double[] e : w) {
            assertTrue(e[1] <= 0.1);
        }
        JsonObject mf = new JsonObject(Files.readString(kept.resolve("manifest.json")));
        assertEquals(at10, mf.getJsonObject("counts").getInteger("edges"));
        assertEquals(0.1, mf.getJsonObject("fdr").getDouble("max_q"));
        assertEquals(0.1, mf.getJsonObject("request").getDouble("fdr"));
    }

    @Test
    void fdrOutsideZeroOneIsAUsageError() {
        for (String q : List.of("0", "1.5", "-0.1", "NaN")) {
            Path out = tmp.resolve("bad" + q);
            Cli r = Cli.run("infer", Cli.TINY.toString(), "--model", "pearson", "--fdr", q, "--out", out.toString(),
                    "--quiet");
            assertEquals(ExitCodes.USAGE, r.code(), r::toString);
            assertTrue(r.err().contains("fdr: must be in (0, 1]"), r::toString);
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
            assertFalse(Files.exists(out), "nothing written for a usage error");
        }
        Cli one = Cli.run("infer", Cli.TINY.toString(), "--model", "pearson", "--species", "human", "--fdr", "1",
                "--out", tmp.resolve("one").toString(), "--quiet", "--no-h5ad");
        assertEquals(0, one.code(), one::toString);
    }

    @Test
    void tooFewCellsGivesANetworkWithoutQ() throws IOException {
        // 120 cells in metacells of 10: 12 rows, below DecoyCalibration.MIN_CELLS. (The one-line warning goes to the
        // log, slf4j-simple's stderr, which this JVM's logger captured before the test could redirect it.)
        Path out = tmp.resolve("few");
        Cli r = Cli.run("infer", Cli.TINY.toString(), "--model", "pearson", "--species", "human", "--prep",
                "metacells=10", "--fdr", "0.05", "--out", out.toString(), "--quiet", "--no-h5ad");
        assertEquals(0, r.code(), r::toString);
        double[][] v = scoreAndQ(out);
        assertTrue(v.length > 100, "--fdr is not applied without q-values: " + v.length);
        for (double[] e : v) {
            assertTrue(Double.isNaN(e[1]));
        }
        JsonObject m = new JsonObject(Files.readString(out.resolve("manifest.json")));
        assertEquals(12, m.getJsonObject("counts").getInteger("cells"));
        assertEquals(Boolean.FALSE, m.getJsonObject("fdr").getBoolean("available"));
        assertTrue(m.getJsonObject("fdr").getString("reason").contains("fewer than 20 cells"), m::encodePrettily);
        assertTrue(m.getJsonObject("counts").containsKey("edges_fdr_05"));
        assertEquals(null, m.getJsonObject("counts").getValue("edges_fdr_05"));
    }

    @Test
    void deviceGpuWithoutAUsableGpuStopsBeforeReadingTheInput() throws IOException {
        // Not an HDF5 file: reading it would fail with exit code 4, so exit code 6 proves the device is checked first.
        Path garbage = Files.writeString(tmp.resolve("garbage.h5ad"), "not an hdf5 file");
        Assumptions.assumeTrue(InferPipeline.gpuProblem() != null,
                "this machine has a usable GPU");
        Cli gnn = Cli.run("infer", garbage.toString(), "--model", "gnn", "--device", "gpu", "--out",
                tmp.resolve("g").toString());
        assertEquals(ExitCodes.DEVICE_UNAVAILABLE, gnn.code(), gnn::toString);
        assertTrue(gnn.err().contains("device: no usable GPU"), gnn::toString);
        assertEquals(1, gnn.err().strip().lines().count(), "one line: " + gnn);
        Cli pearson = Cli.run("infer", garbage.toString(), "--model", "pearson", "--device", "gpu", "--out",
                tmp.resolve("p").toString());
        assertEquals(ExitCodes.DEVICE_UNAVAILABLE, pearson.code(), pearson::toString);
        assertTrue(pearson.err().contains("model pearson runs on the CPU only"), pearson::toString);
        assertFalse(Files.exists(tmp.resolve("g")) || Files.exists(tmp.resolve("p")));

        // auto falls back to the CPU silently and records it.
        Path out = tmp.resolve("auto");
        Cli auto = Cli.run("infer", Cli.TINY.toString(), "--model", "gnn", "--species", "human", "--param",
                "epochs=5", "--device", "auto", "--out", out.toString(), "--quiet", "--no-h5ad");
        assertEquals(0, auto.code(), auto::toString);
        assertFalse(auto.err().contains("GPU"), auto::toString);
        JsonObject m = new JsonObject(Files.readString(out.resolve("manifest.json")));
        assertEquals("auto", m.getString("device_requested"));
        assertEquals("cpu", m.getString("device"));
    }
}
