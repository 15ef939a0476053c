package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Truth;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark driver (not a test), round 8 (docs/benchmarks.md, "GRN accuracy: round 8, real-data groups"): one row
 * per candidate pair of a set (the truth's regulators × genes, as the scorer counts them) with whether it is true,
 * the sign of the partial correlation, the TF's and the target's mean / detection rate (share of cells &gt; 0) / sd,
 * the TF's out-degree in the truth, crowd's default score ({@link TermBench#combined} of the stored terms), the
 * rank-scaled stored terms {@link #TERMS} and the Pearson correlation over the cells where both genes are detected.
 *
 * <p>Usage: {@code EdgeDiagnosis <benchmarkDir> <termDir> <set> <out.tsv>}; {@code bench/edge_diagnosis.py}
 * summarises the files.
 */
public final class EdgeDiagnosis {
    /** Stored terms written per pair (each must exist as {@code <termDir>/<set>/<term>.f32}). */
    static final List<String> TERMS = List.of("regdiff", "pv", "pr", "mi", "learnedda0", "corr");
    /** crowd's default as a TermBench combination (GT4). */
    static final String DEFAULT = "d=pv:0.5,pr:0.5,mi:1,learnedda0:1;gate=1;agreement=1;wmix=4;wgate=0.5";

    private EdgeDiagnosis() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        String set = args[2];
        Path sd = Path.of(args[1]).resolve(set);
        List<String> meta = Files.readAllLines(sd.resolve("meta.tsv"));
        List<String> genes = List.of(meta.get(0).split("\t"));
        int[] tfIdx = Arrays.stream(meta.get(1).split("\t")).mapToInt(Integer::parseInt).toArray();
        int g = genes.size();
        boolean[] self = NnSupport.selfLoops(tfIdx, g);
        Map<String, float[]> ranks = new LinkedHashMap<>();
        ranks.put("default", TermBench.combined(root, set, sd, tfIdx, g, self,
                TermBench.specs(new String[] {DEFAULT}, 0).get("d"), new HashMap<>(), false));
        for (String t : TERMS) {
            ranks.put(t, NnSupport.rankScale(TermBench.read(sd.resolve(t + ".f32")), self));
        }
        float[] sign = TermBench.read(sd.resolve("sign.f32"));
        ExpressionMatrix data = NnBench.readH5ad(root.resolve(set).resolve("data.h5ad"));
        int n = data.nCells();
        float[] v = data.values();
        double[] mean = new double[g];
        double[] det = new double[g];
        double[] sdv = new double[g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                double x = v[c * g + j];
                mean[j] += x;
                sdv[j] += x * x;
                det[j] += x > 0 ? 1 : 0;
            }
        }
        for (int j = 0; j < g; j++) {
            mean[j] /= n;
            det[j] /= n;
            sdv[j] = Math.sqrt(Math.max(0, sdv[j] / n - mean[j] * mean[j]));
        }
        Truth truth = Evaluation.readTruth(root.resolve(set).resolve("truth.csv"));
        Set<String> sources = new HashSet<>(truth.sources());
        Set<String> targets = new HashSet<>(truth.genes());
        Map<String, Integer> outDegree = new HashMap<>();
        for (String e : truth.edges()) {
            outDegree.merge(e.split("\t")[0], 1, Integer::sum);
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(args[3])))) {
            w.print("tf\ttarget\ttrue\tsign\ttfMean\ttfDet\ttfSd\ttgMean\ttgDet\ttgSd\ttfDeg");
            for (String k : ranks.keySet()) {
                w.print("\t" + k);
            }
            w.println("\tcodet\tcodetN");
            for (int t = 0; t < tfIdx.length; t++) {
                String tf = genes.get(tfIdx[t]);
                if (!sources.contains(tf)) {
                    continue;
                }
                int i0 = tfIdx[t];
                for (int j = 0; j < g; j++) {
                    if (j == i0 || !targets.contains(genes.get(j))) {
                        continue;
                    }
                    int idx = t * g + j;
                    w.printf(Locale.ROOT, "%s\t%s\t%d\t%.0f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%d", tf,
                            genes.get(j), truth.contains(tf, genes.get(j)) ? 1 : 0, Math.signum(sign[idx]), mean[i0],
                            det[i0], sdv[i0], mean[j], det[j], sdv[j], outDegree.getOrDefault(tf, 0));
                    for (float[] x : ranks.values()) {
                        w.printf(Locale.ROOT, "\t%.6f", x[idx]);
                    }
                    double[] cd = coDetected(v, n, g, i0, j);
                    w.printf(Locale.ROOT, "\t%.4f\t%d%n", cd[0], (int) cd[1]);
                }
            }
        }
    }

    /** Pearson r of genes a and b over the cells where both are &gt; 0 (0 with fewer than 3 such cells), and their count. */
    static double[] coDetected(float[] v, int n, int g, int a, int b) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        int m = 0;
        for (int c = 0; c < n; c++) {
            double x = v[c * g + a];
            double y = v[c * g + b];
            if (x > 0 && y > 0) {
                m++;
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
            }
        }
        if (m <= 2) {
            return new double[] {0, m};
        }
        double cov = sxy / m - sx / m * sy / m;
        double var = Math.max(1e-12, (sxx / m - sx * sx / m / m) * (syy / m - sy * sy / m / m));
        return new double[] {cov / Math.sqrt(var), m};
    }
}
