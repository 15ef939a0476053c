package io.scgrn.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.app.errors.BadRequestException;
import io.scgrn.app.errors.InputFileException;
import io.scgrn.models.Edge;
import io.scgrn.models.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's all-or-nothing output, cancellation, side-file parsing and request checks. */
class InferPipelineTest {
    static final Path TINY = Path.of("src", "test", "resources", "cli", "tiny.h5ad");

    @TempDir
    Path tmp;

    @Test
    void cancelledRunLeavesNoOutputAndThrowsCancellation() {
        Path out = tmp.resolve("new").resolve("out");
        AtomicInteger phases = new AtomicInteger();
        // Cancels as soon as the second phase starts (after the file was read).
        Progress cancelAfterRead = new Progress() {
            @Override
            public void phase(String name) {
                phases.incrementAndGet();
            }

            @Override
            public boolean cancelled() {
                return phases.get() >= 2;
            }
        };
        InferRequest req = InferRequest.builder(TINY).model("pearson").outDir(out).build();
        assertThrows(CancellationException.class, () -> InferPipeline.run(req, cancelAfterRead));
        assertFalse(Files.exists(tmp.resolve("new")), "folders created by a cancelled run must be removed");
    }

    @Test
    void rerunReplacesOutputsAndKeepsOtherFiles() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        Files.createDirectories(out.resolve("groups/stale"));
        Files.writeString(out.resolve("groups/stale/network.tsv"), "old");
        InferRequest req = InferRequest.builder(TINY).model("pearson").groupby("bulk_labels").writeH5ad(false)
                .outDir(out).build();
        InferResult first = InferPipeline.run(req, Progress.NONE);
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertFalse(Files.exists(out.resolve("groups/stale")), "groups/ of an earlier run is replaced as a whole");
        assertTrue(first.files().keySet().stream().anyMatch(n -> n.startsWith("groups/")), first.files()::toString);
        byte[] network = Files.readAllBytes(first.networkTsv());
        InferResult second = InferPipeline.run(req, Progress.NONE);
        assertEquals(new String(network), Files.readString(second.networkTsv()), "same seed, same network");
        try (Stream<Path> s = Files.list(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")));
        }
    }

    @Test
    void resultDescribesTheRun() {
        InferRequest req = InferRequest.builder(TINY).model("pearson").species("human").writeH5ad(false)
                .outDir(tmp.resolve("o")).build();
        InferResult r = InferPipeline.run(req, Progress.NONE);
        assertEquals("pearson", r.model());
        assertEquals("cpu", r.device());
        assertEquals(120, r.nCells());
        assertTrue(r.nTfs() > 0 && r.nGenes() > r.nTfs(), r::toString);
        assertEquals(List.of("read", "prepare", "atac", "infer", "regulons", "write"),
                List.copyOf(r.timingsMs().keySet()));
        assertTrue(Files.isRegularFile(r.manifest()));
        assertTrue(r.scores().isEmpty());
    }

    @Test
    void truthFileScoresTheNetwork() throws IOException {
        List<String> lines = Files.readAllLines(InferPipeline.run(InferRequest.builder(TINY).model("pearson")
                .writeH5ad(false).outDir(tmp.resolve("a")).build(), Progress.NONE).networkTsv());
        // The run's own top 20 edges as "truth": the network must rank them first.
        StringBuilder truth = new StringBuilder("Gene1,Gene2\n");
        for (String l : lines.subList(1, 21)) {
            String[] f = l.split("\t");
            truth.append(f[0]).append(',').append(f[1]).append('\n');
        }
        Path t = Files.writeString(tmp.resolve("truth.csv"), truth);
        InferResult r = InferPipeline.run(InferRequest.builder(TINY).model("pearson").writeH5ad(false).truth(t)
                .outDir(tmp.resolve("b")).build(), Progress.NONE);
        assertEquals(1.0, r.scores().get("early_precision"), 1e-12, r.scores()::toString);
        assertEquals(20.0, r.scores().get("n_true"), r.scores()::toString);
    }

