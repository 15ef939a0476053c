package io.scgrn.models.perturb;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.calibration.DecoyCalibration;
import io.scgrn.models.numerics.DenseOperator;
import io.scgrn.models.numerics.RandomizedSvd;
import io.scgrn.models.prep.PrepOptions;
import io.scgrn.models.prep.Preparation;
import io.scgrn.models.prep.PreparedData;
import io.scgrn.models.sim.Counterfactual;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.scgrn.models.numerics.ReferenceStatistics.pearson;

/**
 * Accuracy benchmark of in-silico perturbation (not a test): for several simulator seeds, every TF with ≥ 5 true
 * targets (at most {@code maxTfs} per seed, most targets first) is knocked out in silico and in the simulator
 * ({@link Counterfactual}: the same cells through the true model). Scored per knock-out:
 * <ul>
 *   <li>Pearson r between predicted and true per-gene change of mean log-normalised expression (the perturbed TF
 *   itself left out), for scgrn and for the naive baseline (each gene shifted by its correlation with the TF ×
 *   the TF's mean change);</li>
 *   <li>direction: share of perturbed cells (TF &gt; 0) in affected groups (mean true displacement ≥ half the
 *   largest group's) whose predicted transition vector points within 90° of the true displacement on the PCA
 *   embedding (the true displacement is the counterfactual's expression change projected on the same PCs).</li>
 * </ul>
 * Run: {@code java -cp <graph-models test class path> io.scgrn.models.perturb.PerturbBenchmark [model] [seeds]
 * [cells] [genes] [maxTfs]}; model "truth" uses the true edges. System properties: {@code firstSeed} (1),
 * {@code regression}, {@code pooling} and {@code poolingRule} (the {@link PerturbOptions} defaults; ridge, 0 and
 * fixed give round 3's fit),
 * {@code maxRegulators}, {@code fitNeighbours}, {@code marginal} ({@link PerturbOptions#withMarginal}), {@code k},
 * {@code arrows}, {@code embedding=warp}, {@code netCache},
 * {@code candidateQ} and {@code minCandidates} ({@link PerturbOptions#withCandidates}), {@code stability}
 * ({@link PerturbOptions#withStability}), {@code reachTop} and {@code reachShrink} ({@link PerturbOptions#withReach}).
 * Model names ending in "-q"
 * ("crowd-q") infer with decoy calibration, so edges carry q-values.
 */
