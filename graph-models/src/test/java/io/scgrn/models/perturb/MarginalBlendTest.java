package io.scgrn.models.perturb;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.Progress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarginalBlendTest {
    @Test
    void correlationsArePearsonPerGeneAndZeroForAConstantGene() {
        // genes: t, 2t + 1, −t, constant
        float[] x = {0, 1, 0, 5, 1, 3, -1, 5, 2, 5, -2, 5, 4, 9, -4, 5};
        assertArrayEquals(new double[]{1, 1, -1, 0}, MarginalBlend.correlations(x, 4, 0), 1e-9);
        assertArrayEquals(new double[]{0, 0, 0, 0}, MarginalBlend.correlations(x, 4, 3), 1e-9);
    }

    @Test
    void blendScalesTheMarginalShiftToTheFitsSizeAndKeepsSkippedGenes() {
        double[] fit = {-1, 0.2, -0.2, 0.4, -0.4};        // gene 0 perturbed; sd of the rest 0.365
        double[] marginal = {-3, 2, 0, -2, 0};            // sd of the rest 1.633
        boolean[] skip = {true, false, false, false, false};
        assertArrayEquals(fit, MarginalBlend.blend(fit, marginal, skip, 0), 1e-12);
        double[] one = MarginalBlend.blend(fit, marginal, skip, 1);
        double k = MarginalBlend.sd(fit, skip) / MarginalBlend.sd(marginal, skip);
        assertArrayEquals(new double[]{-1, 2 * k, 0, -2 * k, 0}, one, 1e-12);
        assertEquals(MarginalBlend.sd(fit, skip), MarginalBlend.sd(one, skip), 1e-12);
        double[] half = MarginalBlend.blend(fit, marginal, skip, 0.5);
        for (int g = 1; g < 5; g++) {
            assertEquals(0.5 * fit[g] + 0.5 * k * marginal[g], half[g], 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> MarginalBlend.blend(fit, marginal, skip, 1.5));
    }

    /**
     * A → B is the only edge; E co-varies with A but nothing regulates it. Knocking A out, the fit alone leaves E
     * unchanged; the blend moves E down (it rises with A), and the mean per-cell shift is the blend of the means.
     */
    @Test
    void runBlendsTheMarginalShiftIntoEveryCell() {
        int n = 300;
        Random rnd = new Random(3);
        List<String> genes = List.of("A", "B", "E");
        float[] v = new float[n * 3];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double a = 2 + rnd.nextGaussian();
            v[c * 3] = (float) a;
            v[c * 3 + 1] = (float) (2 + 0.8 * a + 0.3 * rnd.nextGaussian());
            v[c * 3 + 2] = (float) (3 + 0.7 * (a - 2) + 0.5 * rnd.nextGaussian());
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        List<Edge> net = List.of(new Edge("A", "B", 1, 1, Double.NaN));
        InSilicoPerturbation.Input in = new InSilicoPerturbation.Input(x, new int[n], List.of("all"), net, null, null,
                List.of(Perturbation.ko("A")));
        PerturbOptions o = InSilicoPerturbationTest.direct().withFitNeighbours(1);
        assertEquals(0.0, PerturbOptions.defaults().marginal(), "off by default");
        float[] fit = InSilicoPerturbation.run(in, o, Progress.NONE).delta();
        float[] blended = InSilicoPerturbation.run(in, o.withMarginal(0.5), Progress.NONE).delta();
        double[] fitMean = new double[3];
        double[] blendMean = new double[3];
        for (int c = 0; c < n; c++) {
            for (int g = 0; g < 3; g++) {
                fitMean[g] += fit[c * 3 + g] / (double) n;
                blendMean[g] += blended[c * 3 + g] / (double) n;
            }
            assertEquals(fit[c * 3], blended[c * 3], 0, "the knocked-out gene keeps its requested change");
        }
        assertEquals(0, fitMean[2], 1e-12, "no edge reaches E");
        assertTrue(fitMean[1] < -1, "the fit moves B down: " + fitMean[1]);
        assertTrue(blendMean[2] < -0.3, "the blend moves E down with A: " + blendMean[2]);
        // expected means: the blend of the fit's and the marginal (correlation × A's mean change) means
        double[] rho = MarginalBlend.correlations(v, 3, 0);
        double meanA = 0;
        for (int c = 0; c < n; c++) {
            meanA += v[c * 3] / n;
        }
        double[] marginal = {rho[0] * -meanA, rho[1] * -meanA, rho[2] * -meanA};
        double[] want = MarginalBlend.blend(fitMean, marginal, new boolean[]{true, false, false}, 0.5);
        assertEquals(want[1], blendMean[1], 1e-4);
        assertEquals(want[2], blendMean[2], 1e-4);
        assertThrows(RuntimeException.class, () -> o.withMarginal(-0.1));
    }
}
