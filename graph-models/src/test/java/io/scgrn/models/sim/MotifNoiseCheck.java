package io.scgrn.models.sim;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Progress;
import io.scgrn.models.atac.AtacAnalysis;
import io.scgrn.models.atac.AtacInformedModel;
import io.scgrn.models.atac.AtacResult;
import io.scgrn.models.atac.AtacSettings;
import io.scgrn.models.atac.MotifTable;
import io.scgrn.models.atac.MultiomeData;
import io.scgrn.models.calibration.DecoyCalibration;
import io.scgrn.models.numerics.Sampling;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Diagnostic (session 22, not a test): the q-values of the motif (table) path on expression without any structure —
 * each gene's cells permuted — with the simulator's motif table, or with {@code -DrandomMotifs=true} the same hits
 * moved to random peaks. Prints, per simulation and base model, the pairs at q ≤ 0.05 / 0.10 through the ATAC-informed
 * model and through the base model alone. Session 22 found 19–29 % of the pairs at q ≤ 0.05 either way (RNA alone:
 * 0) while the decoy targets carried no chromatin evidence, and 0 once they took that of the gene they copy
 * ({@link io.scgrn.models.atac.AtacInformedModel#decoySources}; docs/benchmarks.md, "Multiome: q-values of the
 * within-state blend (lead, session 22)").
 *
 * <pre>java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 [-DrandomMotifs=true] -cp TEST_CLASS_PATH \
 *     io.scgrn.models.sim.MotifNoiseCheck</pre>
 */
public final class MotifNoiseCheck {
    private MotifNoiseCheck() {
    }

    public static void main(String[] args) throws Exception {
        for (long seed : new long[] {11, 12}) {
            Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(500, 80, 300, 10, 4, 0.1, 0.5, seed, 2.0));
            Path dir = Files.createTempDirectory("motif-noise");
            sim.writeTruth(dir);
            MultiomeData d = SimSpec.Paired.of(sim).data();
            int n = d.nCells();
            int g = d.nGenes();
            float[] xp = new float[d.rna().length];
            SplittableRandom rnd = new SplittableRandom(5);
            for (int j = 0; j < g; j++) {
                int[] perm = Sampling.permutation(n, rnd);
                for (int c = 0; c < n; c++) {
                    xp[c * g + j] = d.rna()[perm[c] * g + j];
                }
            }
            MultiomeData noise = new MultiomeData(d.cells(), d.genes(), xp, d.peaks(), d.peakNames(), d.atac(),
                    d.loci(), d.cellLabels(), d.rnaOnly(), d.atacOnly());
            ExpressionMatrix x = new ExpressionMatrix(xp, noise.cells(), noise.genes());
            MotifTable table = MotifTable.read(dir.resolve("motifs.tsv"), noise.peakNames(), noise.peaks());
            if (Boolean.getBoolean("randomMotifs")) {
                Map<Integer, Map<String, Double>> h = new HashMap<>();
                SplittableRandom rr = new SplittableRandom(seed * 31);
                for (var e : table.hits().entrySet()) {
                    for (var t : e.getValue().entrySet()) {
                        h.computeIfAbsent(rr.nextInt(noise.nPeaks()), k -> new HashMap<>())
                                .merge(t.getKey(), t.getValue(), Math::max);
                    }
                }
                table = new MotifTable(h);
            }
            AtacSettings s = AtacSettings.defaults(0);
            AtacResult res = AtacAnalysis.run(noise, sim.tfs(), table, s, Progress.NONE);
            InferenceOptions o = new InferenceOptions(0, "cpu", Map.of(), List.of());
            for (String base : List.of("pearson", "crowd")) {
                AtacInformedModel m = new AtacInformedModel(Models.byName(base), res.prior(),
                        res.informativeTargets(), s.effectiveFloor(true).getAsDouble(), res.stateEdges(),
                        res.stateShare()).withCellStates(noise.cells(), res.cellStates())
                        .withPearsonShare(res.rnaPearson()).withStateCells(noise.cells(), res.stateEdgeStates());
                var r = DecoyCalibration.infer(m, x, sim.tfs(), o, Progress.NONE,
                        DecoyCalibration.Settings.defaults());
                var rna = DecoyCalibration.infer(Models.byName(base), x, sim.tfs(), o, Progress.NONE,
                        DecoyCalibration.Settings.defaults());
                System.out.printf("seed %d base %s: motif path %d of %d pairs at q <= 0.05 (%d at 0.10); "
                        + "base alone %d%n", seed, base, r.summary().atFdr05(), r.network().edges().size(),
                        r.summary().atFdr10(), rna.summary().atFdr05());
            }
        }
    }
}
