package io.scgrn.app.cli;

import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.SparseMatrix;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-cell and per-gene quality numbers of a cells × genes matrix: totals (sum of values), detected (values &gt; 0)
 * and stored non-zeros, each summarised as min, median, mean and max.
 */
record QcStats(double[] cellTotals, int[] cellDetected, double[] geneTotals, int[] geneDetected, long stored) {

    static QcStats of(Matrix x) {
        int nr = x.nRows();
        int nc = x.nCols();
        double[] rt = new double[nr];
        int[] rd = new int[nr];
        double[] ct = new double[nc];
        int[] cd = new int[nc];
        long stored = 0;
        if (x instanceof SparseMatrix s) {
            boolean csr = s.layout() == SparseMatrix.Layout.CSR;
            int major = csr ? nr : nc;
            for (int i = 0; i < major; i++) {
                for (long k = s.indptr()[i]; k < s.indptr()[i + 1]; k++) {
                    int j = s.indices()[(int) k];
                    double v = s.data().get((int) k);
                    int r = csr ? i : j;
                    int c = csr ? j : i;
                    add(rt, rd, ct, cd, r, c, v);
                }
            }
            stored = s.nnz();
        } else if (x instanceof DenseMatrix d) {
            for (int r = 0; r < nr; r++) {
                for (int c = 0; c < nc; c++) {
                    double v = d.values().get(r * nc + c);
                    if (v != 0) {
                        stored++;
                    }
                    add(rt, rd, ct, cd, r, c, v);
                }
            }
        }
        return new QcStats(rt, rd, ct, cd, stored);
    }

    private static void add(double[] rt, int[] rd, double[] ct, int[] cd, int r, int c, double v) {
        rt[r] += v;
        ct[c] += v;
        if (v > 0) {
            rd[r]++;
            cd[c]++;
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nnz", stored);
        m.put("cell_totals", summary(cellTotals));
        m.put("cell_detected", summary(Arrays.stream(cellDetected).asDoubleStream().toArray()));
        m.put("gene_totals", summary(geneTotals));
        m.put("gene_detected", summary(Arrays.stream(geneDetected).asDoubleStream().toArray()));
        return m;
    }

    static Map<String, Object> summary(double[] v) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (v.length == 0) {
            return m;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        m.put("min", s[0]);
        m.put("median", median);
        m.put("mean", Arrays.stream(s).sum() / s.length);
        m.put("max", s[s.length - 1]);
        return m;
    }

    @SuppressWarnings("unchecked")
    static String text(String modality, Map<String, Object> stats) {
        StringBuilder sb = new StringBuilder();
        sb.append("stats of ").append(modality).append(".X (").append(stats.get("nnz")).append(" non-zeros):\n");
        sb.append(String.format("  %-14s %12s %12s %12s %12s%n", "", "min", "median", "mean", "max"));
        for (String k : new String[] {"cell_totals", "cell_detected", "gene_totals", "gene_detected"}) {
            Map<String, Object> s = (Map<String, Object>) stats.get(k);
            if (s.isEmpty()) {
                continue;
            }
            sb.append(String.format("  %-14s %12.6g %12.6g %12.6g %12.6g%n", k.replace('_', ' '), s.get("min"),
                    s.get("median"), s.get("mean"), s.get("max")));
        }
        return sb.toString();
    }
}