    @Test
    void aFailureWhileTheNetworkFilesAreWrittenLeavesNoOutput() throws IOException {
        // network.tsv and network.arrow are written on a second thread while the truth is read: a truth file that
        // cannot be read ends the run with its error, after the writer, and nothing of the run is left
        Path out = tmp.resolve("new").resolve("out");
        Path truth = Files.writeString(tmp.resolve("truth.csv"), "Gene1\nGene0\n");
        InferRequest req = InferRequest.builder(TINY).model("pearson").writeH5ad(false).truth(truth).outDir(out)
                .build();
        assertThrows(InputFileException.class, () -> InferPipeline.run(req, Progress.NONE));
        assertFalse(Files.exists(tmp.resolve("new")), "folders created by a failed run must be removed");
        // the same run with a readable truth: both files
        Files.writeString(truth, "Gene1,Gene2\nGene0,Gene1\n");
        InferResult r = InferPipeline.run(req, Progress.NONE);
        assertTrue(Files.readAllLines(r.networkTsv()).size() > 1);
        assertTrue(Files.size(out.resolve(InferPipeline.NETWORK_ARROW)) > 0);
    }

    @Test
    void unknownPreparationOptionIsABadRequest() {
        InferRequest req = InferRequest.builder(TINY).prepParam("n-top-gene", "10").outDir(tmp.resolve("o")).build();
        BadRequestException e = assertThrows(BadRequestException.class, () -> InferPipeline.run(req, Progress.NONE));
        assertTrue(e.getMessage().contains("n-top-gene"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void outputPathThatIsAFileIsABadRequest() throws IOException {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        InferRequest req = InferRequest.builder(TINY).model("pearson").outDir(file).build();
        BadRequestException e = assertThrows(BadRequestException.class, () -> InferPipeline.run(req, Progress.NONE));
        assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
    }

    @Test
    void priorFilesWithAndWithoutHeader() throws IOException {
        Path withHeader = Files.writeString(tmp.resolve("p1.tsv"), "source\ttarget\tweight\nA\tB\t0.5\nC\tD\t1\n");
        assertEquals(List.of(new Edge("A", "B", 0.5, 0, Double.NaN), new Edge("C", "D", 1.0, 0, Double.NaN)),
                EdgeFiles.readPrior(withHeader));
        Path plain = Files.writeString(tmp.resolve("p2.csv"), "# comment\nA,B\n\nC,D\n");
        assertEquals(2, EdgeFiles.readPrior(plain).size());
        assertEquals(1.0, EdgeFiles.readPrior(plain).get(0).score());
        Path bad = Files.writeString(tmp.resolve("p3.tsv"), "tf\ttarget\tscore\nA\tB\t7\n");
        InputFileException e = assertThrows(InputFileException.class, () -> EdgeFiles.readPrior(bad));
        assertTrue(e.getMessage().startsWith(bad + ": line 2: prior score 7 is not in 0..1"), e.getMessage());
        Path empty = Files.writeString(tmp.resolve("p4.tsv"), "tf\ttarget\n");
        assertThrows(InputFileException.class, () -> EdgeFiles.readPrior(empty));
    }

    @Test
    void groupFolderNamesAreSafeAndDistinct() {
        Map<String, String> names = InferPipeline.safeNames(List.of("CD4+ T", "CD4- T", "cd4+ t", "..", "", "B/NK"));
        assertEquals(List.of("CD4_T", "CD4-_T", "cd4_t-2", "group", "group-2", "B_NK"), List.copyOf(names.values()));
    }

    @Test
    void requestRejectsBadValuesAtOnce() {
        assertThrows(BadRequestException.class, () -> InferRequest.builder(TINY).device("tpu").build());
        assertThrows(BadRequestException.class, () -> InferRequest.builder(TINY).species("fish").build());
        assertThrows(BadRequestException.class, () -> InferRequest.builder(TINY).topRegulonTargets(0).build());
        assertEquals(Path.of("scgrn-out", "tiny"), InferRequest.builder(TINY).build().outDir());
    }
}
