package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.List;

/** Hand-computed expectations on tiny TF × gene matrices (row-major [nTf, g], self-loops 0). */
class RankEnsembleTest {
    /** 2 TFs (genes 0 and 1) × 3 genes: self-loops at positions 0 and 4. */
    private static final int[] TF2 = {0, 1};
    private static final boolean[] SELF2 = NnSupport.selfLoops(TF2, 3);

    @Test
    void weightedMeanAndPowerMean() {
        float[] r1 = {0, 1.0f, 0.5f, 0.25f, 0, 0.75f};
        float[] r2 = {0, 0.5f, 1.0f, 0.75f, 0, 0.25f};
        assertArrayEquals(new float[] {0, 0.625f, 0.875f, 0.625f, 0, 0.375f},
                RankEnsemble.combine(List.of(r1, r2), new double[] {1, 3}, 1, SELF2), 1e-6f);
        // p = 2: sqrt((a² + b²) / 2)
        float hi = (float) Math.sqrt(0.625);
        float lo = (float) Math.sqrt(0.3125);
        assertArrayEquals(new float[] {0, hi, hi, lo, 0, lo},
                RankEnsemble.combine(List.of(r1, r2), new double[] {1, 1}, 2, SELF2), 1e-6f);
        // a term with weight 0 does not count
        assertArrayEquals(r1, RankEnsemble.combine(List.of(r1, r2), new double[] {2, 0}, 3, SELF2), 1e-6f);
    }

    @Test
    void agreementWeightsAreTheCorrelationWithTheOtherTerms() {
        // one TF (gene 0) × 5 genes: four non-self positions
        boolean[] self = NnSupport.selfLoops(new int[] {0}, 5);
        float[] a = {0, 1, 2, 3, 4};
        float[] c = {0, 1, 2, 4, 3};
        // a vs mean(a, c) = [1, 2, 3.5, 3.5]: 4.5 / sqrt(5 · 4.5); c vs mean(a, a) = a: 4 / 5
        double ra = 4.5 / Math.sqrt(22.5);
        assertArrayEquals(new double[] {ra, ra, 0.8},
                RankEnsemble.agreementWeights(List.of(a, a.clone(), c), new double[] {1, 1, 1}, self), 1e-9);
        // against the crowd: weight 0 (a vs mean(a, reversed) = constant: correlation 0 too, so all would be 0 and
        // the weights stay as given)
        float[] rev = {0, 4, 3, 2, 1};
        assertArrayEquals(new double[] {1, 1, 1},
                RankEnsemble.agreementWeights(List.of(a, a.clone(), rev), new double[] {1, 1, 1}, self), 1e-9);
        assertArrayEquals(new double[] {2, 0}, RankEnsemble.agreementWeights(List.of(a, c), new double[] {2, 0},
                self), 1e-9);
        float[] anti = {0, 1, 2, 4, 3};
        float[] far = {0, 4, 3, 2, 1};
        // weights 2, 2, 1: far vs (a + anti) / 2 correlates negatively -> 0
        double[] w = RankEnsemble.agreementWeights(List.of(a, anti, far), new double[] {2, 2, 1}, self);
        // a vs (2 anti + far) / 3: 1 / sqrt(5); anti vs (2 a + far) / 3: 0.8
        assertArrayEquals(new double[] {2 / Math.sqrt(5), 1.6, 0}, w, 1e-9);
    }

    @Test
    void hubBlendsEachEdgeWithItsRegulatorsMeanScore() {
        float[] s = {0, 0.6f, 0.3f, 0.9f, 0, 0.3f};
        // row means 0.45 and 0.6
        assertArrayEquals(new float[] {0, 0.525f, 0.375f, 0.75f, 0, 0.45f},
                RankEnsemble.hub(s, 2, 3, SELF2, 0.5), 1e-6f);
    }

    @Test
    void targetRankRanksTheRegulatorsOfEachTarget() {
        // 3 TFs = all 3 genes
        int[] tfs = {0, 1, 2};
        boolean[] self = NnSupport.selfLoops(tfs, 3);
        float[] s = {0, 0.2f, 0.4f, 0.6f, 0, 0.8f, 0.1f, 0.5f, 0};
        assertArrayEquals(new float[] {0, 0.5f, 0.5f, 1, 0, 1, 0.5f, 1, 0},
                RankEnsemble.targetRank(s, 3, 3, self, 1), 1e-6f);
        // ties share their mean rank; a = 0.5 blends
        float[] t = {0, 0.6f, 0.3f, 0.9f, 0, 0.3f};
        assertArrayEquals(new float[] {0, 0.8f, 0.525f, 0.95f, 0, 0.525f},
                RankEnsemble.targetRank(t, 2, 3, SELF2, 0.5), 1e-6f);
    }

    @Test
    void contextBlendsTheRankOfTheClrScore() {
        float[] s = {0, 0.6f, 0.3f, 0.9f, 0, 0.3f};
        float[] c = NnSupport.rankScale(CrowdModel.clr(s, TF2, 3), SELF2);
        float[] out = RankEnsemble.context(s, TF2, 3, SELF2, 0.25);
        for (int i = 0; i < s.length; i++) {
            assertEquals(SELF2[i] ? 0 : 0.75f * s[i] + 0.25f * c[i], out[i], 1e-6f);
        }
        assertArrayEquals(c, RankEnsemble.context(s, TF2, 3, SELF2, 1), 1e-6f);
    }
}
