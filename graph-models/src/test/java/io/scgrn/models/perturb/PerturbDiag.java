package io.scgrn.models.perturb;

import io.scgrn.anndata.AnnData;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.DenseOperator;
import io.scgrn.models.numerics.RandomizedSvd;
import io.scgrn.models.numerics.ReferenceStatistics;
import io.scgrn.models.sim.Counterfactual;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.stream.IntStream;

/**
 * Diagnostic (not a test): variants of the regulator choice and of the fit scored on the per-gene mean change r of
 * the {@link PerturbBenchmark} knock-outs, without the transitions. Variants ({@code -Dvariants=a,b,…}):
 * {@code truthK} / {@code netK} (the true / inferred network's K best regulators per target), {@code all} (every
 * TF), prefixed by {@code sD:K:} (fit on rows smoothed over K neighbours in D principal components), {@code sgD:K:}
 * (neighbours within the cell's group) and {@code n} (predicted profile renormalised to the cell's library size).
 * Inferred networks are cached in {@code -DnetCache=DIR} (default the temp dir). Run:
 * {@code java -cp <test class path> io.scgrn.models.perturb.PerturbDiag MODEL SEEDS FIRST_SEED [maxTfs]}.
 */
public final class PerturbDiag {
    public static void main(String[] args) throws IOException {
        String model = args[0];
        int seeds = Integer.parseInt(args[1]);
        int first = Integer.parseInt(args[2]);
        int maxTfs = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Map<String, List<Double>> res = new LinkedHashMap<>();
        for (int seed = first; seed < first + seeds; seed++) {
            SimulationConfig cfg = new SimulationConfig(2000, 300, 3000, 30, 4, 0.1, 0.7, seed);
            Simulation sim = MultiomeSimulator.simulate(cfg);
            Map<String, Integer> nTargets = PerturbBenchmark.targetCounts(sim);
            List<String> chosen = PerturbBenchmark.chosenTfs(nTargets, maxTfs);
            AnnData rna = sim.toMuData().mod().get("rna");
            List<Edge> net = cached(model, sim, rna, seed);
            List<Edge> truth = PerturbBenchmark.network("truth", sim, rna, seed);
            List<String> genes = sim.genes();
            int nC = sim.cells().size();
            int nG = genes.size();
            double[] libO = PerturbBenchmark.librarySizes(sim.rna(), nC);
            double target = PerturbBenchmark.median(Arrays.stream(libO).boxed().toList());
            float[] xo = PerturbBenchmark.logNorm(sim.rna(), libO, target, nG);
            ExpressionMatrix x = new ExpressionMatrix(xo, sim.cells(), genes);
            List<String> types = sim.cellType().stream().distinct().sorted().toList();
            int[] groupOf = sim.cellType().stream().mapToInt(types::indexOf).toArray();
            GROUPS = groupOf;
            Set<String> tfs = new HashSet<>(sim.tfs());
            qPrecision(seed, net, truth);
            // precision of the network for the KO'd TFs
            for (String tf : chosen) {
                Counterfactual cf = Counterfactual.simulate(cfg, Map.of(tf, 0.0));
                double[] libC = PerturbBenchmark.librarySizes(cf.rna(), nC);
                float[] xc = PerturbBenchmark.logNorm(cf.rna(), libC, target, nG);
                int t = genes.indexOf(tf);
                double[] truthD = meanDiff(xc, xo, nC, nG);
                Map<String, double[]> preds = new LinkedHashMap<>();
                for (String v : System.getProperty("variants", "truth10,net3,net5,net10,net20,all").split(",")) {
                    preds.put(v, predict(v, x, groupOf, types, net, truth, sim.tfs(), tf));
                }
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "seed %d %s targets %d |", seed, tf,
                        nTargets.get(tf)));
                // recall of the network's top-10 for this TF's true targets
                int[][] regs = InSilicoPerturbation.regulators(net, genes, 10);
                Set<String> trueT = new HashSet<>();
                truth.stream().filter(e -> e.tf().equals(tf)).forEach(e -> trueT.add(e.target()));
                int hit = 0;
                int found = 0;
                for (int g = 0; g < nG; g++) {
                    for (int r : regs[g]) {
                        if (r == t) {
                            found++;
                            if (trueT.contains(genes.get(g))) {
                                hit++;
                            }
                        }
                    }
                }
                sb.append(String.format(Locale.ROOT, " net10 edges from TF %d, true %d |", found, hit));
                // how far the knock-out drives the TF beyond its observed range: its mean level (the knock-out's
                // change) over its pooled within-group standard deviation, and over its overall one
                double[] gs = new double[types.size()];
                double[] gss = new double[types.size()];
                int[] gn = new int[types.size()];
                double all = 0;
                double allSq = 0;
                for (int c = 0; c < nC; c++) {
                    double v = xo[c * nG + t];
                    gs[groupOf[c]] += v;
                    gss[groupOf[c]] += v * v;
                    gn[groupOf[c]]++;
                    all += v;
                    allSq += v * v;
                }
                double within = 0;
                for (int k = 0; k < gs.length; k++) {
                    within += gss[k] - gs[k] * gs[k] / Math.max(1, gn[k]);
                }
                double meanT = all / nC;
                double sdWithin = Math.sqrt(within / nC);
                double sdAll = Math.sqrt(allSq / nC - meanT * meanT);
                System.out.printf(Locale.ROOT, "extrapolation seed %d %s mean %.4f sdWithin %.4f sdAll %.4f%n", seed,
                        tf, meanT, sdWithin, sdAll);
                double naiveR = r(naive(x, t, truthD[t]), truthD, t);
                res.computeIfAbsent("naive", k -> new ArrayList<>()).add(naiveR);
                sb.append(String.format(Locale.ROOT, " naive %.3f", naiveR));
                String dump = System.getProperty("dump");
                if (dump != null) {
                    Map<String, Integer> depth = depths(truth, tf);
                    StringBuilder d = new StringBuilder("gene\ttarget\tdepth\ttrue\tnaive");
                    preds.keySet().forEach(k -> d.append('\t').append(k));
                    d.append('\n');
                    double[] nv = naive(x, t, truthD[t]);
                    for (int g = 0; g < nG; g++) {
                        d.append(genes.get(g)).append('\t').append(trueT.contains(genes.get(g)) ? 1 : 0).append('\t')
                                .append(depth.getOrDefault(genes.get(g), -1)).append('\t').append(truthD[g]).append('\t').append(nv[g]);
                        for (double[] pr : preds.values()) {
                            d.append('\t').append(pr[g]);
                        }
                        d.append('\n');
                    }
                    Files.writeString(Path.of(dump, "d_" + seed + "_" + tf + ".tsv"), d);
                }
                for (var e : preds.entrySet()) {
                    double r = r(e.getValue(), truthD, t);
                    res.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(r);
                    sb.append(String.format(Locale.ROOT, " %s %.3f", e.getKey(), r));
                }
                System.out.println(sb);
            }
        }
        StringBuilder sb = new StringBuilder("MEDIAN");
        res.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.3f", k, PerturbBenchmark.median(v))));
        sb.append("\nMEDIAN RATIO TO NAIVE");
        List<Double> nv = res.get("naive");
        res.forEach((k, v) -> {
            List<Double> ratio = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                ratio.add(v.get(i) / nv.get(i));
            }
            sb.append(String.format(Locale.ROOT, " %s %.2f", k, PerturbBenchmark.median(ratio)));
        });
        System.out.println(sb);
    }

    /** Edges with q ≤ 0.05 / 0.2 / 0.5 (and all): how many, and the share that are true edges (sign ignored). */
    static void qPrecision(int seed, List<Edge> net, List<Edge> truth) {
        Set<String> t = new HashSet<>();
        truth.forEach(e -> t.add(e.tf() + ">" + e.target()));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "seed %d true edges %d |", seed, t.size()));
        for (double q : new double[]{0.05, 0.2, 0.5, 1}) {
            long n = net.stream().filter(e -> e.q() <= q).count();
            long hit = net.stream().filter(e -> e.q() <= q && t.contains(e.tf() + ">" + e.target())).count();
            sb.append(String.format(Locale.ROOT, " q<=%.2f: %d edges, precision %.3f, recall %.3f |", q, n,
                    (double) hit / Math.max(1, n), (double) hit / t.size()));
        }
        System.out.println(sb);
    }

    /** Each gene's shortest path length from {@code tf} in the true network (absent: unreachable). */
    static Map<String, Integer> depths(List<Edge> truth, String tf) {
        Map<String, List<String>> out = new HashMap<>();
        truth.forEach(e -> out.computeIfAbsent(e.tf(), k -> new ArrayList<>()).add(e.target()));
        Map<String, Integer> depth = new HashMap<>(Map.of(tf, 0));
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(tf));
        while (!queue.isEmpty()) {
            String a = queue.poll();
            for (String b : out.getOrDefault(a, List.of())) {
                if (!depth.containsKey(b)) {
                    depth.put(b, depth.get(a) + 1);
                    queue.add(b);
                }
            }
        }
        return depth;
    }

    static double[] meanDiff(float[] a, float[] b, int nC, int nG) {
        double[] out = new double[nG];
        for (int c = 0; c < nC; c++) {
            for (int g = 0; g < nG; g++) {
                out[g] += a[c * nG + g] - b[c * nG + g];
            }
        }
        for (int g = 0; g < nG; g++) {
            out[g] /= nC;
        }
        return out;
    }

    static double r(double[] p, double[] t, int skip) {
        double[] a = new double[p.length - 1];
        double[] b = new double[p.length - 1];
        int k = 0;
        for (int g = 0; g < p.length; g++) {
            if (g != skip) {
                a[k] = p[g];
                b[k++] = t[g];
            }
        }
        return ReferenceStatistics.pearson(a, b);
    }

    static final Map<String, float[]> SMOOTH = new HashMap<>();

    static int[] GROUPS;

    static float[] smooth(ExpressionMatrix x, int dims, int k, boolean within) {
        String key = System.identityHashCode(x) + ":" + dims + ":" + k + within;
        return SMOOTH.computeIfAbsent(key, kk -> {
            int nC = x.nCells();
            int nG = x.nGenes();
            float[] v = x.values();
            double[] sc = RandomizedSvd.compute(new DenseOperator(v,
                    nC, nG, DenseOperator.columnMeans(v, nC, nG)), dims, 10, 2, 0).scores();
            float[] out = new float[v.length];
            IntStream.range(0, nC).parallel().forEach(c -> {
                double[] d = new double[nC];
                for (int j = 0; j < nC; j++) {
                    if (within && GROUPS[j] != GROUPS[c]) {
                        d[j] = Double.MAX_VALUE;
                        continue;
                    }
                    double s = 0;
                    for (int a = 0; a < dims; a++) {
                        double u = sc[c * dims + a] - sc[j * dims + a];
                        s += u * u;
                    }
                    d[j] = s;
                }
                Integer[] idx = new Integer[nC];
                for (int j = 0; j < nC; j++) idx[j] = j;
                Arrays.sort(idx, Comparator.comparingDouble(j -> d[j]));
                for (int t = 0; t < k; t++) {
                    int j = idx[t];
                    for (int g = 0; g < nG; g++) out[c * nG + g] += v[j * nG + g] / k;
                }
            });
            return out;
        });
    }

    static double[] predict(String v, ExpressionMatrix x0, int[] groupOf, List<String> types, List<Edge> net,
                            List<Edge> truth, List<String> tfs, String tf) {
        if (v.startsWith("X:")) {
            return PerturbDecomp.predict(v, x0, groupOf, types, net, tf);
        }
        if (v.startsWith("A:")) {
            // A:SHRINK[:FLOOR]: R:0.25 with each gene whose direct-fit (propagated) and total-effect mean shifts
            // disagree in sign keeping SHRINK; with FLOOR, also × the soft response-test weights (3 parents)
            String[] s = v.split(":");
            double[] p = predict(s.length > 2 ? "D:soft:" + s[2] + ":0.25:3" : "R:0.25", x0, groupOf, types, net,
                    truth, tfs, tf);
            double[] fit = predictParents("G:n:30:off:0:x:0", x0, groupOf, types, net, truth, tf);
            double[] total = predictParents("G:n:30:off:0:x:1", x0, groupOf, types, net, truth, tf);
            double shrink = Double.parseDouble(s[1]);
            int t = x0.genes().indexOf(tf);
            double[] out = new double[p.length];
            for (int g = 0; g < p.length; g++) {
                out[g] = g != t && fit[g] * total[g] < 0 ? p[g] * shrink : p[g];
            }
            return out;
        }
        if (v.startsWith("D:")) {
            // D:MAXQ:SHRINK[:GAMMA[:PARENTS]]: R:GAMMA (0.25) with each gene failing the response test (ResponseTest:
            // the within-group partial correlation with the TF given its PARENTS (3) network parents, BH q > MAXQ)
            // keeping SHRINK
            String[] s = v.split(":");
            double[] p = predict("R:" + (s.length > 3 ? s[3] : "0.25"), x0, groupOf, types, net, truth, tfs, tf);
            int t = x0.genes().indexOf(tf);
            int[][] regs = InSilicoPerturbation.regulators(net, x0.genes(), 30);
            double[] q = ResponseTest.qValues(x0.values(), x0.nGenes(), groupOf, types.size(), regs, new int[]{t},
                    s.length > 4 ? Integer.parseInt(s[4]) : PerturbOptions.ADJUST_PARENTS);
            double shrink = Double.parseDouble(s[2]);
            // MAXQ "soft": w = SHRINK + (1 − SHRINK) · (1 − q)
            double[] w = ResponseTest.weights(q, s[1].equals("soft") ? Double.NaN : Double.parseDouble(s[1]), shrink);
            Map<String, Integer> depth = depths(truth, tf);
            int[] pass = new int[4];
            for (int g = 0; g < p.length; g++) {
                if (g == t) {
                    continue;
                }
                int cls = depth.getOrDefault(x0.genes().get(g), -1) > 0 ? 0 : 2;
                pass[cls + 1]++;
                if (w[g] >= 0.5 * (1 + shrink)) {
                    pass[cls]++;
                }
            }
            System.out.printf(Locale.ROOT, "response %s %s: reached kept %d/%d, unreached kept %d/%d%n", v, tf,
                    pass[0], pass[1], pass[2], pass[3]);
            double[] out = new double[p.length];
            for (int g = 0; g < p.length; g++) {
                out[g] = p[g] * w[g];
            }
            return out;
        }
        if (v.startsWith("R:")) {
            // R:GAMMA[:SRC]: the default pipeline (G:SRC:30:off:0, SRC n or t) with each gene's mean shift weighted
            // by rank^-GAMMA, rank the TF's place among the gene's regulators in the inferred network
            // (TargetWeights; the weights never come from the true edges)
            String[] s = v.split(":");
            double[] p = predictParents("G:" + (s.length > 2 ? s[2] : "n") + ":30:off:0", x0, groupOf, types, net,
                    truth, tf);
            double[] w = TargetWeights.weights(InSilicoPerturbation.regulators(net, x0.genes(), 30),
                    new int[]{x0.genes().indexOf(tf)}, 30, Double.parseDouble(s[1]));
            double[] out = new double[p.length];
            for (int g = 0; g < p.length; g++) {
                out[g] = p[g] * w[g];
            }
            return out;
        }
        if (v.startsWith("G:")) {
            return predictParents(v, x0, groupOf, types, net, truth, tf);
        }
        if (v.startsWith("Q:")) {
            // Q:RULE:MAXQ:MIN — candidates by q ({@link InSilicoPerturbation#regulators(List, List, int, double,
            // int)}), per-group and pooled ridge, pooling rule RULE
            String[] s = v.split(":");
            return predictChoice("C:" + s[1] + ":r:r:30:3:" + s[2] + ":" + s[3], x0, groupOf, types, net, tf);
        }
        if (v.startsWith("S:") || v.startsWith("ST:")) {
            return predictCellSelection(v, x0, groupOf, types, v.startsWith("ST:") ? truth : net, tf);
        }
        if (v.startsWith("K:") || v.startsWith("KT:")) {
            return predictRows(v, x0, groupOf, types, v.startsWith("KT:") ? truth : net, tf);
        }
        if (v.startsWith("Z:") || v.startsWith("ZT:")) {
            return predictStability(v, x0, groupOf, types, v.startsWith("ZT:") ? truth : net, truth, tf);
        }
        if (v.startsWith("E:")) {
            return predictBlend(v, x0, groupOf, types, net, tf);
        }
        if (v.startsWith("I:") || v.startsWith("IT:")) {
            return predictTotal(v, x0, groupOf, types, net, v.startsWith("IT:") ? truth : net, tf);
        }
        if (v.startsWith("P:") || v.startsWith("PT:")) {
            return predictPenalty(v, x0, groupOf, types, v.startsWith("PT:") ? truth : net, tf);
        }
        if (v.startsWith("C:") || v.startsWith("CT:")) {
            return predictChoice(v, x0, groupOf, types, v.startsWith("CT:") ? truth : net, tf);
        }
        if (v.startsWith("L:") || v.startsWith("T:")) {
            return predictPipeline(v, x0, groupOf, types, v.startsWith("T:") ? truth : net, tf);
        }
        ExpressionMatrix x = x0;
        boolean renorm = v.startsWith("n");
        if (renorm) {
            v = v.substring(1);
        }
        if (v.startsWith("s")) {
            String[] s = v.split(":");
            x = new ExpressionMatrix(smooth(x0, Integer.parseInt(s[0].replace("g", "").substring(1)), Integer.parseInt(s[1]),
                    v.startsWith("sg")),
                    x0.cells(), x0.genes());
            v = s[2];
        }
        int[][] regs;
        int steps = Integer.getInteger("steps", 3);
        if (v.startsWith("truth")) {
            regs = InSilicoPerturbation.regulators(truth, x.genes(), Integer.parseInt(v.substring(5)));
        } else if (v.startsWith("net")) {
            regs = InSilicoPerturbation.regulators(net, x.genes(), Integer.parseInt(v.substring(3)));
        } else {
            List<Edge> all = new ArrayList<>();
            for (String a : tfs) {
                for (String g : x.genes()) {
                    all.add(new Edge(a, g, 1, 0, Double.NaN));
                }
            }
            regs = InSilicoPerturbation.regulators(all, x.genes(), 1000);
        }
        GroupModels m = GroupModels.fit(x, groupOf, types, regs, Double.NaN, Progress.NONE);
        int t = x.genes().indexOf(tf);
        Propagation p = new Propagation(m, new int[]{t}, new double[]{0}, steps, true);
        int nG = x.nGenes();
        double[] out = new double[nG];
        double[] work = new double[nG];
        double[] sum = new double[nG];
        for (int c = 0; c < x.nCells(); c++) {
            p.apply(x0.values(), c * nG, groupOf[c], out, work);
            if (renorm) {
                double before = 0;
                double after = 0;
                for (int g = 0; g < nG; g++) {
                    before += Math.expm1(x0.values()[c * nG + g]);
                    after += Math.expm1(x0.values()[c * nG + g] + out[g]);
                }
                double sc = before / after;
                for (int g = 0; g < nG; g++) {
                    double xv = x0.values()[c * nG + g];
                    out[g] = Math.log1p(Math.expm1(xv + out[g]) * sc) - xv;
                }
            }
            for (int g = 0; g < nG; g++) {
                sum[g] += out[g];
            }
        }
        for (int g = 0; g < nG; g++) {
            sum[g] /= x.nCells();
        }
        return sum;
    }

    static final Map<ExpressionMatrix, double[]> PCS = new HashMap<>();

    /**
     * The real fit ({@link InSilicoPerturbation#fit}) with a chosen selection: {@code L:MODE:BIC:GAMMA[:K]} on the
     * inferred network, {@code T:…} on the true edges; MODE r (ridge, every candidate), l (lasso per group), p
     * (lasso pooled over groups), ls / ps (criterion on the shrunken lasso RSS instead of the refit's); GAMMA the
     * network-rank penalty exponent; K the candidates per target (30); POOL the weight of the pooled model (0;
     * MODE prefix g: 1).
     */
    static double[] predictPipeline(String v, ExpressionMatrix x, int[] groupOf, List<String> types, List<Edge> net,
                                    String tf) {
        String[] s = v.split(":");
        int maxReg = s.length > 4 ? Integer.parseInt(s[4]) : 30;
        boolean global = s[1].startsWith("g");
        String mode = global ? s[1].substring(1) : s[1];
        GroupModels.Selection sel = mode.equals("r") ? GroupModels.Selection.NONE
                : new GroupModels.Selection(true, Double.parseDouble(s[2]),
                mode.startsWith("p"), !mode.endsWith("s"));
        double[] pcs = pcs(x);
        PerturbOptions o = PerturbOptions.defaults();
        InSilicoPerturbation.Input in = knockOut(x, groupOf, types, net, tf);
        int[][] regs = InSilicoPerturbation.regulators(net, x.genes(), maxReg);
        double pooling = global ? 1 : s.length > 5 ? Double.parseDouble(s[5]) : 0;
        o = o.withPooling(pooling);
        GroupModels m = InSilicoPerturbation.fit(in, o, regs, pcs, sel, sel, Double.parseDouble(s[3]),
                Progress.NONE);
        return meanKnockOutShift(m, x, groupOf, tf, o.steps());
    }

    /** The top principal components' scores the fit rows are found in, computed once per matrix. */
    static double[] pcs(ExpressionMatrix x) {
        return PCS.computeIfAbsent(x, xx -> FitRows.pca(xx.values(), xx.nCells(), xx.nGenes(), 0).scores());
    }

    /** The input of a knock-out of {@code tf} on {@code net}, without an embedding. */
    static InSilicoPerturbation.Input knockOut(ExpressionMatrix x, int[] groupOf, List<String> types, List<Edge> net,
                                               String tf) {
        return new InSilicoPerturbation.Input(x, groupOf, types, net, null, null, List.of(Perturbation.ko(tf)));
    }

    static GroupModels.Selection selection(String mode) {
        return mode.equals("r") ? GroupModels.Selection.NONE : InSilicoPerturbation.SELECTION;
    }

    /**
     * Per-target pooling rule ({@link PoolingChoice}): {@code C:RULE:GM:PM[:K[:STEPS]]} on the inferred network,
     * {@code CT:…} on the true edges; RULE choose / blend / a fixed weight; GM, PM the per-group and pooled
     * models' selection (r ridge, l lasso); K candidates (30); STEPS propagation steps (3).
     */
    static double[] predictChoice(String v, ExpressionMatrix x, int[] groupOf, List<String> types, List<Edge> net,
                                  String tf) {
        String[] s = v.split(":");
        int maxReg = s.length > 4 ? Integer.parseInt(s[4]) : 30;
        int steps = s.length > 5 ? Integer.parseInt(s[5]) : 3;
        double[] pcs = pcs(x);
        PerturbOptions base = PerturbOptions.defaults();
        double power = s[1].startsWith("blend") && s[1].length() > 5 ? Double.parseDouble(s[1].substring(5)) : 1;
        PerturbOptions o = s[1].equals("choose") || s[1].startsWith("blend")
                ? base.withPoolingRule(s[1].substring(0, Math.min(5, s[1].length())).equals("blend") ? "blend" : "choose")
                : base.withPooling(Double.parseDouble(s[1]));
        InSilicoPerturbation.Input in = knockOut(x, groupOf, types, net, tf);
        double maxQ = s.length > 6 ? Double.parseDouble(s[6]) : Double.NaN;
        int minC = s.length > 7 ? Integer.parseInt(s[7]) : 0;
        int[][] regs = InSilicoPerturbation.regulators(net, x.genes(), maxReg, maxQ, minC);
        String key = v.substring(0, v.indexOf(':')) + ":" + String.join(":", Arrays.copyOfRange(s, 1, Math.min(5, s.length))) + ":" + maxQ + ":" + minC + "@" + System.identityHashCode(x);
        if (!MODELS.containsKey(key)) {
            System.err.printf(Locale.ROOT, "%s: candidates per target mean %.2f%n", v,
                    Arrays.stream(regs).mapToInt(a -> a.length).average().orElse(0));
        }
        GroupModels m = MODELS.computeIfAbsent(key, kk -> InSilicoPerturbation.fit(in, o, regs, pcs, selection(s[2]),
                selection(s[3]), 0, power, Progress.NONE));
        return meanKnockOutShift(m, x, groupOf, tf, steps);
    }

    /**
     * The default fit (blend of per-group and pooled ridge, 30 candidates) with per-candidate ridge penalty factors:
     * {@code P:PENALTY:GAMMA[:STEPS[:raw]]} on the inferred network, {@code PT:…} on the true edges (raw: targets
     * read from the single cells, regulators from the smoothed rows); PENALTY none /
     * network / agreement ({@link InSilicoPerturbation#fit}).
     */
    static double[] predictPenalty(String v, ExpressionMatrix x, int[] groupOf, List<String> types, List<Edge> net,
                                   String tf) {
        String[] s = v.split(":");
        int steps = s.length > 3 ? Integer.parseInt(s[3]) : 3;
        double[] pcs = pcs(x);
        PerturbOptions o = PerturbOptions.defaults();
        InSilicoPerturbation.Input in = knockOut(x, groupOf, types, net, tf);
        int[][] regs = InSilicoPerturbation.regulators(net, x.genes(), 30);
        String key = s[0] + ":" + s[1] + ":" + s[2] + (s.length > 4 ? ":" + s[4] : "") + "@"
                + System.identityHashCode(x);
        GroupModels m = MODELS.computeIfAbsent(key, kk -> InSilicoPerturbation.fit(in, o, regs, pcs,
                GroupModels.Selection.NONE, GroupModels.Selection.NONE, 0, 1, s[1], Double.parseDouble(s[2]),
                s.length > 4 && s[4].equals("raw"), Progress.NONE));
        return meanKnockOutShift(m, x, groupOf, tf, steps);
    }

    /**
     * The default fit on other fit rows: {@code K:FITK:PCS[:STEPS]} (cells averaged per row, principal components
     * of the neighbour search) on the inferred network, {@code KT:…} on the true edges.
     */
    static double[] predictRows(String v, ExpressionMatrix x, int[] groupOf, List<String> types, List<Edge> net,
                                String tf) {
        String[] s = v.split(":");
        int steps = s.length > 3 ? Integer.parseInt(s[3]) : 3;
        int nC = x.nCells();
        int nG = x.nGenes();
        int d = Integer.parseInt(s[2]);
        double[] pcs = PCS_D.computeIfAbsent(d + "@" + System.identityHashCode(x), kk -> RandomizedSvd.compute(
                new DenseOperator(x.values(), nC, nG, DenseOperator.columnMeans(x.values(), nC, nG)), d, 10, 2, 0)
                .scores());
        PerturbOptions o = PerturbOptions.defaults().withFitNeighbours(Integer.parseInt(s[1]));
        InSilicoPerturbation.Input in = knockOut(x, groupOf, types, net, tf);
        int[][] regs = InSilicoPerturbation.regulators(net, x.genes(), 30);
        String key = s[0] + ":" + s[1] + ":" + s[2] + "@" + System.identityHashCode(x);
        GroupModels m = MODELS.computeIfAbsent(key, kk -> InSilicoPerturbation.fit(in, o, regs, pcs,
                GroupModels.Selection.NONE, GroupModels.Selection.NONE, 0, Progress.NONE));
        return meanKnockOutShift(m, x, groupOf, tf, steps);
    }

    static final Map<String, double[]> PCS_D = new HashMap<>();

    /**
     * The default fit on the candidates {@link CellSelection} keeps: {@code S:BIC[:STEPS[:POOL]]} (POOL: a fixed
     * pooled weight instead of the blend), {@code ST:…} on the true edges.
     */
    static double[] predictCellSelection(String v, ExpressionMatrix x, int[] groupOf, List<String> types,
                                         List<Edge> net, String tf) {
        String[] s = v.split(":");
        int steps = s.length > 2 ? Integer.parseInt(s[2]) : 3;
        double[] pcs = pcs(x);
        PerturbOptions o = s.length > 3 ? PerturbOptions.defaults().withPooling(Double.parseDouble(s[3]))
                : PerturbOptions.defaults();
        InSilicoPerturbation.Input in = knockOut(x, groupOf, types, net, tf);
        String key = s[0] + ":" + s[1] + (s.length > 3 ? ":" + s[3] : "") + "@" + System.identityHashCode(x);
        GroupModels m = MODELS.computeIfAbsent(key, kk -> {
            int[][] regs = CellSelection.select(x, groupOf, types.size(),
                    InSilicoPerturbation.regulators(net, x.genes(), 30), Double.parseDouble(s[1]), Progress.NONE);
            System.err.printf(Locale.ROOT, "%s: selected per target mean %.2f%n", v,
                    Arrays.stream(regs).mapToInt(a -> a.length).average().orElse(0));
            return InSilicoPerturbation.fit(in, o, regs, pcs, GroupModels.Selection.NONE,
                    GroupModels.Selection.NONE, 0, Progress.NONE);
        });
        return meanKnockOutShift(m, x, groupOf, tf, steps);
    }

    /**
     * The default fit on the candidates {@link StabilitySelection} keeps: {@code Z:THRESHOLD:BIC:MODE[:STEPS[:PAIRS]]}
     * (MODE {@code w}: each half's lasso on the pooled within-group statistics, {@code b}: on all rows as one group;
     * STEPS default 10, PAIRS default {@link PerturbOptions#STABILITY_PAIRS}), {@code ZT:…} on the true edges.
     */
    static double[] predictStability(String v, ExpressionMatrix x, int[] groupOf, List<String> types,
                                     List<Edge> net, List<Edge> truth, String tf) {
        String[] s = v.split(":");
        int steps = s.length > 4 ? Integer.parseInt(s[4]) : 10;
        int pairs = s.length > 5 ? Integer.parseInt(s[5]) : PerturbOptions.STABILITY_PAIRS;
        int nG = x.nGenes();
        double[] pcs = pcs(x);
        PerturbOptions o = PerturbOptions.defaults();
        InSilicoPerturbation.Input in = knockOut(x, groupOf, types, net, tf);
        String key = s[0] + ":" + s[1] + ":" + s[2] + ":" + s[3] + ":" + pairs + "@" + System.identityHashCode(x);
        GroupModels m = MODELS.computeIfAbsent(key, kk -> {
            FitRows.Rows rows = FitRows.smooth(x, groupOf, types.size(), o.fitNeighbours(), pcs, o.seed());
            int[][] regs = StabilitySelection.select(rows.x(), rows.groupOf(), types.size(),
                    InSilicoPerturbation.regulators(net, x.genes(), 30), pairs, Double.parseDouble(s[1]),
                    Double.parseDouble(s[2]), s[3].equals("b"), o.seed(), Progress.NONE);
            // precision and recall of the kept edges against the true ones
            Set<String> trueE = new HashSet<>();
            truth.forEach(e -> trueE.add(e.tf() + ">" + e.target()));
            int kept = 0;
            int hit = 0;
            for (int g = 0; g < nG; g++) {
                for (int r : regs[g]) {
                    kept++;
                    hit += trueE.contains(x.genes().get(r) + ">" + x.genes().get(g)) ? 1 : 0;
                }
            }
            System.err.printf(Locale.ROOT, "%s: kept per target mean %.2f, precision %.3f, recall %.3f%n", v,
                    Arrays.stream(regs).mapToInt(a -> a.length).average().orElse(0), (double) hit / Math.max(1, kept),
                    (double) hit / Math.max(1, trueE.size()));
            return InSilicoPerturbation.fit(in, o, regs, pcs, GroupModels.Selection.NONE,
                    GroupModels.Selection.NONE, 0, Progress.NONE);
        });
        return meanKnockOutShift(m, x, groupOf, tf, steps);
    }

    /**
     * The default fit (10 steps) blended with the marginal shift ({@link MarginalBlend}): {@code E:W:SRC[:STEPS]},
     * SRC {@code rows} (correlations with the TF on the fit rows) or {@code cells} (on the single cells); the
     * marginal shift is the correlation × the TF's requested mean change (−its mean), no truth.
     */
    static double[] predictBlend(String v, ExpressionMatrix x, int[] groupOf, List<String> types, List<Edge> net,
                                 String tf) {
        String[] s = v.split(":");
        int steps = s.length > 3 ? Integer.parseInt(s[3]) : 10;
        double[] fit = predictPenalty("P:none:0:" + steps, x, groupOf, types, net, tf);
        int nC = x.nCells();
        int nG = x.nGenes();
        int t = x.genes().indexOf(tf);
        float[] src;
        if (s[2].equals("rows")) {
            double[] pcs = pcs(x);
            src = ROWS.computeIfAbsent(x, xx -> FitRows.smooth(xx, groupOf, types.size(),
                    PerturbOptions.FIT_NEIGHBOURS, pcs, 0).x().values());
        } else {
            src = x.values();
        }
        double[] rho = MarginalBlend.correlations(src, nG, t);
        double meanT = 0;
        for (int c = 0; c < nC; c++) {
            meanT += x.values()[c * nG + t] / nC;
        }
        double[] marginal = new double[nG];
        for (int g = 0; g < nG; g++) {
            marginal[g] = rho[g] * -meanT;
        }
        boolean[] skip = new boolean[nG];
        skip[t] = true;
        return MarginalBlend.blend(fit, marginal, skip, Double.parseDouble(s[1]));
    }

    static final Map<ExpressionMatrix, float[]> ROWS = new HashMap<>();

    /**
     * The total effect by back-door adjustment ({@link TotalEffect}): {@code I:K:RULE[:W]}, K parents of the TF
     * from the inferred network ({@code IT:…}: from the true edges), RULE blend (the default per-target pooling
     * rule) or a fixed pooled weight (0: per-group models only, 1: pooled only); W the weight of the total effect
     * blended with the default direct fit ({@code P:none:0:10}) at the mean level (1: the total effect alone); FITK
     * the cells averaged per fit row (default {@link PerturbOptions#FIT_NEIGHBOURS}; 1: single cells).
     */
    static double[] predictTotal(String v, ExpressionMatrix x, int[] groupOf, List<String> types, List<Edge> net,
                                 List<Edge> parentsFrom, String tf) {
        String[] s = v.split(":");
        int parents = Integer.parseInt(s[1]);
        double w = s.length > 3 ? Double.parseDouble(s[3]) : 1;
        int nG = x.nGenes();
        int t = x.genes().indexOf(tf);
        double[] pcs = pcs(x);
        int fitK = s.length > 4 ? Integer.parseInt(s[4]) : PerturbOptions.FIT_NEIGHBOURS;
        PerturbOptions o = (s[2].equals("blend") ? PerturbOptions.defaults()
                : PerturbOptions.defaults().withPooling(Double.parseDouble(s[2]))).withFitNeighbours(fitK);
        InSilicoPerturbation.Input in = knockOut(x, groupOf, types, net, tf);
        int[][] regs = TotalEffect.regressors(InSilicoPerturbation.regulators(parentsFrom, x.genes(), 30),
                new int[]{t}, parents);
        String key = s[0] + ":" + s[1] + ":" + s[2] + ":" + fitK + ":" + tf + "@" + System.identityHashCode(x);
        GroupModels m = MODELS.computeIfAbsent(key, kk -> InSilicoPerturbation.fit(in, o, regs, pcs,
                GroupModels.Selection.NONE, GroupModels.Selection.NONE, 0, Progress.NONE));
        double[] total = meanKnockOutShift(m, x, groupOf, tf, 1);
        if (w >= 1) {
            return total;
        }
        double[] fit = predictPenalty("P:none:0:10", x, groupOf, types, net, tf);
        boolean[] skip = new boolean[nG];
        skip[t] = true;
        return MarginalBlend.blend(fit, total, skip, w);
    }

    static final Map<String, int[][]> REGS = new HashMap<>();

    /**
     * Candidates between the true edges and the network, to see which error costs the fit what: {@code tK-D} = each
     * target's true regulators, each dropped with probability D (seeded), ranked first, then the network's K best
     * edges into it that are not true.
     */
    static List<Edge> mixed(String spec, List<Edge> truth, List<Edge> net) {
        String[] kd = spec.substring(1).split("-");
        int k = Integer.parseInt(kd[0]);
        double drop = kd.length > 1 ? Double.parseDouble(kd[1]) : 0;
        Set<String> trueE = new HashSet<>();
        truth.forEach(e -> trueE.add(e.tf() + ">" + e.target()));
        Random rnd = new Random(truth.size() * 31L + k);
        List<Edge> out = new ArrayList<>();
        for (Edge e : truth) {
            if (rnd.nextDouble() >= drop) {
                out.add(new Edge(e.tf(), e.target(), 10 + Math.abs(e.score()), e.sign(), Double.NaN));
            }
        }
        Map<String, Integer> taken = new HashMap<>();
        List<Edge> sorted = new ArrayList<>(net);
        sorted.sort(Comparator.comparingDouble((Edge e) -> -e.score()).thenComparing(Edge::tf));
        for (Edge e : sorted) {
            if (!trueE.contains(e.tf() + ">" + e.target()) && taken.merge(e.target(), 1, Integer::sum) <= k) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The default pipeline (direct fit, 10 steps, blended with the total effect on 3 parents, weight W) on other
     * candidate parents: {@code G:SRC:MAXREG:PCOR:MIN[:ROWS[:W]]}, SRC {@code n} (the network of {@code netCache})
     * or {@code t} (the true edges), MAXREG its best edges per target, PCOR the within-group partial-correlation
     * threshold ({@link WithinGroupParents}; {@code off}: no filter), MIN kept per target whatever their |ρ|, ROWS
     * {@code cells} (default) or {@code rows} (the partial correlations on the fit's smoothed rows), W the total
     * effect's weight ({@link PerturbOptions#TOTAL_EFFECT}; 0: the direct fit alone), GAMMA the exponent of the
     * direct fit's adaptive-ridge factors from the within-group partial correlations (0: off;
     * {@link InSilicoPerturbation#pcorFactors}), KIND {@code within} (default) or {@code pooled} (the partial
     * correlations over all cells as one group), {@code within-fixed} / {@code pooled-fixed}: each model's λ fixed
     * to the one GCV chooses without the factors. Prints, once per seed and
     * setting, the kept candidates' precision and recall against the true edges.
     */
    static double[] predictParents(String v, ExpressionMatrix x, int[] groupOf, List<String> types, List<Edge> net,
                                   List<Edge> truth, String tf) {
        String[] s = v.split(":");
        List<Edge> src = s[1].equals("t") ? truth : s[1].startsWith("t") ? mixed(s[1], truth, net) : net;
        int maxReg = Integer.parseInt(s[2]);
        double pc = s[3].equals("off") ? Double.NaN : Double.parseDouble(s[3]);
        int min = Integer.parseInt(s[4]);
        boolean onRows = s.length > 5 && s[5].equals("rows");
        double w = s.length > 6 ? Double.parseDouble(s[6]) : PerturbOptions.TOTAL_EFFECT;
        String regKey = String.join(":", Arrays.copyOfRange(s, 0, Math.min(6, s.length))) + "@"
                + System.identityHashCode(x);
        double[] pcs = pcs(x);
        PerturbOptions o = PerturbOptions.defaults();
        int nG = x.nGenes();
        int t = x.genes().indexOf(tf);
        int[][] regs = REGS.computeIfAbsent(regKey, kk -> {
            int[][] cand = InSilicoPerturbation.regulators(src, x.genes(), maxReg);
            int[][] kept = cand;
            if (!Double.isNaN(pc)) {
                if (onRows) {
                    FitRows.Rows rows = FitRows.smooth(x, groupOf, types.size(), o.fitNeighbours(), pcs, o.seed());
                    kept = WithinGroupParents.select(rows.x(), rows.groupOf(), types.size(), cand, pc, min,
                            Progress.NONE);
                } else {
                    kept = WithinGroupParents.select(x, groupOf, types.size(), cand, pc, min, Progress.NONE);
                }
            }
            Set<String> trueE = new HashSet<>();
            truth.forEach(e -> trueE.add(e.tf() + ">" + e.target()));
            int n = 0;
            int hit = 0;
            for (int g = 0; g < nG; g++) {
                for (int r : kept[g]) {
                    n++;
                    hit += trueE.contains(x.genes().get(r) + ">" + x.genes().get(g)) ? 1 : 0;
                }
            }
            System.err.printf(Locale.ROOT, "%s: kept per target mean %.2f, precision %.3f, recall %.3f%n", v,
                    (double) n / nG, (double) hit / Math.max(1, n), (double) hit / Math.max(1, trueE.size()));
            return kept;
        });
        InSilicoPerturbation.Input in = knockOut(x, groupOf, types, net, tf);
        double gamma = s.length > 7 ? Double.parseDouble(s[7]) : 0;
        GroupModels m = MODELS.computeIfAbsent(regKey + ":" + gamma + (s.length > 8 ? s[8] : ""), kk -> InSilicoPerturbation.fit(in, o, regs, pcs,
                GroupModels.Selection.NONE, GroupModels.Selection.NONE, 0, 1, gamma > 0 ? (s.length > 8 ? (s[8].startsWith("pooled") ? "pcor-pooled" : "pcor")
                        + (s[8].endsWith("fixed") ? "-fixed" : "") : "pcor") : "none", gamma,
                false, Progress.NONE));
        double[] fit = meanKnockOutShift(m, x, groupOf, tf, o.steps());
        if (w <= 0) {
            return fit;
        }
        int[][] adj = TotalEffect.regressors(regs, new int[]{t}, PerturbOptions.ADJUST_PARENTS);
        GroupModels tm = MODELS.computeIfAbsent(regKey + ":total:" + tf, kk -> InSilicoPerturbation.fit(in,
                o.withFitNeighbours(PerturbOptions.TOTAL_FIT_NEIGHBOURS), adj, pcs, GroupModels.Selection.NONE,
                GroupModels.Selection.NONE, 0, Progress.NONE));
        double[] total = meanKnockOutShift(tm, x, groupOf, tf, 1);
        if (w >= 1) {
            return total;
        }
        boolean[] skip = new boolean[nG];
        skip[t] = true;
        return MarginalBlend.blend(fit, total, skip, w);
    }

    /** The mean over cells of the predicted shift per gene when {@code tf} is knocked out (level 0). */
    static double[] meanKnockOutShift(GroupModels m, ExpressionMatrix x, int[] groupOf, String tf, int steps) {
        return meanKnockOutShift(m, x, groupOf, tf, steps, null);
    }

    /** As above, each regulator passing on {@code passOn} of its shift ({@link Propagation}). */
    static double[] meanKnockOutShift(GroupModels m, ExpressionMatrix x, int[] groupOf, String tf, int steps,
                                      double[] passOn) {
        int nC = x.nCells();
        int nG = x.nGenes();
        Propagation p = new Propagation(m, new int[]{x.genes().indexOf(tf)}, new double[]{0}, steps, true, passOn);
        double[] out = new double[nG];
        double[] work = new double[nG];
        double[] sum = new double[nG];
        for (int c = 0; c < nC; c++) {
            p.apply(x.values(), c * nG, groupOf[c], out, work);
            for (int g = 0; g < nG; g++) {
                sum[g] += out[g] / nC;
            }
        }
        return sum;
    }

    /** Fitted models per variant and matrix: the fit does not depend on the knocked-out TF. */
    static final Map<String, GroupModels> MODELS = new HashMap<>();

    /** The naive baseline's per-gene shift: correlation with the TF × the TF's true mean change. */
    static double[] naive(ExpressionMatrix x, int t, double tfChange) {
        double[] out = new double[x.nGenes()];
        double[] tfCol = PerturbBenchmark.toDouble(x.geneColumn(t));
        for (int g = 0; g < x.nGenes(); g++) {
            out[g] = ReferenceStatistics.pearson(PerturbBenchmark.toDouble(x.geneColumn(g)), tfCol) * tfChange;
        }
        return out;
    }

    static List<Edge> cached(String model, Simulation sim, AnnData rna, long seed) throws IOException {
        Path f = Path.of(System.getProperty("netCache", System.getProperty("java.io.tmpdir")),
                "net_" + model + "_" + seed + ".tsv");
        if (Files.exists(f)) {
            List<Edge> out = new ArrayList<>();
            for (String line : Files.readAllLines(f)) {
                String[] s = line.split("\t");
                out.add(new Edge(s[0], s[1], Double.parseDouble(s[2]), Integer.parseInt(s[3]),
                        Double.parseDouble(s[4]), Double.parseDouble(s[5])));
            }
            return out;
        }
        List<Edge> n = PerturbBenchmark.network(model, sim, rna, seed);
        StringBuilder sb = new StringBuilder();
        for (Edge e : n) {
            sb.append(e.tf()).append('\t').append(e.target()).append('\t').append(e.score()).append('\t')
                    .append(e.sign()).append('\t').append(e.stability()).append('\t').append(e.q()).append('\n');
        }
        Files.writeString(f, sb);
        return n;
    }
}
