package io.scgrn.models.sim;

import io.scgrn.models.atac.AtacAnalysis;
import io.scgrn.models.atac.AtacSettings;
import io.scgrn.models.atac.CellStates;
import io.scgrn.models.atac.Metacells;
import io.scgrn.models.atac.MotifTable;
import io.scgrn.models.atac.MultiomeData;
import io.scgrn.models.atac.ParalogSplit;
import io.scgrn.models.atac.PeakGeneLink;
import io.scgrn.models.motif.MotifScan;
import io.scgrn.models.numerics.Correlations;
import io.scgrn.models.numerics.Distributions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which label-free statistics of a scanned (TF, peak) hit separate the TF's true bindings from the simulator's
 * decoys and from other TFs' (paralogs') planted sites (round 11, a diagnosis, not a test). For each simulation: the
 * genome scan as the genome path scores it, the ATAC step's metacells and peak–gene links, and per hit on a peak with
 * a prior-carrying link: the scan score, the TF–peak coupling over metacells (raw r, z against the TF's own spread as
 * the shipped coupling computes it, the same within cell states), the hit's coupling relative to the other TFs hitting
 * the same peak, the peak's strongest link weight, and the shipped evidence (score · (1 − c + c · coupling)). The
 * simulator's truth (bound, planted decoy, unplanted) judges them by AUROC; it is never an input of a statistic.
 *
 * <pre>java -cp CP io.scgrn.models.sim.HitDiagnosis CELLS GENES PEAKS TYPES:GATED:CONFOUNDING:SEED ...</pre>
 */
public final class HitDiagnosis {
    private HitDiagnosis() {
    }

    static final String[] STATS = {"score", "r", "z", "coupling", "zWithin", "zRel", "zRank", "link", "shipped",
        "shipped*rel", "shipped*rank", "path", "c1path", "phiPath", "relPar", "path*relPar", "path*relPar2"};

    public static void main(String[] args) throws Exception {
        int cells = Integer.parseInt(args[0]);
        int genes = Integer.parseInt(args[1]);
        int peaks = Integer.parseInt(args[2]);
        StringBuilder head = new StringBuilder("| seed | hits | bound | decoy | unplanted | contrast |");
        for (String s : STATS) {
            head.append(' ').append(s).append(" |");
        }
        System.out.println(head);
        for (int a = 3; a < args.length; a++) {
            SimulationConfig cfg = SimSpec.config(cells, genes, peaks, args[a]);
            run(cfg);
        }
    }

