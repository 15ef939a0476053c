package io.scgrn.models.bench;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.H5adWriter;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.prep.PrepOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchmarkRunnerTest {
    private static final String README = """
            # sets
            | dataset | pearson EPR / AUPRC ratio / s | grnboost2 EPR / AUPRC ratio / s | genie3 EPR / AUPRC ratio / s |
            |---|---|---|---|
            | sergio-T1 | 1.500 / 1.250 / 0 | 2.000 / 1.750 / 39 | – |
            | curated-X | 1.000 / 1.000 / 0 | – | 1.100 / 1.200 / 5 |

            | group | pearson |
            |---|---|
            | sergio | 9 / 9 |
            """;

    /**
     * A tiny set: 200 cells, TF0 → G0 strongly, TF1 → G1, G2 constant (so preparation drops it and TF0→G2 stays
     * unscored), noise elsewhere; truth TF0→G0, TF1→G1, TF0→G2.
     */
    private static void writeSet(Path dir) throws IOException {
        Files.createDirectories(dir);
        int n = 200;
        List<String> genes = List.of("TF0", "TF1", "G0", "G1", "G2", "G3");
        Random rnd = new Random(1);
        float[] x = new float[n * genes.size()];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            cells.add("c" + c);
            for (int j = 0; j < genes.size(); j++) {
                x[c * 6 + j] = (float) (6 + rnd.nextGaussian());
            }
            x[c * 6 + 2] = (float) (x[c * 6] + 0.2 * rnd.nextGaussian());
            x[c * 6 + 3] = (float) (x[c * 6 + 1] + 0.5 * rnd.nextGaussian());
            x[c * 6 + 4] = 2.5f;
        }
        AnnData a = new AnnData(null, "/", DataFrame.empty(cells), DataFrame.empty(genes),
                DenseMatrix.ofFloats(n, genes.size(), x), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                null);
        H5adWriter.write(dir.resolve("data.h5ad"), a);
        Files.writeString(dir.resolve("truth.csv"), "Gene1,Gene2\nTF0,G0\nTF1,G1\nTF0,G2\n");
        Files.writeString(dir.resolve("tfs.txt"), "TF0\nTF1\n");
    }

    @Test
    void runsModelsOverSetsAndReportsMediansPublishedNumbersAndFloor(@TempDir Path root) throws IOException {
        writeSet(root.resolve("sergio-T1"));
        Files.writeString(root.resolve("README.md"), README);
        Files.createDirectories(root.resolve("not-a-set"));
        var o = new BenchmarkRunner.BenchOptions(root, List.of("pearson", "spearman"), List.of(), 0, Map.of(),
                PrepOptions.defaults());
        List<BenchmarkRunner.Row> rows = BenchmarkRunner.run(o, Progress.NONE);
        assertEquals(2, rows.size());
        BenchmarkRunner.Row p = rows.get(0);
        assertEquals("sergio", p.group());
        // candidates: TF0, TF1 × {TF0, TF1, G0, G1, G2} minus self-loops = 8; 3 true; the two planted edges rank
        // first, TF0→G2 is unscored (G2 was dropped) so the third slot is a false edge: EPR = (2/3) / (3/8)
        assertEquals(8, p.scores().nCandidates());
        assertEquals((2.0 / 3) / (3.0 / 8), p.scores().epr(), 1e-9);
        assertTrue(p.prepSteps().get(0).contains("already normalised"), p.prepSteps().toString());
        assertTrue(p.prepSteps().stream().anyMatch(x -> x.contains("dropped 1 genes")), p.prepSteps().toString());

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        BenchmarkRunner.printReport(rows, PublishedScores.read(root.resolve("README.md")),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String report = buf.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("| sergio-T1 | pearson | 1.778 |"), report);
        assertTrue(report.contains("2.000 / 1.750 / 39.0"), report);
        assertTrue(report.contains("| sergio | 1.78 /"), report);
        assertTrue(report.contains("published grnboost2"), report);
        assertTrue(report.contains("Pearson-floor violations"), report);

        assertThrows(ModelException.class, () -> BenchmarkRunner.run(new BenchmarkRunner.BenchOptions(root,
                List.of("pearson"), List.of("nothing-matches"), 0, Map.of(), null), Progress.NONE));
    }

    @Test
    void publishedTableIsParsedWithDashesAsMissing(@TempDir Path root) throws IOException {
        Path readme = root.resolve("README.md");
        Files.writeString(readme, README);
        PublishedScores s = PublishedScores.read(readme);
        assertEquals(2.0, s.get("sergio-T1", "grnboost2").orElseThrow().epr());
        assertEquals(39.0, s.get("sergio-T1", "grnboost2").orElseThrow().seconds());
        assertTrue(s.get("sergio-T1", "genie3").isEmpty());
        assertEquals(1.2, s.get("curated-X", "genie3").orElseThrow().auprcRatio());
        assertEquals(List.of("pearson", "grnboost2", "genie3"), s.tools());
        assertTrue(PublishedScores.read(root.resolve("missing.md")).byDataset().isEmpty());
        assertEquals("beeline Specific", BenchmarkRunner.group("beeline-mDC-Specific-500"));
        assertEquals("beeline STRING+NonSpecific", BenchmarkRunner.group("beeline-mDC-STRING-500"));
        assertEquals("curated", BenchmarkRunner.group("curated-HSC-0-1"));
    }

    @Test
    void refCheckScoresStoredReferencePredictions(@TempDir Path root) throws IOException {
        Path set = root.resolve("sergio-T1");
        Files.createDirectories(set);
        Files.writeString(set.resolve("truth.csv"), "Gene1,Gene2\nA,B\nA,C\nB,D\n");
        try (var out = new GZIPOutputStream(Files.newOutputStream(
                set.resolve("reference_grnboost2.tsv.gz")))) {
            out.write("source\ttarget\tscore\nA\tB\t3\nA\tC\t2\nB\tD\t1\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(root.resolve("README.md"), README);
        List<BenchmarkRunner.RefCheck> rc = BenchmarkRunner.refCheck(root);
        assertEquals(1, rc.size());
        // perfect prediction: EPR = 1 / density = 2, not the README's 2.000 / 1.750 → AUPRC disagrees
        assertEquals(2.0, rc.get(0).scores().epr(), 1e-12);
        assertEquals(false, rc.get(0).agrees());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        BenchmarkRunner.printRefCheck(rc, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("Agreement: 0 of 1"));
    }
}
