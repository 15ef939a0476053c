package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelInputs;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class TermReliabilityTest {
    /** 10 TFs (g0..g9), 60 genes; g10..g39 each driven by TF j % 10, the rest independent noise. */
    private static ExpressionMatrix planted() {
        List<int[]> edges = new ArrayList<>();
        for (int j = 10; j < 40; j++) {
            edges.add(new int[] {j % 10, j, 120});
        }
        return Synthetic.linear(400, 60, 10, edges.toArray(new int[0][]), 5);
    }

    @Test
    void aTermWithoutSignalGainsNothingAndLosesItsWeight() {
        ExpressionMatrix data = planted();
        int g = data.nGenes();
        int[] tfIdx = ModelInputs.tfIndices(data, Synthetic.names("g", 10));
        // signal: |Pearson r| of TF and target (a real term); noise: seeded random scores
        float[] z = NnSupport.standardise(data);
        int n = data.nCells();
        float[] signal = new float[tfIdx.length * g];
        float[] noise = new float[tfIdx.length * g];
        Random rnd = new Random(1);
        for (int t = 0; t < tfIdx.length; t++) {
            for (int j = 0; j < g; j++) {
                double r = 0;
                for (int c = 0; c < n; c++) {
                    r += z[c * g + tfIdx[t]] * z[c * g + j];
                }
                signal[t * g + j] = tfIdx[t] == j ? 0 : (float) Math.abs(r / n);
                noise[t * g + j] = rnd.nextFloat();
            }
        }
        double[] gains = TermReliability.gains(data, tfIdx, List.of(signal, noise), 3, 0);
        // half of the targets are explained by one TF at R² ≈ 0.59: the signal term's top 3 include it
        assertTrue(gains[0] > 0.15, "signal gain " + gains[0]);
        assertTrue(Math.abs(gains[1]) < 0.05, "noise gain " + gains[1]);
        double[] w = TermReliability.weights(new double[] {1, 1}, gains, 1);
        assertTrue(w[1] < 0.2 * w[0], "noise weight " + w[1] + " vs " + w[0]);
        // seeded: the same split and control give the same gains
        assertArrayEquals(gains, TermReliability.gains(data, tfIdx, List.of(signal, noise), 3, 0));
        // conditional on a base term: the base itself adds nothing to its own regulators
        double[] cond = TermReliability.gains(data, tfIdx, List.of(signal, noise), 3, 0, signal);
        assertEquals(0, cond[0], 1e-12);
        assertTrue(cond[1] < 0.05, "noise adds " + cond[1]);
    }

    @Test
    void weightsKeepTheBaseWhereNoTermBeatsTheControl() {
        assertArrayEquals(new double[] {1, 2}, TermReliability.weights(new double[] {1, 2},
                new double[] {-0.1, 0}, 1));
        assertArrayEquals(new double[] {0.5, 0}, TermReliability.weights(new double[] {1, 2},
                new double[] {0.5, -0.2}, 1));
        assertArrayEquals(new double[] {0.25, 0.02}, TermReliability.weights(new double[] {1, 2},
                new double[] {0.5, 0.1}, 2), 1e-12);
        // soft weights: the best term keeps its weight, a gain tau lower loses a factor e
        assertArrayEquals(new double[] {1, 2 / Math.E}, TermReliability.softWeights(new double[] {1, 2},
                new double[] {0.03, 0.02}, 0.01), 1e-12);
    }

    @Test
    void topPicksTheHighestScoringTfsOtherThanTheTarget() {
        // 3 TFs (genes 0, 2, 4) × 5 genes; target 2 is TF 2 itself and is skipped
        float[] s = {
            0.1f, 0.5f, 0.9f, 0.3f, 0.2f,
            0.8f, 0.4f, 0.1f, 0.3f, 0.2f,
            0.7f, 0.6f, 0.5f, 0.3f, 0.2f};
        int[] tfIdx = {0, 2, 4};
        assertArrayEquals(new int[] {4, 0}, TermReliability.top(s, tfIdx, 5, 1, 2));
        assertArrayEquals(new int[] {0, 4}, TermReliability.top(s, tfIdx, 5, 2, 2));
        // ties keep the lower TF row first
        assertArrayEquals(new int[] {0, 2, 4}, TermReliability.top(s, tfIdx, 5, 3, 3));
        assertEquals(1, TermReliability.top(s, tfIdx, 5, 0, 1).length);
    }
}