    static void run(SimulationConfig cfg) throws Exception {
        MotifScanAccuracy.GenomeSim gs = MotifScanAccuracy.GenomeSim.of(cfg);
        Simulation sim = gs.sim();
        MultiomeData data = MultiomeBenchmark.Start.of(sim, "pearson", cfg.seed(), false).data();
        MotifTable table = gs.table(data);
        MotifTable scanned = MotifScan.toMotifTable(gs.scan(data), sim.tfs(), data.peaks());
        gs.deleteGenome();
        AtacSettings s = AtacSettings.defaults(cfg.seed());
        Metacells meta = AtacAnalysis.metacells(data, s);
        List<PeakGeneLink> links = AtacAnalysis.links(data, meta, s);
        int[] states = CellStates.states(data, s.states(), s);
        Metacells within = CellStates.withinStates(meta, states, data.nGenes(), data.nPeaks());
        int m = meta.nMeta();
        int np = data.nPeaks();
        float[][] geneCols = Correlations.standardisedColumns(meta.rna(), m, data.nGenes());
        float[][] geneColsW = Correlations.standardisedColumns(within.rna(), m, data.nGenes());
        // peaks with a positive link (the shipped coupling's background) and each peak's best link weight
        Map<Integer, Double> linkW = new HashMap<>();
        Set<Integer> posPeaks = new HashSet<>();
        for (PeakGeneLink l : links) {
            double w = s.linkWeightOf(l);
            if (w > 0) {
                linkW.merge(l.peak(), w, Math::max);
            }
            if (l.r() > 0) {
                posPeaks.add(l.peak());
            }
        }
        Map<Integer, float[]> pc = new HashMap<>();
        Map<Integer, float[]> pcW = new HashMap<>();
        Set<Integer> all = new HashSet<>(posPeaks);
        all.addAll(linkW.keySet());
        for (int p : all) {
            pc.put(p, column(meta, p, m, np));
            pcW.put(p, column(within, p, m, np));
        }
        Map<String, Integer> gi = new HashMap<>();
        for (int g = 0; g < data.nGenes(); g++) {
            gi.putIfAbsent(data.genes().get(g), g);
        }
        Map<String, double[]> bg = new HashMap<>();
        Map<String, double[]> bgW = new HashMap<>();
        for (String tf : sim.tfs()) {
            Integer t = gi.get(tf);
            if (t != null) {
                bg.put(tf, background(geneCols[t], posPeaks, pc));
                bgW.put(tf, background(geneColsW[t], posPeaks, pcW));
            }
        }
        Set<String> bound = new HashSet<>();
        for (Simulation.PeakGeneTruth t : sim.peakGenes()) {
            for (String tf : t.tfs()) {
                bound.add(t.peak() + "\t" + tf);
            }
        }
        ParalogSplit split = ParalogSplit.of(scanned, np);
        // per hit: stats + class (0 bound, 1 decoy, 2 unplanted)
        List<Boolean> shared = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        List<Integer> cls = new ArrayList<>();
        Map<String, List<double[]>> byTf = new TreeMap<>();
        for (Map.Entry<Integer, Map<String, Double>> e : scanned.hits().entrySet()) {
            int p = e.getKey();
            if (!linkW.containsKey(p)) {
                continue;
            }
            Map<String, Double> z = new HashMap<>();
            for (String tf : e.getValue().keySet()) {
                if (bg.containsKey(tf) && e.getValue().get(tf) > 0) {
                    double r = Correlations.dot(geneCols[gi.get(tf)], pc.get(p));
                    z.put(tf, (r - bg.get(tf)[0]) / bg.get(tf)[1]);
                }
            }
            for (Map.Entry<String, Double> h : e.getValue().entrySet()) {
                String tf = h.getKey();
                if (!z.containsKey(tf)) {
                    continue;
                }
                double r = Correlations.dot(geneCols[gi.get(tf)], pc.get(p));
                double zz = z.get(tf);
                double coupling = r > 0 && zz > 0 ? 1 - 2 * Distributions.normalUpper(zz) : 0;
                double rw = Correlations.dot(geneColsW[gi.get(tf)], pcW.get(p));
                double zw = (rw - bgW.get(tf)[0]) / bgW.get(tf)[1];
                double best = Double.NEGATIVE_INFINITY;
                for (Map.Entry<String, Double> o : z.entrySet()) {
                    if (!o.getKey().equals(tf)) {
                        best = Math.max(best, o.getValue());
                    }
                }
                double rel = best == Double.NEGATIVE_INFINITY ? 1 : 1 / (1 + Math.exp(-(zz - best)));
                double bestPar = Double.NEGATIVE_INFINITY;
                for (Map.Entry<String, Double> o : z.entrySet()) {
                    if (!o.getKey().equals(tf) && split.similar(tf, o.getKey())) {
                        bestPar = Math.max(bestPar, o.getValue());
                    }
                }
                boolean par = bestPar != Double.NEGATIVE_INFINITY;
                double relPar = par ? 1 / (1 + Math.exp(-(zz - bestPar))) : 1;
                // the candidate (paralog-split=1) as ParalogSplit weighs it
                double relPar2 = par ? ParalogSplit.weight(zz, bestPar) : 1;
                double shipped = h.getValue() * (1 - s.coupling() + s.coupling() * coupling);
                double[] row = {h.getValue(), r, zz, coupling, zw, zz - (best == Double.NEGATIVE_INFINITY ? 0 : best),
                    0, linkW.get(p), shipped, shipped * rel, 0, shipped * linkW.get(p),
                    h.getValue() * coupling * linkW.get(p),
                    h.getValue() * (1 - Distributions.normalUpper(zz)) * linkW.get(p), relPar,
                    shipped * linkW.get(p) * relPar, shipped * linkW.get(p) * relPar2};
                shared.add(par);
                rows.add(row);
                String key = p + "\t" + tf;
                cls.add(bound.contains(key) ? 0
                        : table.hits().getOrDefault(p, Map.of()).containsKey(tf) ? 1 : 2);
                byTf.computeIfAbsent(tf, k -> new ArrayList<>()).add(row);
            }
        }
        // within-TF rank percentile of z among the TF's hits (1 = its best-coupled hit)
        for (List<double[]> l : byTf.values()) {
            l.sort((x, y) -> Double.compare(x[2], y[2]));
            for (int i = 0; i < l.size(); i++) {
                l.get(i)[6] = l.size() > 1 ? (double) i / (l.size() - 1) : 1;
                l.get(i)[10] = l.get(i)[8] * (0.5 + 0.5 * l.get(i)[6]);
            }
        }
        int nb = (int) cls.stream().filter(c -> c == 0).count();
        int nd = (int) cls.stream().filter(c -> c == 1).count();
        int nu = (int) cls.stream().filter(c -> c == 2).count();
        String[] contrasts = {"bound vs decoy", "bound vs unplanted", "bound vs rest", "bound vs rest, score 1",
            "bound vs rest, paralog-shared"};
        for (int k = 0; k < contrasts.length; k++) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %s |",
                    cfg.seed(), rows.size(), nb, nd, nu, contrasts[k]));
            for (int st = 0; st < STATS.length; st++) {
                List<Double> pos = new ArrayList<>();
                List<Double> neg = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    int c = cls.get(i);
                    if (k == 3 && rows.get(i)[0] < 1 || k == 4 && !shared.get(i)) {
                        continue;
                    }
                    if (c == 0) {
                        pos.add(rows.get(i)[st]);
                    } else if (k >= 2 || (k == 0 && c == 1) || (k == 1 && c == 2)) {
                        neg.add(rows.get(i)[st]);
                    }
                }
                sb.append(String.format(Locale.ROOT, " %.3f |", auroc(pos, neg)));
                if (st == STATS.length - 1) {
                    sb.append(String.format(Locale.ROOT, " %d / %d |", pos.size(), neg.size()));
                }
            }
            System.out.println(sb);
        }
        System.out.flush();
    }

    static float[] column(Metacells meta, int p, int m, int np) {
        float[] col = new float[m];
        for (int i = 0; i < m; i++) {
            col[i] = meta.atac()[i * np + p];
        }
        return Correlations.standardisedColumns(col, m, 1)[0];
    }

    static double[] background(float[] t, Set<Integer> peaks, Map<Integer, float[]> pc) {
        double sum = 0;
        double ss = 0;
        int n = 0;
        for (int p : peaks) {
            double r = Correlations.dot(t, pc.get(p));
            sum += r;
            ss += r * r;
            n++;
        }
        double mean = n > 0 ? sum / n : 0;
        double sd = n > 1 ? Math.sqrt(Math.max(1e-12, (ss - sum * sum / n) / (n - 1))) : 1;
        return new double[] {mean, sd};
    }

    /** AUROC with ties counted half (Mann–Whitney). */
    static double auroc(List<Double> pos, List<Double> neg) {
        if (pos.isEmpty() || neg.isEmpty()) {
            return Double.NaN;
        }
        List<double[]> all = new ArrayList<>();
        pos.forEach(v -> all.add(new double[] {v, 1}));
        neg.forEach(v -> all.add(new double[] {v, 0}));
        all.sort((x, y) -> Double.compare(x[0], y[0]));
        double rankSum = 0;
        int i = 0;
        while (i < all.size()) {
            int j = i;
            while (j < all.size() && all.get(j)[0] == all.get(i)[0]) {
                j++;
            }
            double mid = (i + j + 1) / 2.0;
            for (int k = i; k < j; k++) {
                if (all.get(k)[1] == 1) {
                    rankSum += mid;
                }
            }
            i = j;
        }
        return (rankSum - pos.size() * (pos.size() + 1) / 2.0) / ((double) pos.size() * neg.size());
    }
}
