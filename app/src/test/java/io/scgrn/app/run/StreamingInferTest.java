package io.scgrn.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.app.errors.BadRequestException;
import io.scgrn.models.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --prep stream=on} gives the same outputs as the in-memory path, byte for byte. */
class StreamingInferTest {
    static final Path TINY = Path.of("src", "test", "resources", "cli", "tiny.h5ad");
    static final Path TENX = Path.of("src", "test", "resources", "cli", "10x_v3.h5");

    @TempDir
    Path tmp;

    private InferResult run(String stream, String layer, Map<String, String> prep, String out) {
        Map<String, String> p = new LinkedHashMap<>(prep);
        p.put("stream", stream);
        InferRequest req = InferRequest.builder(TINY).model("pearson").groupby("bulk_labels").layer(layer)
                .prepParams(p).outDir(tmp.resolve(out)).build();
        return InferPipeline.run(req, Progress.NONE);
    }

    private static void assertSameFiles(Path a, Path b) throws IOException {
        try (Stream<Path> s = Files.walk(a)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String rel = a.relativize(f).toString();
                if (rel.equals(InferPipeline.MANIFEST) || rel.equals(InferPipeline.RESULT_H5AD)) {
                    continue; // timings, creation time, paths
                }
                assertTrue(Files.isRegularFile(b.resolve(rel)), rel);
                assertTrue(Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(rel))), rel);
            }
        }
    }

    @Test
    void streamedNetworksEqualInMemoryNetworksWithGroups() throws IOException {
        InferResult mem = run("off", null, Map.of(), "mem");
        InferResult st = run("on", null, Map.of(), "st");
        assertSameFiles(mem.outDir(), st.outDir());
        assertSameFiles(st.outDir(), mem.outDir());
        String manifest = Files.readString(st.manifest());
        assertTrue(manifest.contains("\"streamed\" : true") || manifest.contains("\"streamed\": true"), manifest);
        try (Stream<Path> groups = Files.list(st.outDir().resolve("groups"))) {
            assertTrue(groups.count() >= 2, "one network per group");
        }
    }

    @Test
    void streamedMetacellsEqualInMemoryMetacells() throws IOException {
        InferResult mem = run("off", null, Map.of("metacells", "5", "n-top-genes", "40"), "mem");
        InferResult st = run("on", null, Map.of("metacells", "5", "n-top-genes", "40"), "st");
        assertSameFiles(mem.outDir(), st.outDir());
    }

    @Test
    void streamingA10xFileOnRequestIsAUsageError() {
        InferRequest req = InferRequest.builder(TENX).model("pearson").prepParams(Map.of("stream", "on"))
                .outDir(tmp.resolve("x")).build();
        BadRequestException e = assertThrows(BadRequestException.class, () -> InferPipeline.run(req, Progress.NONE));
        assertTrue(e.getMessage().contains("10x"), e.getMessage());
        InferRequest bad = InferRequest.builder(TINY).model("pearson").prepParams(Map.of("stream", "maybe"))
                .outDir(tmp.resolve("y")).build();
        assertThrows(BadRequestException.class, () -> InferPipeline.run(bad, Progress.NONE));
    }
}
