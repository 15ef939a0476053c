package io.scgrn.app.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scgrn batch through the real inference pipeline (fast correlation models on the tiny fixture). */
class BatchPipelineTest {
    @TempDir
    Path dir;

    @Test
    void realPipelineIsReproducibleResumableAndIsolatesABrokenInput() throws IOException {
        Fixtures.copyTiny(dir);
        // A file cut in half: the HDF5 superblock is fine, reading the matrix fails half-way.
        byte[] whole = Files.readAllBytes(dir.resolve("tiny.h5ad"));
        Files.write(dir.resolve("truncated.h5ad"), Arrays.copyOf(whole, whole.length / 2));
        Path plan = Fixtures.write(dir.resolve("plan.yaml"), """
                name: e2e
                seed: 3
                device: cpu
                tfs: tfs.txt
                datasets:
                  - {path: tiny.h5ad, truth: truth.csv}
                  - truncated.h5ad
                models: [pearson, spearman]
                """);
        Path out1 = dir.resolve("out1");
        Fixtures.Run r1 = Fixtures.batch(plan.toString(), "--out", out1.toString(), "-j", "2", "-q");
        assertEquals(3, r1.code(), r1.out() + r1.err());
        assertTrue(r1.out().contains("4 task(s): 2 ok (0 reused), 2 failed"), r1.out());

        List<Path> ok = tasks(out1, "tiny-");
        assertEquals(2, ok.size());
        for (Path d : ok) {
            TaskManifest m = TaskManifest.read(d);
            assertEquals(TaskStatus.OK, m.status(), String.valueOf(m.error()));
            assertEquals("cpu", m.deviceUsed());
            assertEquals(3, m.seed());
            assertTrue(m.nEdges() > 0);
            assertTrue(Files.isRegularFile(d.resolve("manifest.json")), "the pipeline's own manifest");
            assertTrue(Files.isRegularFile(d.resolve("network.tsv")));
        }
        for (Path d : tasks(out1, "truncated-")) {
            TaskManifest m = TaskManifest.read(d);
            assertEquals(TaskStatus.FAILED, m.status());
            assertEquals(4, m.exitCode(), m.error());
            assertTrue(m.error().contains("truncated.h5ad"), m.error());
            assertFalse(Files.exists(d.resolve("network.tsv")));
        }
        JsonObject summary = new JsonObject(Files.readString(out1.resolve(ReportWriter.JSON)));
        JsonObject pearson = summary.getJsonArray("tasks").getJsonObject(0);
        assertEquals("pearson", pearson.getString("model"));
        // The fixture plants 4 targets per TF: pearson must find them far above random.
        assertTrue(pearson.getJsonObject("scores").getDouble("epr") > 2, pearson.encode());

        // Same plan, seed and device into another folder: byte-identical networks.
        Path out2 = dir.resolve("out2");
        assertEquals(3, Fixtures.batch(plan.toString(), "--out", out2.toString(), "-j", "1", "-q").code());
        for (Path d : ok) {
            Path twin = out2.resolve("tasks").resolve(d.getFileName());
            assertArrayEquals(Files.readAllBytes(d.resolve("network.tsv")), Files.readAllBytes(twin.resolve("network.tsv")),
                    "network of " + d.getFileName() + " differs between two runs");
        }

        // Rerun into the first folder: the complete tasks are reused, the broken input is tried again.
        Fixtures.Run r3 = Fixtures.batch(plan.toString(), "--out", out1.toString(), "-q");
        assertEquals(3, r3.code());
        assertTrue(r3.out().contains("2 ok (2 reused), 2 failed"), r3.out());
    }

    private static List<Path> tasks(Path out, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("tasks"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }
}
