package io.scgrn.models.motif;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoringMatrixTest {
    /** Enumerates all 4^w sequences to check the dynamic-programming threshold and p-values exactly. */
    @Test
    void thresholdAndPValuesMatchBruteForce() {
        MotifMatrix m = MotifDatabase.bundled().motifs().get(0); // MA0004.1 Arnt, width 6
        double[] bg = {0.3, 0.2, 0.2, 0.3};
        for (double p : new double[] {1e-2, 1e-3}) {
            ScoringMatrix s = ScoringMatrix.of(0, m, bg, p)[0];
            int w = m.width();
            int n = 1 << (2 * w);
            int max = s.maxScore();
            double[] mass = new double[max + 1];
            byte[] seq = new byte[w];
            for (int code = 0; code < n; code++) {
                double prob = 1;
                for (int i = 0; i < w; i++) {
                    seq[i] = (byte) ((code >> (2 * i)) & 3);
                    prob *= bg[seq[i]];
                }
                mass[s.score(seq, 0)] += prob;
            }
            double tail = 0;
            double[] upper = new double[max + 2];
            for (int v = max; v >= 0; v--) {
                tail += mass[v];
                upper[v] = tail;
            }
            int t = s.threshold();
            assertTrue(upper[t] <= p, "P(S >= T) <= p");
            assertTrue(upper[t - 1] > p, "T is the smallest such score");
            for (int v = t; v <= max; v++) {
                assertEquals(upper[v], s.pValue(v), 1e-12);
            }
        }
    }

    @Test
    void reverseMatrixScoresTheReverseComplement() {
        MotifMatrix m = MotifDatabase.bundled().motifs().get(5);
        ScoringMatrix[] s = ScoringMatrix.of(0, m, new double[] {0.25, 0.25, 0.25, 0.25}, 1e-4);
        Random rnd = new Random(1);
        for (int rep = 0; rep < 100; rep++) {
            byte[] seq = new byte[m.width()];
            for (int i = 0; i < seq.length; i++) {
                seq[i] = (byte) rnd.nextInt(4);
            }
            byte[] rc = new byte[seq.length];
            for (int i = 0; i < seq.length; i++) {
                rc[i] = (byte) (3 - seq[seq.length - 1 - i]);
            }
            assertEquals(s[0].score(rc, 0), s[1].score(seq, 0));
        }
    }

    /** The block (4-mer lookup, look-ahead) scan finds exactly the best hits that brute force finds. */
    @Test
    void blockScanEqualsBruteForce() {
        List<MotifMatrix> all = MotifDatabase.bundled().motifs();
        Random rnd = new Random(11);
        List<MotifMatrix> some = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            some.add(all.get(rnd.nextInt(all.size())));
        }
        MotifScanner sc = new MotifScanner(some, new double[] {0.3, 0.2, 0.2, 0.3}, 1e-3);
        byte[][] seqs = new byte[30][];
        for (int q = 0; q < seqs.length; q++) {
            seqs[q] = new byte[rnd.nextInt(400)];
            for (int i = 0; i < seqs[q].length; i++) {
                seqs[q][i] = (byte) (rnd.nextInt(50) == 0 ? 4 : rnd.nextInt(4));
            }
        }
        ScanHits got = sc.scan(seqs, null);
        Map<String, Float> expected = new TreeMap<>();
        for (int q = 0; q < seqs.length; q++) {
            for (MotifScanner.Hit h : sc.hits(seqs[q])) {
                expected.merge(q + "/" + h.motif(), (float) -Math.log10(h.pValue()), Math::max);
            }
        }
        Map<String, Float> actual = new TreeMap<>();
        for (int i = 0; i < got.size(); i++) {
            actual.put(got.peak()[i] + "/" + got.motif()[i], got.log10p()[i]);
        }
        assertTrue(expected.size() > 100, "enough hits to compare: " + expected.size());
        assertEquals(expected, actual);
    }

    @Test
    void nNeverMatches() {
        MotifMatrix m = new MotifMatrix("X", "X", new double[][] {{10, 0, 0, 0}, {0, 10, 0, 0}, {0, 0, 10, 0},
            {0, 0, 0, 10}, {10, 0, 0, 0}, {0, 10, 0, 0}, {0, 0, 10, 0}, {0, 0, 0, 10}});
        MotifScanner sc = new MotifScanner(List.of(m), new double[] {0.25, 0.25, 0.25, 0.25}, 1e-4);
        assertEquals(1, sc.hits(new byte[] {0, 1, 2, 3, 0, 1, 2, 3}).stream().filter(h -> h.strand() > 0).count());
        assertEquals(0, sc.hits(new byte[] {0, 1, 2, 3, 4, 1, 2, 3}).size());
    }
}
