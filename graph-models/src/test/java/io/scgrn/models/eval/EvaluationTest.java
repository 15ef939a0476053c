package io.scgrn.models.eval;

import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationTest {
    private static final double EPS = 1e-12;

    private static Edge e(String tf, String target, double score) {
        return new Edge(tf, target, score, 0, Double.NaN);
    }

    /** Truth A→B, A→C, B→D: sources {A,B}, genes {A,B,C,D}, 6 candidates, 3 true, density 1/2. */
    private static Truth smallTruth() {
        return Evaluation.truth(List.of(new String[] {"A", "B"}, new String[] {"A", "C"}, new String[] {"B", "D"}));
    }

    @Test
    void handComputedCaseWithTiesAndUnscoredCandidates() {
        // ranking: A→B .9 (T), B→A |-.8| (F), {A→D .5 (F), B→D .5 (T)} tied, then unscored {A→C (T), B→C (F)}
        List<Edge> pred = List.of(e("B", "D", 0.5), e("A", "D", 0.5), e("B", "A", -0.8), e("A", "B", 0.9),
                e("X", "B", 5.0), e("A", "A", 10.0), e("A", "Z", 3.0));
        Scores s = Evaluation.score(pred, smallTruth());
        assertEquals(3, s.nTrue());
        assertEquals(6, s.nCandidates());
        assertEquals(0.5, s.density(), EPS);
        // top 3 with ties broken alphabetically: A→B, B→A, A→D → one hit
        assertEquals(1.0 / 3, s.earlyPrecision(), EPS);
        assertEquals(2.0 / 3, s.epr(), EPS);
        // AP = 1·1/3 + 0 + (1/3)·(2/4) + (1/3)·(3/6) = 2/3
        assertEquals(2.0 / 3, s.auprc(), EPS);
        assertEquals(4.0 / 3, s.auprcRatio(), EPS);
        // ROC points (0,1/3) (1/3,1/3) (2/3,2/3) (1,1): area 5/9 (= Mann-Whitney with ties as 1/2)
        assertEquals(5.0 / 9, s.auroc(), EPS);
    }

    @Test
    void tieBreakAtTopKIsAlphabeticalNotInputOrder() {
        // B→D (true) and A→D (false) tie; the true one sorts later, so it falls outside the top 1..3 only by name
        Scores s1 = Evaluation.score(List.of(e("A", "D", 1), e("B", "D", 1), e("A", "B", 1)), smallTruth());
        Scores s2 = Evaluation.score(List.of(e("B", "D", 1), e("A", "B", 1), e("A", "D", 1)), smallTruth());
        // top 3 = A→B (T), A→D (F), B→D (T)
        assertEquals(2.0 / 3, s1.earlyPrecision(), EPS);
        assertEquals(s1, s2);
    }

    @Test
    void descendingScoreOrderIsTheStableComparatorSort() {
        // many ties, unscored slots (-inf) and zeros, slots with gaps: the order a stable sort of the boxed slots
        // by descending Double.compare gives
        java.util.Random r = new java.util.Random(3);
        double[] score = new double[5000];
        int[] slots = new int[4000];
        int n = 0;
        for (int s = 0; s < score.length; s++) {
            int kind = r.nextInt(10);
            score[s] = kind == 0 ? Double.NEGATIVE_INFINITY : kind == 1 ? 0 : r.nextInt(50) / 7.0;
            if (n < slots.length && r.nextInt(5) > 0) {
                slots[n++] = s;
            }
        }
        Integer[] expected = new Integer[n];
        for (int i = 0; i < n; i++) {
            expected[i] = slots[i];
        }
        java.util.Arrays.sort(expected, (a, b) -> Double.compare(score[b], score[a]));
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, Evaluation.byDescendingScore(slots, n, score));
    }

    @Test
    void perfectAndEmptyPredictions() {
        Scores perfect = Evaluation.score(List.of(e("A", "B", 3), e("A", "C", 2), e("B", "D", 1)), smallTruth());
        assertEquals(2.0, perfect.epr(), EPS);
        assertEquals(1.0, perfect.auprc(), EPS);
        assertEquals(1.0, perfect.auroc(), EPS);
        // nothing scored: every candidate tied, so AP = density, AUROC = 1/2, top-k in alphabetical order
        Scores none = Evaluation.score(List.of(), smallTruth());
        assertEquals(0.5, none.auprc(), EPS);
        assertEquals(1.0, none.auprcRatio(), EPS);
        assertEquals(0.5, none.auroc(), EPS);
        // alphabetical candidates: A→B (T), A→C (T), A→D (F)
        assertEquals(2.0 / 3, none.earlyPrecision(), EPS);
    }

    @Test
    void duplicatePredictionsKeepLargestAbsoluteScore() {
        Scores s = Evaluation.score(List.of(e("B", "A", 0.1), e("B", "A", -5), e("A", "B", 1)), smallTruth());
        // B→A |-5| (F) first, then A→B (T), then the unscored: AP = 0 + (1/3)(1/2) + (2/3)(3/6) = 1/2
        // (keeping the first score 0.1 instead would put A→B first: AP = 2/3)
        assertEquals(0.5, s.auprc(), EPS);
    }

    @Test
    void reproducesPublishedGrnboostScoresOnCuratedHsc() throws URISyntaxException {
        Truth truth = Evaluation.readTruth(resource("curated-HSC-0-1.truth.csv"));
        List<Edge> pred = Evaluation.readPredictions(resource("curated-HSC-0-1.grnboost2.tsv.gz"));
        assertEquals(110, pred.size());
        Scores s = Evaluation.score(pred, truth);
        assertEquals(26, s.nTrue());
        assertEquals(110, s.nCandidates());
        // benchmarks/README.md: grnboost2 on curated-HSC-0-1 = 1.627 / 1.776
        assertEquals(1.627, s.epr(), 5e-4);
        assertEquals(1.776, s.auprcRatio(), 5e-4);
    }

    @Test
    void readersAcceptCsvPlainAndGzipAndRejectBadLines(@TempDir Path dir) throws IOException {
        Path truth = dir.resolve("t.csv");
        Files.writeString(truth, "Gene1,Gene2\nA,B\nA,C\nB,D\nB,B\nA,B\n");
        Truth t = Evaluation.readTruth(truth);
        assertEquals(3, t.nTrue());
        assertEquals(List.of("A", "B"), t.sources());

        Path gz = dir.resolve("p.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("target\tscore\tTF\nB\t0.9\tA\nD\t-0.5\tB\n".getBytes(StandardCharsets.UTF_8));
        }
        List<Edge> p = Evaluation.readPredictions(gz);
        assertEquals(List.of(e("A", "B", 0.9), e("B", "D", -0.5)), p);

        Path csv = dir.resolve("p.csv");
        Files.writeString(csv, "Gene1,Gene2,EdgeWeight\nA,B,1\n");
        assertEquals(1, Evaluation.readPredictions(csv).size());

        Path bad = dir.resolve("bad.tsv");
        Files.writeString(bad, "source\ttarget\tscore\nA\tB\tx1\n");
        ModelException ex = assertThrows(ModelException.class, () -> Evaluation.readPredictions(bad));
        assertTrue(ex.getMessage().contains("bad.tsv") && ex.getMessage().contains("line 2"), ex.getMessage());

        Path noCols = dir.resolve("nocols.tsv");
        Files.writeString(noCols, "a\tb\tc\nA\tB\t1\n");
        assertThrows(ModelException.class, () -> Evaluation.readPredictions(noCols));

        Path shortLine = dir.resolve("short.csv");
        Files.writeString(shortLine, "Gene1,Gene2\nA\n");
        ex = assertThrows(ModelException.class, () -> Evaluation.readTruth(shortLine));
        assertTrue(ex.getMessage().contains("short.csv") && ex.getMessage().contains("line 2"), ex.getMessage());

        Path selfOnly = dir.resolve("self.csv");
        Files.writeString(selfOnly, "Gene1,Gene2\nA,A\n");
        Truth onlySelf = Evaluation.readTruth(selfOnly);
        assertThrows(ModelException.class, () -> Evaluation.score(List.of(), onlySelf));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(EvaluationTest.class.getResource(name).toURI());
    }
}
