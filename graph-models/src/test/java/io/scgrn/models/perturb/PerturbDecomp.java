package io.scgrn.models.perturb;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.Progress;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Diagnostic (not a test): the default prediction's mean shift split into its sources, as {@link PerturbDiag}
 * variants {@code X:PART} (docs/benchmarks.md, "In-silico perturbation: round 10"). The direct fit is rebuilt here
 * from the same pieces as {@link InSilicoPerturbation#fit} (kNN-smoothed rows, per-group ridge, a pooled ridge,
 * {@link PoolingChoice}'s per-target blend weight w), so its coefficients can be taken apart:
 * <ul>
 *   <li>{@code X:fit} the direct fit, 10 steps (= {@code G:n:30:off:0:x:0}); {@code X:fitS} S steps ({@code X:fit1}: only the
 *   coefficient on the TF); {@code X:fit1g} / {@code X:fit1p} one step through the group part (1 − w)·b_k / the
 *   pooled part w·c alone (they add up to {@code X:fit1}); {@code X:fitg} / {@code X:fitp} 10 steps through each
 *   part alone;</li>
 *   <li>{@code X:raw} the direct fit on single cells (no kNN smoothing);</li>
 *   <li>{@code X:tot} the total effect (one step); {@code X:totg} / {@code X:totp} its group / pooled part;</li>
 *   <li>{@code X:cfit} / {@code X:ctot} the same with the pooled model fitted on group-centred statistics (group
 *   fixed effects; {@code X:cfit/B}: B of the between-group co-variation kept); {@code X:kfit/K} /
 *   {@code X:ktot/K} the pooled models on each target's K best network candidates only ({@link #topK});
 *   {@code X:gfit} / {@code X:gtot} per-group models only (w = 0);</li>
 *   <li>{@code X:final:F:T[:GAMMA]} the default's combination — rank weight γ (0.25) × the 0.35 blend of direct
 *   fit F and total effect T (F, T among the names above without "X:"); {@code X:final:fit:tot} is the default.</li>
 *   <li>multi-step paths (round 11): a direct-fit part with {@code @λ} is propagated with step damping λ
 *   ({@code X:cfit/0.25@0.5}), with {@code @sign} / {@code @signλ} through the regulators whose one-step shift agrees
 *   in sign with the total effect's only ({@link InSilicoPerturbation#passOn}); {@code X:dpiEPS:REST} is REST on
 *   the network without the edges the data-processing inequality calls indirect ({@link IndirectEdges};
 *   {@code X:dpitEPS:REST}: edges into TFs only).</li>
 * </ul>
 */
final class PerturbDecomp {
    private PerturbDecomp() {
    }

    /** The two parts of a blended model and the blend. */
    record Parts(GroupModels group, GroupModels pooled, GroupModels blended) {
    }

    static final Map<String, Parts> PARTS = new HashMap<>();

    /** Networks without their indirect edges, per tolerance and network. */
    static final Map<String, List<Edge>> NETS = new HashMap<>();

    static double[] predict(String v, ExpressionMatrix x, int[] groupOf, List<String> types, List<Edge> net,
                            String tf) {
        String[] s = v.split(":");
        int t = x.genes().indexOf(tf);
        int nG = x.nGenes();
        if (s[1].startsWith("dpi")) {
            // X:dpiEPS:REST — REST on the network without the edges the DPI calls indirect (IndirectEdges);
            // X:dpitEPS:REST — only the edges into TFs judged
            boolean tfs = s[1].startsWith("dpit");
            double eps = Double.parseDouble(s[1].substring(tfs ? 4 : 3));
            List<Edge> pruned = NETS.computeIfAbsent(s[1] + "@" + System.identityHashCode(net), k -> {
                List<Edge> d = IndirectEdges.drop(net, x.genes(), eps, tfs);
                System.err.printf(java.util.Locale.ROOT, "%s: %d of %d edges kept%n", s[1], d.size(), net.size());
                return d;
            });
            return predict("X:" + v.substring(v.indexOf(':', 2) + 1), x, groupOf, types, pruned, tf);
        }
        if (s[1].equals("final")) {
            double[] f = predict("X:" + s[2], x, groupOf, types, net, tf);
            double[] tot = predict("X:" + s[3], x, groupOf, types, net, tf);
            boolean[] skip = new boolean[nG];
            skip[t] = true;
            double[] b = MarginalBlend.blend(f, tot, skip, PerturbOptions.TOTAL_EFFECT);
            double gamma = s.length > 4 ? Double.parseDouble(s[4]) : PerturbOptions.RANK_WEIGHT;
            double[] w = TargetWeights.weights(InSilicoPerturbation.regulators(net, x.genes(), 30), new int[]{t}, 30,
                    gamma);
            for (int g = 0; g < nG; g++) {
                b[g] *= w[g];
            }
            return b;
        }
        // PART[/KEEP][@MOD]: MOD λ (step damping), sign (path gate) or signλ (both)
        String spec = s[1];
        String mod = "";
        if (spec.contains("@")) {
            mod = spec.substring(spec.indexOf('@') + 1);
            spec = spec.substring(0, spec.indexOf('@'));
        }
        String part = spec.split("/")[0];
        double keep = spec.contains("/") ? Double.parseDouble(spec.split("/")[1]) : 0;
        boolean total = part.contains("tot");
        String mode = part.startsWith("c") ? "centred" : part.startsWith("g") ? "group" : part.startsWith("raw")
                ? "raw" : part.startsWith("k") ? "topk" : "default";
        int[][] regs = InSilicoPerturbation.regulators(net, x.genes(), 30);
        if (total) {
            regs = TotalEffect.regressors(regs, new int[]{t}, PerturbOptions.ADJUST_PARENTS);
        }
        int[][] r = regs;
        String key = mode + keep + (total ? ":tot:" + tf : ":fit") + "@" + System.identityHashCode(x) + "/"
                + System.identityHashCode(net);
        Parts p = PARTS.computeIfAbsent(key, kk -> parts(x, groupOf, types, r, total ? 1 : mode.equals("raw") ? 1
                : PerturbOptions.FIT_NEIGHBOURS, mode, keep));
        String digits = part.replaceAll("\\D", "");
        int steps = total ? 1 : digits.isEmpty() ? PerturbOptions.STEPS : Integer.parseInt(digits);
        GroupModels m = part.endsWith("g") ? p.group() : part.endsWith("p") ? p.pooled() : p.blended();
        if (mod.isEmpty()) {
            return PerturbDiag.meanKnockOutShift(m, x, groupOf, tf, steps);
        }
        boolean gate = mod.startsWith("sign");
        String lam = gate ? mod.substring(4) : mod;
        double damping = lam.isEmpty() ? 1 : Double.parseDouble(lam);
        // the gate as InSilicoPerturbation.run builds it: this model's one-step mean shift against the total
        // effect's (the same between share)
        double[] passOn = InSilicoPerturbation.passOn(damping, gate ? PerturbDiag.meanKnockOutShift(m, x, groupOf, tf,
                1) : null, gate ? predict(mode.equals("centred") ? "X:ctot/" + keep : "X:tot", x, groupOf, types, net,
                tf) : null, nG);
        return PerturbDiag.meanKnockOutShift(m, x, groupOf, tf, steps, passOn);
    }

    /** The fit of {@link InSilicoPerturbation#fit} (ridge, rule "blend"), its group and pooled parts kept apart. */
    static Parts parts(ExpressionMatrix x, int[] groupOf, List<String> types, int[][] regs, int neighbours,
                       String mode, double keep) {
        PerturbOptions o = PerturbOptions.defaults();
        int nK = types.size();
        FitRows.Rows rows = FitRows.smooth(x, groupOf, nK, neighbours, PerturbDiag.pcs(x), o.seed());
        GroupModels.Stats stats = GroupModels.Stats.accumulate(rows.x(), rows.groupOf(), nK, regs, Progress.NONE);
        List<String> genes = x.genes();
        GroupModels perGroup = GroupModels.fit(stats, genes, types, null, GroupModels.Selection.NONE, o.lambda());
        if (mode.equals("topk")) {
            return topK(stats, rows, perGroup, types, regs, (int) keep, genes, o);
        }
        GroupModels.Stats pooledSource = mode.equals("centred") ? stats.centred(keep) : stats;
        GroupModels pooled = GroupModels.fit(pooledSource.merge(new int[nK], 1), genes, List.of("all"), null,
                GroupModels.Selection.NONE, o.lambda());
        double[] weight = mode.equals("group") ? new double[genes.size()]
                : PoolingChoice.weights(stats, perGroup, GroupModels.Selection.NONE, null, o.lambda(), "blend",
                1, mode.equals("centred") ? keep : 1).weight();
        int nE = pooled.edgeTgt().length;
        double[][] cg = new double[nK][nE];
        double[][] cp = new double[nK][nE];
        double[][] cb = new double[nK][nE];
        for (int k = 0; k < nK; k++) {
            for (int e = 0; e < nE; e++) {
                double w = weight[pooled.edgeTgt()[e]];
                cg[k][e] = (1 - w) * perGroup.coef()[k][e];
                cp[k][e] = w * pooled.coef()[0][e];
                cb[k][e] = cp[k][e] + cg[k][e];
            }
        }
        return new Parts(with(perGroup, cg), with(perGroup, cp), with(perGroup, cb));
    }

    /**
     * Mode "topk" ({@code X:kfit/K}): the per-group models on every candidate, the pooled model (and
     * {@link PoolingChoice}'s left-out pooled models) on each target's K best network candidates only, so the
     * between-group co-variation, which has only groups − 1 degrees of freedom, is handed to the network's best
     * regulators rather than spread over every co-varying TF.
     */
    static Parts topK(GroupModels.Stats stats, FitRows.Rows rows, GroupModels perGroup, List<String> types,
                      int[][] regs, int kBest, List<String> genes, PerturbOptions o) {
        int nK = types.size();
        int nG = genes.size();
        int[][] regsK = new int[nG][];
        for (int g = 0; g < nG; g++) {
            regsK[g] = java.util.Arrays.copyOf(regs[g], Math.min(kBest, regs[g].length));
        }
        GroupModels.Stats statsK = GroupModels.Stats.accumulate(rows.x(), rows.groupOf(), nK, regsK, Progress.NONE);
        double[] pooledK = GroupModels.fit(statsK.merge(new int[nK], 1), genes, List.of("all"), null,
                GroupModels.Selection.NONE, o.lambda()).coef()[0];
        // the K-layout's edges are the first K of each target's run in the full layout
        int[] eTgt = stats.eTgt();
        int[] eTgtK = statsK.eTgt();
        int[] runK = new int[nG];
        java.util.Arrays.fill(runK, -1);
        for (int e = eTgtK.length - 1; e >= 0; e--) {
            runK[eTgtK[e]] = e;
        }
        int[] full2k = new int[eTgt.length];
        for (int e = 0; e < eTgt.length; e++) {
            int e0 = e;
            while (e0 > 0 && eTgt[e0 - 1] == eTgt[e]) {
                e0--;
            }
            int pos = e - e0;
            full2k[e] = pos < regsK[eTgt[e]].length ? runK[eTgt[e]] + pos : -1;
        }
        int[] usable = java.util.stream.IntStream.range(0, nK).filter(k -> stats.count()[k] >= PoolingChoice.MIN_ROWS)
                .toArray();
        double[][] leaveOut = new double[nK][];
        for (int k : usable) {
            int[] into = new int[nK];
            for (int j = 0; j < nK; j++) {
                into[j] = j == k || stats.count()[j] < PoolingChoice.MIN_ROWS ? -1 : 0;
            }
            leaveOut[k] = GroupModels.fit(statsK.merge(into, 1), genes, List.of("lo"), null,
                    GroupModels.Selection.NONE, o.lambda()).coef()[0];
        }
        double[] weight = new double[nG];
        if (usable.length >= 3) {
            double[] sp = new double[nG];
            double[] sg = new double[nG];
            java.util.Arrays.fill(sp, Double.NaN);
            PoolingChoice.errors(stats, perGroup.coef(), leaveOut, usable, full2k, sp, sg);
            for (int t = 0; t < nG; t++) {
                if (!Double.isNaN(sp[t])) {
                    weight[t] = sg[t] + sp[t] > 0 ? sg[t] / (sg[t] + sp[t]) : 0;
                }
            }
        }
        int nE = eTgt.length;
        double[][] cg = new double[nK][nE];
        double[][] cp = new double[nK][nE];
        double[][] cb = new double[nK][nE];
        for (int k = 0; k < nK; k++) {
            for (int e = 0; e < nE; e++) {
                double w = weight[eTgt[e]];
                cg[k][e] = (1 - w) * perGroup.coef()[k][e];
                cp[k][e] = full2k[e] >= 0 ? w * pooledK[full2k[e]] : 0;
                cb[k][e] = cp[k][e] + cg[k][e];
            }
        }
        return new Parts(with(perGroup, cg), with(perGroup, cp), with(perGroup, cb));
    }

    private static GroupModels with(GroupModels m, double[][] coef) {
        return new GroupModels(m.genes(), m.groups(), m.edgeReg(), m.edgeTgt(), coef, m.lambda(), m.r2(), m.cells());
    }
}