public final class PerturbBenchmark {
    private PerturbBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        String model = args.length > 0 ? args[0] : "pearson";
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int cells = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int genes = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int maxTfs = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        int tfs = Math.max(10, genes / 10);
        System.out.printf(Locale.ROOT, "network=%s cells=%d genes=%d tfs=%d seeds=%d (4 cell types, dropout 0.1, "
                + "gated 0.7)%n", model, cells, genes, tfs, seeds);
        System.out.println("| seed | TF | targets | r scgrn | r naive | ratio | direction: arrows | direction: δ·PCs "
                + "| cells |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        List<Double> rs = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> dirs = new ArrayList<>();
        List<Double> projs = new ArrayList<>();
        long agreeProj = 0;
        long affectedCells = 0;
        long agreeCells = 0;
        int firstSeed = Integer.getInteger("firstSeed", 1);
        for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
            SimulationConfig cfg = new SimulationConfig(cells, genes, 10 * genes, tfs, 4, 0.1, 0.7, seed);
            Simulation sim = MultiomeSimulator.simulate(cfg);
            Map<String, Integer> nTargets = targetCounts(sim);
            List<String> chosen = chosenTfs(nTargets, maxTfs);
            AnnData rna = sim.toMuData().mod().get("rna");
            List<Edge> edges = System.getProperty("netCache") != null ? PerturbDiag.cached(model, sim, rna, seed)
                    : network(model, sim, rna, seed);
            for (String tf : chosen) {
                Counterfactual cf = Counterfactual.simulate(cfg, Map.of(tf, 0.0));
                Row r = score(sim, cf, rna, edges, tf);
                rs.add(r.r);
                ratios.add(r.r / r.naive);
                dirs.add(r.direction);
                projs.add(r.projected);
                agreeProj += Math.round(r.projected * r.cells);
                affectedCells += r.cells;
                agreeCells += Math.round(r.direction * r.cells);
                System.out.printf(Locale.ROOT, "| %d | %s | %d | %.3f | %.3f | %.2f | %.1f %% | %.1f %% | %d |%n",
                        seed, tf, nTargets.get(tf), r.r, r.naive, r.r / r.naive, 100 * r.direction,
                        100 * r.projected, r.cells);
            }
        }
        System.out.printf(Locale.ROOT, "median r %.3f, median ratio %.2f; direction, pooled over %d cells: arrows "
                + "%.1f %% (median per knock-out %.1f %%), δ·PCs %.1f %% (median %.1f %%)%n", median(rs),
                median(ratios), affectedCells, 100.0 * agreeCells / Math.max(1, affectedCells), 100 * median(dirs),
                100.0 * agreeProj / Math.max(1, affectedCells), 100 * median(projs));
    }

    /** Model-name suffix ("crowd-q"): infer with decoy calibration, so the edges carry q-values. */
    static final String CALIBRATED = "-q";

    record Row(double r, double naive, double direction, double projected, int cells) {
    }

    static List<Edge> network(String model, Simulation sim, AnnData rna, long seed) {
        if (model.equals("truth")) {
            List<Edge> out = new ArrayList<>();
            sim.edges().forEach(e -> out.add(new Edge(e.tf(), e.target(), e.weight(), e.sign(), Double.NaN)));
            return out;
        }
        PreparedData p = Preparation.prepare(rna, sim.tfs(), PrepOptions.defaults().withNTopGenes(0));
        // -DmodelParams=k=v,k=v: the model's -p parameters (e.g. crowd's within=mix); cache such networks apart
        Map<String, String> params = new HashMap<>();
        String mp = System.getProperty("modelParams", "");
        for (String kv : mp.isBlank() ? new String[0] : mp.split(",")) {
            params.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        InferenceOptions io = new InferenceOptions(seed, "cpu", params, List.of());
        if (model.endsWith(CALIBRATED)) {
            // the edges with q-values, as `scgrn infer` computes its q column (default decoy settings)
            return DecoyCalibration.infer(Models.byName(model.substring(0, model.length() - CALIBRATED.length())),
                    p.matrix(), p.tfs(), io, Progress.NONE, DecoyCalibration.Settings.defaults()).network().edges();
        }
        Network n = Models.byName(model).infer(p.matrix(), p.tfs(), io, Progress.NONE);
        return n.edges();
    }

    static Row score(Simulation sim, Counterfactual cf, AnnData rna, List<Edge> edges, String tf) {
        List<String> genes = sim.genes();
        int nC = sim.cells().size();
        int nG = genes.size();
        double[] libO = librarySizes(sim.rna(), nC);
        double[] libC = librarySizes(cf.rna(), nC);
        double target = median(Arrays.stream(libO).boxed().toList());
        float[] xo = logNorm(sim.rna(), libO, target, nG);
        float[] xc = logNorm(cf.rna(), libC, target, nG);
        ExpressionMatrix x = new ExpressionMatrix(xo, sim.cells(), genes);
        List<String> types = sim.cellType().stream().distinct().sorted().toList();
        int[] groupOf = sim.cellType().stream().mapToInt(types::indexOf).toArray();
        boolean warp = "warp".equals(System.getProperty("embedding"));
        double[] pcaV = null;
        double[] mean = null;
        double[] givenEmb = null;
        if (warp) {
            // a smooth nonlinear embedding (a warped PCA) stands in for a UMAP: the true displacement is known
            mean = DenseOperator.columnMeans(xo, nC, nG);
            var svd = RandomizedSvd.compute(new DenseOperator(xo,
                    nC, nG, mean), 2, 10, 2, 0);
            pcaV = svd.v();
            double[] sc = svd.scores();
            double sd = Math.sqrt(Arrays.stream(sc).map(a -> a * a).sum() / sc.length);
            WARP_SCALE = sd;
            givenEmb = new double[2 * nC];
            for (int c = 0; c < nC; c++) {
                double[] w = warp(sc[2 * c], sc[2 * c + 1]);
                givenEmb[2 * c] = w[0];
                givenEmb[2 * c + 1] = w[1];
            }
        }
        PerturbOptions opts = PerturbOptions.defaults()
                .withArrows(System.getProperty("arrows", PerturbOptions.defaults().arrows()))
                .withFitNeighbours(Integer.getInteger("fitNeighbours", PerturbOptions.defaults().fitNeighbours()))
                .withRegression(System.getProperty("regression", PerturbOptions.defaults().regression()))
                .withSteps(Integer.getInteger("steps", PerturbOptions.defaults().steps()));
        if (System.getProperty("pooling") != null) {
            opts = opts.withPooling(Double.parseDouble(System.getProperty("pooling")));
        }
        if (System.getProperty("poolingRule") != null) {
            opts = opts.withPoolingRule(System.getProperty("poolingRule"));
        }
        if (System.getProperty("stability") != null) {
            opts = opts.withStability(Double.parseDouble(System.getProperty("stability")));
        }
        if (System.getProperty("marginal") != null) {
            opts = opts.withMarginal(Double.parseDouble(System.getProperty("marginal")));
        }
        if (System.getProperty("totalEffect") != null) {
            opts = opts.withTotalEffect(Double.parseDouble(System.getProperty("totalEffect")),
                    Integer.getInteger("adjustParents", PerturbOptions.ADJUST_PARENTS));
        }
        if (System.getProperty("parentPcor") != null) {
            opts = opts.withParents(Double.parseDouble(System.getProperty("parentPcor")),
                    Integer.getInteger("minParents", PerturbOptions.MIN_PARENTS));
        }
        if (System.getProperty("parentPenalty") != null) {
            opts = opts.withParentPenalty(Double.parseDouble(System.getProperty("parentPenalty")));
        }
        if (System.getProperty("rankWeight") != null) {
            opts = opts.withRankWeight(Double.parseDouble(System.getProperty("rankWeight")));
        }
        if (System.getProperty("fitBetween") != null || System.getProperty("totalBetween") != null) {
            // -DfitBetween / -DtotalBetween: the pooled models' share of the between-group co-variation (round 10)
            opts = opts.withBetween(Double.parseDouble(System.getProperty("fitBetween", "" + opts.fitBetween())),
                    Double.parseDouble(System.getProperty("totalBetween", "" + opts.totalBetween())));
        }
        if (System.getProperty("pathDamping") != null || System.getProperty("pathGate") != null) {
            opts = opts.withPaths(Double.parseDouble(System.getProperty("pathDamping", "" + opts.pathDamping())),
                    Boolean.parseBoolean(System.getProperty("pathGate", "" + opts.pathGate())));
        }
        if (System.getProperty("indirectEps") != null) {
            opts = opts.withIndirect(Double.parseDouble(System.getProperty("indirectEps")),
                    Boolean.parseBoolean(System.getProperty("indirectTfs", "false")));
        }
        if (System.getProperty("responseShrink") != null) {
            opts = opts.withResponseTest(Double.parseDouble(System.getProperty("responseQ", "NaN")),
                    Double.parseDouble(System.getProperty("responseShrink")));
        }
        if (System.getProperty("reachTop") != null) {
            // -DreachTop=K -DreachShrink=S: genes without the TF among their K best regulators keep S (round 15)
            opts = opts.withReach(Integer.getInteger("reachTop"),
                    Double.parseDouble(System.getProperty("reachShrink", "" + PerturbOptions.REACH_SHRINK)));
        }
        if (System.getProperty("candidateQ") != null) {
            opts = opts.withCandidates(Double.parseDouble(System.getProperty("candidateQ")),
                    Integer.getInteger("minCandidates", PerturbOptions.MIN_CANDIDATES));
        }
        InSilicoPerturbation.Result res = InSilicoPerturbation.run(new InSilicoPerturbation.Input(x, groupOf, types,
                edges, givenEmb, warp ? "warped PCA" : null, List.of(Perturbation.ko(tf))), opts
                .withNeighbours(Integer.getInteger("k", PerturbOptions.defaults().neighbours()))
                .withMaxRegulators(Integer.getInteger("maxRegulators", PerturbOptions.defaults().maxRegulators())),
                Progress.NONE);
        int t = genes.indexOf(tf);
        double[] pred = new double[nG - 1];
        double[] truth = new double[nG - 1];
        double[] naive = new double[nG - 1];
        double tfChange = 0;
        for (int c = 0; c < nC; c++) {
            tfChange += xc[c * nG + t] - xo[c * nG + t];
        }
        tfChange /= nC;
        float[] tfCol = x.geneColumn(t);
        int k = 0;
        for (int g = 0; g < nG; g++) {
            if (g == t) {
                continue;
            }
            double p = 0;
            double tr = 0;
            for (int c = 0; c < nC; c++) {
                p += res.delta()[c * nG + g];
                tr += xc[c * nG + g] - xo[c * nG + g];
            }
            pred[k] = p / nC;
            truth[k] = tr / nC;
            naive[k] = pearson(toDouble(x.geneColumn(g)), toDouble(tfCol)) * tfChange;
            k++;
        }
        // direction on the PCA embedding the perturbation computed
        double[] v = warp ? pcaV : res.pcaLoadings();
        double[] trueDisp = new double[2 * nC];
        double[] base = new double[2 * nC];
        double[] groupDisp = new double[types.size()];
        int[] groupN = new int[types.size()];
        for (int c = 0; c < nC; c++) {
            double a = 0;
            double b = 0;
            for (int g = 0; g < nG; g++) {
                double d = xc[c * nG + g] - xo[c * nG + g];
                a += d * v[g * 2];
                b += d * v[g * 2 + 1];
            }
            if (warp) {
                double pa = 0;
                double pb = 0;
                for (int g = 0; g < nG; g++) {
                    double d = xo[c * nG + g] - mean[g];
                    pa += d * v[g * 2];
                    pb += d * v[g * 2 + 1];
                }
                base[2 * c] = pa;
                base[2 * c + 1] = pb;
                double[] w0 = warp(pa, pb);
                double[] w1 = warp(pa + a, pb + b);
                a = w1[0] - w0[0];
                b = w1[1] - w0[1];
            }
            trueDisp[2 * c] = a;
            trueDisp[2 * c + 1] = b;
            groupDisp[groupOf[c]] += Math.hypot(a, b);
            groupN[groupOf[c]]++;
        }
        double maxGroup = 0;
        for (int i = 0; i < types.size(); i++) {
            groupDisp[i] /= Math.max(1, groupN[i]);
            maxGroup = Math.max(maxGroup, groupDisp[i]);
        }
        int n = 0;
        int agree = 0;
        int agreeProj = 0;
        for (int c = 0; c < nC; c++) {
            if (groupDisp[groupOf[c]] < 0.5 * maxGroup || tfCol[c] <= 0) {
                continue;
            }
            n++;
            double dot = trueDisp[2 * c] * res.vectors()[2 * c] + trueDisp[2 * c + 1] * res.vectors()[2 * c + 1];
            agree += dot > 0 ? 1 : 0;
            double pa = 0;
            double pb = 0;
            for (int g = 0; g < nG; g++) {
                pa += res.delta()[c * nG + g] * v[g * 2];
                pb += res.delta()[c * nG + g] * v[g * 2 + 1];
            }
            if (warp) {
                double[] w0 = warp(base[2 * c], base[2 * c + 1]);
                double[] w1 = warp(base[2 * c] + pa, base[2 * c + 1] + pb);
                pa = w1[0] - w0[0];
                pb = w1[1] - w0[1];
            }
            agreeProj += pa * trueDisp[2 * c] + pb * trueDisp[2 * c + 1] > 0 ? 1 : 0;
        }
        return new Row(pearson(pred, truth), pearson(naive, truth), n == 0 ? Double.NaN : (double) agree / n,
                n == 0 ? Double.NaN : (double) agreeProj / n, n);
    }

    static double WARP_SCALE = 1;

    /** A smooth nonlinear deformation of the plane (swirl-like), scaled to the PCA's spread. */
    static double[] warp(double a, double b) {
        double s = WARP_SCALE;
        return new double[]{a + 0.8 * s * Math.sin(b / s), b + 0.8 * s * Math.sin(a / s)};
    }

    /** True targets per TF of a simulation. */
    static Map<String, Integer> targetCounts(Simulation sim) {
        Map<String, Integer> nTargets = new HashMap<>();
        sim.edges().forEach(e -> nTargets.merge(e.tf(), 1, Integer::sum));
        return nTargets;
    }

    /** The TFs to knock out: those with at least 5 true targets, most targets first (ties by name), at most maxTfs. */
    static List<String> chosenTfs(Map<String, Integer> nTargets, int maxTfs) {
        return nTargets.entrySet().stream().filter(e -> e.getValue() >= 5)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey())).limit(maxTfs).map(Map.Entry::getKey).toList();
    }

    static double[] librarySizes(SparseMatrix m, int nC) {
        double[] lib = new double[nC];
        for (int c = 0; c < nC; c++) {
            for (long p = m.indptr()[c]; p < m.indptr()[c + 1]; p++) {
                lib[c] += m.data().get((int) p);
            }
        }
        return lib;
    }

    static float[] logNorm(SparseMatrix m, double[] lib, double target, int nG) {
        int nC = lib.length;
        float[] out = new float[nC * nG];
        for (int c = 0; c < nC; c++) {
            for (long p = m.indptr()[c]; p < m.indptr()[c + 1]; p++) {
                out[c * nG + m.indices()[(int) p]] = (float) Math.log1p(m.data().get((int) p) / lib[c] * target);
            }
        }
        return out;
    }

    static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2]
                : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
