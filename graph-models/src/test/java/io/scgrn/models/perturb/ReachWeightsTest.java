package io.scgrn.models.perturb;

import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network-reach weights of {@link PerturbOptions#withReach} (docs/benchmarks.md, round 15, sparse response). */
class ReachWeightsTest {
    @Test
    void aGeneKeepsItsShiftOnlyWithAPerturbedGeneAmongItsTopRegulators() {
        // genes 0..5; candidates best first: 1 ← [0, 2], 2 ← [3, 4, 0], 3 ← [4], 4 ← [], 5 ← [2, 3, 4, 0]
        int[][] regs = {{}, {0, 2}, {3, 4, 0}, {4}, {}, {2, 3, 4, 0}};
        // top 2: only gene 1 has gene 0 among its 2 best; gene 2 ranks it 3rd, gene 5 4th; the perturbed gene 1
        assertArrayEquals(new double[]{1, 1, 0.5, 0.5, 0.5, 0.5}, TargetWeights.reach(regs, new int[]{0}, 2, 0.5), 0);
        // top 3: gene 2 joins, shrink 0; with gene 4 perturbed too, genes 3 and 5 (4 is 3rd there) join as well
        assertArrayEquals(new double[]{1, 1, 1, 0, 0, 0}, TargetWeights.reach(regs, new int[]{0}, 3, 0), 0);
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1}, TargetWeights.reach(regs, new int[]{0, 4}, 3, 0), 0);
    }

    /**
     * Wired into the run: T regulates Y (T its best network regulator) and Z (the network ranks A first and T
     * second). With {@code withReach(1, 0.5)} Y's shift is the same as without the option in every cell and Z's is
     * exactly half of it (so the per-gene summary's mean shift of Z is half too: a shrunk gene reports the shrunk
     * shift); with {@code withReach(2, 0.5)} both keep theirs; the knocked-out gene still goes to 0; the default is off.
     */
    @Test
    void runShrinksTheGenesOutsideTheReach() {
        InSilicoPerturbation.Input in = TargetWeightsTest.knockOutOfT(5);
        int n = in.x().nCells();
        float[] v = in.x().values();
        PerturbOptions o = PerturbOptions.defaults();
        assertEquals(0, o.reachTop(), "off by default");
        InSilicoPerturbation.Result plainRes = InSilicoPerturbation.run(in, o, Progress.NONE);
        InSilicoPerturbation.Result top1Res = InSilicoPerturbation.run(in, o.withReach(1, 0.5), Progress.NONE);
        float[] plain = plainRes.delta();
        float[] top1 = top1Res.delta();
        float[] top2 = InSilicoPerturbation.run(in, o.withReach(2, 0.5), Progress.NONE).delta();
        double sumZ = 0;
        for (int c = 0; c < n; c++) {
            assertEquals(-v[c * 4], top1[c * 4], 1e-6, "the knocked-out gene goes to 0");
            assertEquals(plain[c * 4 + 2], top1[c * 4 + 2], 0, "T is Y's best regulator: Y keeps its shift");
            assertEquals(plain[c * 4 + 3] * 0.5, top1[c * 4 + 3], 1e-6, "T is Z's second: Z keeps half");
            assertEquals(plain[c * 4 + 3], top2[c * 4 + 3], 0, "within the top 2: Z keeps its shift");
            sumZ += plain[c * 4 + 3];
        }
        assertTrue(sumZ / n < -0.3, "Z moves without the option: " + sumZ / n);
        assertEquals(0.5 * plainRes.genes().get(3).meanDelta(), top1Res.genes().get(3).meanDelta(), 1e-6,
                "the summary reports the shrunk mean shift");
        assertThrows(ModelException.class, () -> o.withReach(-1, 0.5));
        assertThrows(ModelException.class, () -> o.withReach(3, 1.5));
    }
}
