// usage: javac -cp "$CP" -d OUT bench/SmoothDiag.java && java -cp "OUT:$CP" io.scgrn.models.atac.SmoothDiag CELLS SPEC...
// (CP: the graph-models test class path of docs/GUIDE; SPEC = TYPES:GATED:CONFOUNDING:SEED). docs: "multiome: round 17".
package io.scgrn.models.atac;

import io.scgrn.models.sim.*;
import java.util.*;

/** Diagnosis (round 17): neighbour type purity and within-type TF agreement of ATAC vs RNA neighbours. */
public class SmoothDiag {
    public static void main(String[] a) {
        int cells = Integer.parseInt(a[0]);
        for (int i = 1; i < a.length; i++) {
            SimSpec.Paired p = SimSpec.paired(cells, 400, 5000, a[i]);
            MultiomeData d = p.data();
            Simulation sim = p.sim();
            Map<String, String> type = new HashMap<>();
            for (int c = 0; c < sim.cells().size(); c++) type.put(sim.cells().get(c), sim.cellType().get(c));
            int n = d.nCells(), g = d.nGenes();
            String[] t = new String[n];
            for (int c = 0; c < n; c++) t[c] = type.get(d.cells().get(c));
            // within-type residual of log expression
            Map<String, double[]> mean = new HashMap<>(); Map<String, Integer> cnt = new HashMap<>();
            for (int c = 0; c < n; c++) { double[] m = mean.computeIfAbsent(t[c], k -> new double[g]); cnt.merge(t[c], 1, Integer::sum);
                for (int j = 0; j < g; j++) m[j] += d.rna()[c * g + j]; }
            double[][] res = new double[n][g];
            for (int c = 0; c < n; c++) for (int j = 0; j < g; j++) res[c][j] = d.rna()[c * g + j] - mean.get(t[c])[j] / cnt.get(t[c]);
            int[] tf = sim.tfs().stream().mapToInt(d.genes()::indexOf).filter(x -> x >= 0).toArray();
            for (String space : List.of("atac", "rna", "joint")) {
                AtacSettings s = AtacSettings.fromParams(Map.of("rna-smooth", "10", "rna-smooth-space", space), 7);
                int[][] nb = RnaSmoothing.neighbours(d, s);
                double pur = 0; int pc = 0;
                for (int c = 0; c < n; c++) for (int k = 1; k < nb[c].length; k++) { pur += t[nb[c][k]].equals(t[c]) ? 1 : 0; pc++; }
                // per TF: corr(own within-type residual, mean of neighbours' (excl. self) residual), averaged over TFs
                double sr = 0;
                for (int j : tf) {
                    double[] x = new double[n], y = new double[n];
                    for (int c = 0; c < n; c++) { x[c] = res[c][j]; double m = 0; for (int k = 1; k < nb[c].length; k++) m += res[nb[c][k]][j]; y[c] = m / (nb[c].length - 1); }
                    sr += corr(x, y);
                }
                System.out.printf(Locale.ROOT, "%s %s: type purity %.3f, TF within-type agreement r %.3f%n", a[i], space, pur / pc, sr / tf.length);
            }
        }
    }
    static double corr(double[] x, double[] y) { int n = x.length; double mx = 0, my = 0; for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; } mx /= n; my /= n;
        double sxy = 0, sxx = 0, syy = 0; for (int i = 0; i < n; i++) { sxy += (x[i]-mx)*(y[i]-my); sxx += (x[i]-mx)*(x[i]-mx); syy += (y[i]-my)*(y[i]-my); } return sxy / Math.sqrt(sxx * syy); }
}
