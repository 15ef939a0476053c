package io.scgrn.models.perturb;

import io.scgrn.anndata.AnnData;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.Progress;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Diagnostic (not a test): how well each evidence separates a target's true regulators from the other TFs — the
 * network's rank, the within-group partial correlation on single cells and on the fit's smoothed rows, the same
 * pooled over the groups (not centred per group) — as the AUROC over every (TF, target) candidate pair and the
 * precision of each target's best 1 / 3 / 10. Run: {@code java -cp <test class path>
 * io.scgrn.models.perturb.ParentDiag SEEDS FIRST_SEED} with {@code -DnetCache=DIR} holding {@code crowd-q} networks.
 */
public final class ParentDiag {
    public static void main(String[] args) throws IOException {
        int seeds = Integer.parseInt(args[0]);
        int first = Integer.parseInt(args[1]);
        for (int seed = first; seed < first + seeds; seed++) {
            SimulationConfig cfg = new SimulationConfig(2000, 300, 3000, 30, 4, 0.1, 0.7, seed);
            Simulation sim = MultiomeSimulator.simulate(cfg);
            AnnData rna = sim.toMuData().mod().get("rna");
            List<Edge> net = PerturbDiag.cached("crowd-q", sim, rna, seed);
            List<String> genes = sim.genes();
            int nC = sim.cells().size();
            int nG = genes.size();
            double[] lib = PerturbBenchmark.librarySizes(sim.rna(), nC);
            double target = PerturbBenchmark.median(Arrays.stream(lib).boxed().toList());
            ExpressionMatrix x = new ExpressionMatrix(PerturbBenchmark.logNorm(sim.rna(), lib, target, nG),
                    sim.cells(), genes);
            List<String> types = sim.cellType().stream().distinct().sorted().toList();
            int[] groupOf = sim.cellType().stream().mapToInt(types::indexOf).toArray();
            int nK = types.size();
            Set<String> trueE = new HashSet<>();
            sim.edges().forEach(e -> trueE.add(e.tf() + ">" + e.target()));
            int[][] cand = InSilicoPerturbation.regulators(net, genes, 30);
            double[] pcs = PerturbDiag.pcs(x);
            FitRows.Rows rows = FitRows.smooth(x, groupOf, nK, PerturbOptions.FIT_NEIGHBOURS, pcs, 0);
            double[][] within = WithinGroupParents.partialCorrelations(
                    GroupModels.Stats.accumulate(x, groupOf, nK, cand, Progress.NONE), cand);
            double[][] withinRows = WithinGroupParents.partialCorrelations(
                    GroupModels.Stats.accumulate(rows.x(), rows.groupOf(), nK, cand, Progress.NONE), cand);
            int[] one = new int[nC];
            double[][] pooled = WithinGroupParents.partialCorrelations(
                    GroupModels.Stats.accumulate(x, one, 1, cand, Progress.NONE), cand);
            java.util.Map<String, Double> sc = new java.util.HashMap<>();
            net.forEach(e -> sc.merge(e.tf() + ">" + e.target(), e.score(), Math::max));
            double[][] netScore = new double[nG][];
            for (int g = 0; g < nG; g++) {
                netScore[g] = new double[cand[g].length];
                for (int a = 0; a < cand[g].length; a++) {
                    netScore[g][a] = sc.get(genes.get(cand[g][a]) + ">" + genes.get(g));
                }
            }
            // the network's and the within-group evidence combined: mean of the two per-target rank scores
            double[][] combined = new double[nG][];
            for (int g = 0; g < nG; g++) {
                double[] rn = rankScore(netScore[g]);
                double[] rw = rankScore(within[g]);
                combined[g] = new double[rn.length];
                for (int a = 0; a < rn.length; a++) {
                    combined[g][a] = 0.5 * (rn[a] + rw[a]);
                }
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "seed %d", seed));
            report(sb, "network+within", combined, cand, genes, trueE);
            report(sb, "network", netScore, cand, genes, trueE);
            report(sb, "within-cells", within, cand, genes, trueE);
            report(sb, "within-rows", withinRows, cand, genes, trueE);
            report(sb, "pooled-cells", pooled, cand, genes, trueE);
            // |ρ| quantiles of true and false candidates, within-group on single cells
            List<Double> t = new ArrayList<>();
            List<Double> f = new ArrayList<>();
            for (int g = 0; g < nG; g++) {
                for (int a = 0; a < cand[g].length; a++) {
                    (trueE.contains(genes.get(cand[g][a]) + ">" + genes.get(g)) ? t : f).add(Math.abs(within[g][a]));
                }
            }
            sb.append(String.format(Locale.ROOT, " | within-cells |ρ| true median %.3f p90 %.3f, false median %.3f "
                    + "p90 %.3f", q(t, 0.5), q(t, 0.9), q(f, 0.5), q(f, 0.9)));
            System.out.println(sb);
        }
    }

    /** Per-target rank of |score| scaled to (0, 1], 1 the largest. */
    static double[] rankScore(double[] score) {
        int p = score.length;
        Integer[] order = new Integer[p];
        for (int a = 0; a < p; a++) {
            order[a] = a;
        }
        Arrays.sort(order, (u, v) -> Double.compare(Math.abs(score[u]), Math.abs(score[v])));
        double[] out = new double[p];
        for (int r = 0; r < p; r++) {
            out[order[r]] = (r + 1.0) / p;
        }
        return out;
    }

    static double q(List<Double> v, double p) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length == 0 ? Double.NaN : s[(int) Math.min(s.length - 1, Math.floor(p * s.length))];
    }

    /** AUROC of |score| for true vs false candidate pairs, and the mean precision of each target's top 1 / 3 / 10. */
    static void report(StringBuilder sb, String name, double[][] score, int[][] cand, List<String> genes,
                       Set<String> trueE) {
        List<double[]> all = new ArrayList<>();
        double[] prec = new double[3];
        int[] tops = {1, 3, 10};
        int targets = 0;
        for (int g = 0; g < cand.length; g++) {
            int p = cand[g].length;
            boolean[] isTrue = new boolean[p];
            boolean any = false;
            for (int a = 0; a < p; a++) {
                isTrue[a] = trueE.contains(genes.get(cand[g][a]) + ">" + genes.get(g));
                any |= isTrue[a];
                all.add(new double[]{Math.abs(score[g][a]), isTrue[a] ? 1 : 0});
            }
            if (!any) {
                continue;
            }
            targets++;
            Integer[] order = new Integer[p];
            for (int a = 0; a < p; a++) {
                order[a] = a;
            }
            double[] sc = score[g];
            Arrays.sort(order, (u, v) -> Double.compare(Math.abs(sc[v]), Math.abs(sc[u])));
            for (int i = 0; i < tops.length; i++) {
                int hit = 0;
                for (int r = 0; r < Math.min(tops[i], p); r++) {
                    hit += isTrue[order[r]] ? 1 : 0;
                }
                prec[i] += (double) hit / tops[i];
            }
        }
        all.sort((u, v) -> Double.compare(u[0], v[0]));
        double rankSum = 0;
        long nPos = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i)[1] > 0) {
                rankSum += i + 1;
                nPos++;
            }
        }
        long nNeg = all.size() - nPos;
        double auc = (rankSum - nPos * (nPos + 1) / 2.0) / Math.max(1, nPos * nNeg);
        sb.append(String.format(Locale.ROOT, " | %s AUROC %.3f prec@1/3/10 %.3f/%.3f/%.3f", name, auc,
                prec[0] / targets, prec[1] / targets, prec[2] / targets));
    }
}
