package io.scgrn.models.atac;

import io.scgrn.models.numerics.Correlations;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.scgrn.models.atac.CellStates.residual;

/**
 * Exploratory study (not a test): how well do candidate chromatin statistics separate true TF → enhancer pairs and
 * true TF → target edges from the others? Prints AUROC per statistic.
 *
 * <pre>java -cp CP io.scgrn.models.atac.EvidenceStudy CELLS GENES PEAKS TYPES:GATED:CONF:SEED ...</pre>
 */
public final class EvidenceStudy {
    private EvidenceStudy() {
    }

    public static void main(String[] args) {
        int cells = Integer.parseInt(args[0]);
        int genes = Integer.parseInt(args[1]);
        int peaks = Integer.parseInt(args[2]);
        for (int a = 3; a < args.length; a++) {
            SimulationConfig cfg = io.scgrn.models.sim.SimSpec.config(cells, genes, peaks, args[a]);
            study(cfg, args[a]);
        }
    }

    static void study(SimulationConfig cfg, String label) {
        Simulation sim = MultiomeSimulator.simulate(cfg);
        MultiomeData data = io.scgrn.models.sim.SimSpec.Paired.of(sim).data();
        AtacSettings s = AtacSettings.defaults(cfg.seed());
        Metacells meta = AtacAnalysis.metacells(data, s);
        List<PeakGeneLink> links = AtacAnalysis.links(data, meta, s);
        List<PeakGeneLink> pos = links.stream().filter(l -> l.r() > 0).toList();
        Map<String, Integer> gi = new HashMap<>();
        for (int g = 0; g < data.nGenes(); g++) {
            gi.put(data.genes().get(g), g);
        }
        Set<Long> truePair = new HashSet<>();
        Set<Long> trueEdge = new HashSet<>();
        for (Simulation.TrueEdge e : sim.edges()) {
            truePair.add((long) gi.get(e.tf()) * 1_000_000 + e.peak());
            trueEdge.add((long) gi.get(e.tf()) * 1_000_000 + gi.get(e.target()));
        }
        int nT = cfg.tfs();
        int m = meta.nMeta();
        int n = data.nCells();
        int ng = data.nGenes();
        int np = data.nPeaks();
        float[][] gm = Correlations.standardisedColumns(meta.rna(), m, ng);
        float[][] pm = Correlations.standardisedColumns(meta.atac(), m, np);
        // Clusters of cells: k-means on the joint embedding.
        double[] emb = Metacells.jointEmbedding(data, s.dims(), s.rnaWeight(), s.seed());
        int d = emb.length / n;
        Map<String, int[]> clusterings = new LinkedHashMap<>();
        for (int k : new int[] {4, 8, 16}) {
            clusterings.put("km" + k, CellStates.cluster(emb, n, d, k, s.seed()));
        }
        int[] truth = new int[n];
        for (int c = 0; c < n; c++) {
            truth[c] = Integer.parseInt(sim.cellType().get(c).substring(4));
        }
        clusterings.put("types", truth);
        // Cell-level log expression and binary peaks (columns).
        float[] x = data.rna();
        int[][] csc = data.atac().toCsc();

        // ---- TF–peak pairs ----
        Set<Integer> linkedPeaks = new TreeSet<>();
        pos.forEach(l -> linkedPeaks.add(l.peak()));
        List<Boolean> lab = new ArrayList<>();
        Map<String, List<Double>> stats = new LinkedHashMap<>();
        Map<String, float[][]> resRna = new HashMap<>();
        Map<String, float[][]> resAtac = new HashMap<>();
        Map<String, float[][]> resMetaR = new HashMap<>();
        Map<String, float[][]> resMetaA = new HashMap<>();
        for (Map.Entry<String, int[]> cl : clusterings.entrySet()) {
            int[] lab0 = cl.getValue();
            float[] rr = new float[n * nT];
            for (int t = 0; t < nT; t++) {
                for (int c = 0; c < n; c++) {
                    rr[c * nT + t] = x[c * ng + t];
                }
            }
            resRna.put(cl.getKey(), Correlations.standardisedColumns(residual(rr, n, nT, lab0), n, nT));
            List<Integer> lp = new ArrayList<>(linkedPeaks);
            float[] aa = new float[n * lp.size()];
            for (int j = 0; j < lp.size(); j++) {
                int p = lp.get(j);
                for (int k = csc[0][p]; k < csc[0][p + 1]; k++) {
                    aa[csc[1][k] * lp.size() + j] = 1;
                }
            }
            float[][] ra = Correlations.standardisedColumns(residual(aa, n, lp.size(), lab0), n, lp.size());
            float[][] full = new float[np][];
            for (int j = 0; j < lp.size(); j++) {
                full[lp.get(j)] = ra[j];
            }
            resAtac.put(cl.getKey(), full);
            // metacell level: label each metacell by the majority cluster of its members
            int[] ml = new int[m];
            for (int i = 0; i < m; i++) {
                Map<Integer, Integer> cnt = new HashMap<>();
                for (int c : meta.members()[i]) {
                    cnt.merge(lab0[c], 1, Integer::sum);
                }
                ml[i] = cnt.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
            }
            resMetaR.put(cl.getKey(), Correlations.standardisedColumns(residual(meta.rna().clone(), m, ng, ml), m,
                    ng));
            resMetaA.put(cl.getKey(), Correlations.standardisedColumns(residual(meta.atac().clone(), m, np, ml), m,
                    np));
        }
        for (int p : linkedPeaks) {
            for (int t = 0; t < nT; t++) {
                lab.add(truePair.contains((long) t * 1_000_000 + p));
                stats.computeIfAbsent("meta r", k -> new ArrayList<>()).add(Correlations.dot(gm[t], pm[p]));
                for (String k : clusterings.keySet()) {
                    stats.computeIfAbsent("cell res " + k, q -> new ArrayList<>())
                            .add(Correlations.dot(resRna.get(k)[t], resAtac.get(k)[p]));
                    stats.computeIfAbsent("meta res " + k, q -> new ArrayList<>())
                            .add(Correlations.dot(resMetaR.get(k)[t], resMetaA.get(k)[p]));
                }
            }
        }
        Set<Long> hitPair = new HashSet<>();
        for (Simulation.MotifHit h : sim.motifs()) {
            hitPair.add((long) gi.get(h.tf()) * 1_000_000 + h.peak());
        }
        {
            List<Boolean> hl = new ArrayList<>();
            Map<String, List<Double>> hs = new LinkedHashMap<>();
            int i = 0;
            for (int p : linkedPeaks) {
                for (int t = 0; t < nT; t++, i++) {
                    if (!hitPair.contains((long) t * 1_000_000 + p)) {
                        continue;
                    }
                    hl.add(lab.get(i));
                    for (Map.Entry<String, List<Double>> e : stats.entrySet()) {
                        hs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().get(i));
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%s table-hit TF-peak pairs: %d (%d true)%n", label, hl.size(),
                    hl.stream().filter(b -> b).count());
            hs.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-22s AUROC %.3f%n", k, auroc(v, hl)));
        }
        System.out.printf(Locale.ROOT, "%s TF-peak pairs: %d (%d true)%n", label, lab.size(),
                lab.stream().filter(b -> b).count());
        stats.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-22s AUROC %.3f%n", k, auroc(v, lab)));

        // ---- whole network: |r| vs within-state |r| ----
        {
            float[][] gcAll = Correlations.standardisedColumns(x, n, ng);
            List<Boolean> al = new ArrayList<>();
            Map<String, List<Double>> as = new LinkedHashMap<>();
            Map<String, float[][]> res = new LinkedHashMap<>();
            for (Map.Entry<String, int[]> cl : clusterings.entrySet()) {
                res.put(cl.getKey(), Correlations.standardisedColumns(residual(x.clone(), n, ng, cl.getValue()), n,
                        ng));
            }
            for (int t = 0; t < nT; t++) {
                for (int g = 0; g < ng; g++) {
                    if (g == t) {
                        continue;
                    }
                    al.add(trueEdge.contains((long) t * 1_000_000 + g));
                    double r = Math.abs(Correlations.dot(gcAll[t], gcAll[g]));
                    as.computeIfAbsent("|r|", q -> new ArrayList<>()).add(r);
                    for (Map.Entry<String, float[][]> e : res.entrySet()) {
                        double rr = Math.abs(Correlations.dot(e.getValue()[t], e.getValue()[g]));
                        as.computeIfAbsent("|res r| " + e.getKey(), q -> new ArrayList<>()).add(rr);
                        as.computeIfAbsent("|r|+|res r| " + e.getKey(), q -> new ArrayList<>()).add(r + rr);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%s all TF-gene pairs: %d (%d true)%n", label, al.size(),
                    al.stream().filter(b -> b).count());
            as.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-22s AUROC %.3f  EPR %.2f%n", k, auroc(v, al),
                    epr(v, al)));
        }
        if (Boolean.getBoolean("skipEdges")) {
            return;
        }
        // ---- TF -> target edges, informative targets only ----
        Map<Integer, List<Integer>> genePeaks = new HashMap<>();
        pos.forEach(l -> genePeaks.computeIfAbsent(l.gene(), q -> new ArrayList<>()).add(l.peak()));
        float[][] gc = Correlations.standardisedColumns(x, n, ng);
        int[] km = clusterings.get(System.getProperty("km", "km8"));
        float[][] gres = Correlations.standardisedColumns(residual(x.clone(), n, ng, km), n, ng);
        int kk = 0;
        for (int c : km) {
            kk = Math.max(kk, c + 1);
        }
        int[] kcnt = new int[kk];
        for (int c : km) {
            kcnt[c]++;
        }
        // cluster-mean accessibility per peak
        Map<Integer, double[]> clusterAcc = new HashMap<>();
        for (int p : linkedPeaks) {
            double[] a = new double[kk];
            for (int k = csc[0][p]; k < csc[0][p + 1]; k++) {
                a[km[csc[1][k]]] += 1;
            }
            for (int c = 0; c < kk; c++) {
                a[c] /= kcnt[c];
            }
            clusterAcc.put(p, a);
        }
        // kNN-smoothed accessibility per cell (k = 30) for linked peaks
        int[][] nn = Metacells.knn(emb, n, d, 30);
        double[] w = new double[n];
        Map<Integer, double[]> smooth = new HashMap<>();
        float[] prodc = new float[n];
        List<Boolean> el = new ArrayList<>();
        Map<String, List<Double>> es = new LinkedHashMap<>();
        float[] prod = new float[m];
        for (Map.Entry<Integer, List<Integer>> e : genePeaks.entrySet()) {
            int g = e.getKey();
            for (int t = 0; t < nT; t++) {
                if (t == g) {
                    continue;
                }
                el.add(trueEdge.contains((long) t * 1_000_000 + g));
                es.computeIfAbsent("|cell r|", q -> new ArrayList<>()).add(Math.abs(Correlations.dot(gc[t], gc[g])));
                es.computeIfAbsent("|meta r|", q -> new ArrayList<>()).add(Math.abs(Correlations.dot(gm[t], gm[g])));
                double bestGate = 0;
                double bestGateRes = 0;
                double bestCouple = 0;
                for (int p : e.getValue()) {
                    for (int i = 0; i < m; i++) {
                        prod[i] = meta.rna()[i * ng + t] * meta.atac()[i * np + p];
                    }
                    float[] pc = Correlations.standardisedColumns(prod, m, 1)[0];
                    double r = Math.abs(Correlations.dot(pc, gm[g]));
                    bestGate = Math.max(bestGate, r);
                    bestGateRes = Math.max(bestGateRes, r - Math.abs(Correlations.dot(gm[t], gm[g])));
                    bestCouple = Math.max(bestCouple, Correlations.dot(resRna.get("km8")[t], resAtac.get("km8")[p]));
                }
                double bestW = 0;
                double bestWk = 0;
                double bestProd = 0;
                for (int p : e.getValue()) {
                    double[] a = clusterAcc.get(p);
                    for (int c = 0; c < n; c++) {
                        w[c] = a[km[c]];
                    }
                    bestW = Math.max(bestW, Math.abs(weightedCorr(x, ng, t, g, w)));
                    for (int c = 0; c < n; c++) {
                        prodc[c] = (float) (x[c * ng + t] * w[c]);
                    }
                    bestProd = Math.max(bestProd, Math.abs(Correlations.dot(
                            Correlations.standardisedColumns(prodc, n, 1)[0], gc[g])));
                    bestWk = Math.max(bestWk, Math.abs(weightedCorr(x, ng, t, g, smooth.computeIfAbsent(p,
                            q -> smoothed(csc, q, nn, n)))));
                }
                double cr = Math.abs(Correlations.dot(gc[t], gc[g]));
                es.computeIfAbsent("wcorr cluster acc", q -> new ArrayList<>()).add(bestW);
                es.computeIfAbsent("wcorr knn acc", q -> new ArrayList<>()).add(bestWk);
                es.computeIfAbsent("|r(g, t*acc)| cell", q -> new ArrayList<>()).add(bestProd);
                es.computeIfAbsent("|res r|", q -> new ArrayList<>()).add(Math.abs(Correlations.dot(gres[t], gres[g])));
                es.computeIfAbsent("max(|r|, wcorr knn)", q -> new ArrayList<>()).add(Math.max(cr, bestWk));
                es.computeIfAbsent("gate |r(g, t*a)|", q -> new ArrayList<>()).add(bestGate);
                es.computeIfAbsent("gate gain", q -> new ArrayList<>()).add(bestGateRes);
                es.computeIfAbsent("couple km8 max", q -> new ArrayList<>()).add(bestCouple);
                es.computeIfAbsent("|cell r|*couple", q -> new ArrayList<>())
                        .add(Math.abs(Correlations.dot(gc[t], gc[g])) * Math.max(0, bestCouple));
            }
        }
        System.out.printf(Locale.ROOT, "%s TF-target pairs: %d (%d true)%n", label, el.size(),
                el.stream().filter(b -> b).count());
        es.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-22s AUROC %.3f  EPR %.2f%n", k, auroc(v, el),
                epr(v, el)));
    }

    static double[] smoothed(int[][] csc, int p, int[][] nn, int n) {
        BitSet open = new BitSet(n);
        for (int k = csc[0][p]; k < csc[0][p + 1]; k++) {
            open.set(csc[1][k]);
        }
        double[] w = new double[n];
        for (int c = 0; c < n; c++) {
            int o = 0;
            for (int j : nn[c]) {
                if (open.get(j)) {
                    o++;
                }
            }
            w[c] = o / (double) nn[c].length;
        }
        return w;
    }

    /** Weighted Pearson correlation of columns a and b of x (rows × cols) with row weights w. */
    static double weightedCorr(float[] x, int cols, int a, int b, double[] w) {
        double sw = 0;
        double ma = 0;
        double mb = 0;
        int rows = w.length;
        for (int r = 0; r < rows; r++) {
            sw += w[r];
            ma += w[r] * x[r * cols + a];
            mb += w[r] * x[r * cols + b];
        }
        if (sw <= 0) {
            return 0;
        }
        ma /= sw;
        mb /= sw;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int r = 0; r < rows; r++) {
            double da = x[r * cols + a] - ma;
            double db = x[r * cols + b] - mb;
            sab += w[r] * da * db;
            saa += w[r] * da * da;
            sbb += w[r] * db * db;
        }
        return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
    }

    static double auroc(List<Double> s, List<Boolean> lab) {
        int n = s.size();
        Integer[] o = new Integer[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        Arrays.sort(o, (a, b) -> Double.compare(s.get(a), s.get(b)));
        double rankSum = 0;
        long npos = 0;
        for (int i = 0; i < n; i++) {
            if (lab.get(o[i])) {
                rankSum += i + 1;
                npos++;
            }
        }
        long nneg = n - npos;
        return (rankSum - npos * (npos + 1) / 2.0) / (npos * (double) nneg);
    }

    /** Precision in the top-k (k = positives) over the base rate. */
    static double epr(List<Double> s, List<Boolean> lab) {
        int n = s.size();
        Integer[] o = new Integer[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        Arrays.sort(o, (a, b) -> Double.compare(s.get(b), s.get(a)));
        long npos = lab.stream().filter(b -> b).count();
        long hit = 0;
        for (int i = 0; i < npos; i++) {
            if (lab.get(o[i])) {
                hit++;
            }
        }
        return (hit / (double) npos) / (npos / (double) n);
    }
}
