package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.atac.AtacSettings;
import io.scgrn.models.atac.CellStates;
import io.scgrn.models.atac.MultiomeData;
import io.scgrn.models.prep.PrepOptions;
import io.scgrn.models.prep.Preparation;
import io.scgrn.models.sim.SimSpec;
import io.scgrn.models.sim.Simulation;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Diagnosis, not a test: on multiome simulations, how well the cell states crowd's within-state term would use
 * (its own RNA states, joint RNA + ATAC states, ATAC-only states) recover the simulated cell types (purity: the share
 * of cells in their state's most common type; the simulator's labels are used to look, not to choose), and the
 * regulators' between-state share of variance under each ({@link WithinStates#betweenShare}, what crowd's gate and
 * mix read).
 *
 * <pre>java -cp CP io.scgrn.models.nn.StateDiagnosis CELLS GENES PEAKS TYPES:GATED:CONFOUNDING:SEED ...</pre>
 */
public final class StateDiagnosis {
    private StateDiagnosis() {
    }

    public static void main(String[] args) {
        int cells = Integer.parseInt(args[0]);
        int genes = Integer.parseInt(args[1]);
        int peaks = Integer.parseInt(args[2]);
        System.out.println("| types | gated | conf. | seed | purity: RNA 4 / RNA 8 / joint 8 / ATAC 8 "
                + "| TF between-state share: RNA 4 / RNA 8 / joint 8 / ATAC 8 |");
        System.out.println("|---|---|---|---|---|---|");
        for (int a = 3; a < args.length; a++) {
            String[] f = args[a].split(":");
            long seed = Long.parseLong(f[3]);
            SimSpec.Paired run = SimSpec.paired(cells, genes, peaks, args[a]);
            Simulation sim = run.sim();
            var md = run.md();
            MultiomeData data = run.data();
            ExpressionMatrix x = Preparation.prepare(md.mod().get("rna"), sim.tfs(), PrepOptions.defaults())
                    .matrix();
            if (!x.cells().equals(data.cells())) {
                throw new IllegalStateException("prepared cells differ from the paired cells");
            }
            AtacSettings s = AtacSettings.defaults(seed);
            int[][] states = {
                WithinStates.of(x, 4, seed).state(),
                WithinStates.of(x, 8, seed).state(),
                CellStates.states(data, 8, s),
                CellStates.atacStates(data, 8, s),
            };
            int[] tfIdx = sim.tfs().stream().mapToInt(x.genes()::indexOf).filter(i -> i >= 0).toArray();
            StringBuilder pur = new StringBuilder();
            StringBuilder share = new StringBuilder();
            for (int[] st : states) {
                pur.append(pur.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%.2f",
                        purity(st, data.cellLabels())));
                share.append(share.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%.2f",
                        WithinStates.betweenShare(x.values(), x.nCells(), x.nGenes(), st, tfIdx)));
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", f[0], f[1], f[2], f[3], pur, share);
        }
    }

    /** Share of the cells in their state's most common label. */
    static double purity(int[] state, List<String> labels) {
        Map<Integer, Map<String, Integer>> counts = new HashMap<>();
        for (int c = 0; c < state.length; c++) {
            counts.computeIfAbsent(state[c], k -> new HashMap<>()).merge(labels.get(c), 1, Integer::sum);
        }
        int best = 0;
        for (Map<String, Integer> m : counts.values()) {
            best += m.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        }
        return (double) best / state.length;
    }
}
