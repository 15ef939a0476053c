package io.scgrn.models.atac;

import io.scgrn.models.numerics.Correlations;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Per-TF evidence that a TF's motif hits matter, from the chromatin itself (chromVAR's idea, applied to the
 * metacells): a TF that binds its motif sites keeps them open where it is expressed, so the pooled accessibility of
 * its hit peaks should follow its expression; a TF whose hits are mostly chance matches should show no more coupling
 * than a random set of peaks of the same accessibility.
 *
 * <p>For each TF with hit peaks {@code S} (motif evidence ≥ the triplet threshold, any peak): the accessibility
 * deviation of {@code S} in metacell m, {@code dev_m = (Σ_{p∈S} x_mp − E_m) / E_m} with {@code E_m = T_m · Σ_{p∈S}
 * f_p} (T_m the metacell's total accessibility, f_p the peak's share of all accessibility), is correlated with the
 * TF's expression over metacells ({@code r_S}). The same is done for {@link #BACKGROUND_SETS} background sets, each
 * peak of S replaced by a random peak of similar overall accessibility (same bin of the accessibility order, chromVAR's
 * matched background). The TF's coupling is {@code d = r_S − mean(r_background)}: pooled over hundreds of peaks it
 * grows with the share of the TF's hits that are bound. The weight of a TF is {@code max(0, d) / max_TF d} (0..1, the
 * best-coupled TF 1); TFs with fewer than {@link #MIN_PEAKS} hit peaks get weight 1 (too few peaks to judge).
 */
public final class MotifActivity {
    /** Background peak sets per TF. */
    static final int BACKGROUND_SETS = 30;
    /** Accessibility bins for the matched background. */
    static final int BINS = 50;
    /** Fewest hit peaks for a TF to be judged. */
    static final int MIN_PEAKS = 10;

    private MotifActivity() {
    }

    /**
     * @param atac      metacell accessibility, nMeta × nPeaks row-major
     * @param nMeta     metacells
     * @param nPeaks    peaks
     * @param tfExpr    TF name → its expression over the metacells (length nMeta)
     * @param motifs    motif evidence per peak
     * @param minScore  smallest motif evidence that counts as a hit
     * @param seed      seed of the background sets
     * @return TF → weight in [0, 1], for every TF of {@code tfExpr}
     */
    public static Map<String, Double> weights(float[] atac, int nMeta, int nPeaks, Map<String, float[]> tfExpr,
                                              MotifTable motifs, double minScore, long seed) {
        Map<String, Double> coupling = coupling(atac, nMeta, nPeaks, tfExpr, motifs, minScore, seed);
        double max = 0;
        for (double d : coupling.values()) {
            if (!Double.isNaN(d)) {
                max = Math.max(max, d);
            }
        }
        Map<String, Double> out = new TreeMap<>();
        for (Map.Entry<String, Double> e : coupling.entrySet()) {
            double d = e.getValue();
            out.put(e.getKey(), Double.isNaN(d) ? 1.0 : max > 0 ? Math.max(0, d) / max : 1.0);
        }
        return out;
    }

    /** TF → background-corrected coupling d (NaN for a TF with fewer than {@link #MIN_PEAKS} hit peaks). */
    static Map<String, Double> coupling(float[] atac, int nMeta, int nPeaks, Map<String, float[]> tfExpr,
                                        MotifTable motifs, double minScore, long seed) {
        double[] total = new double[nMeta];
        double[] peakSum = new double[nPeaks];
        for (int m = 0; m < nMeta; m++) {
            for (int p = 0; p < nPeaks; p++) {
                float v = atac[m * nPeaks + p];
                total[m] += v;
                peakSum[p] += v;
            }
        }
        double all = Arrays.stream(total).sum();
        // Peaks in order of overall accessibility; a peak's background stand-ins are the peaks of its bin.
        Integer[] order = new Integer[nPeaks];
        for (int p = 0; p < nPeaks; p++) {
            order[p] = p;
        }
        Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : peakSum[a] != peakSum[b]
                ? Double.compare(peakSum[a], peakSum[b]) : Integer.compare(a, b));
        int bins = Math.max(1, Math.min(BINS, nPeaks / 2));
        int[] binOf = new int[nPeaks];
        int[][] binPeaks = new int[bins][];
        for (int b = 0; b < bins; b++) {
            int lo = (int) ((long) b * nPeaks / bins);
            int hi = (int) ((long) (b + 1) * nPeaks / bins);
            binPeaks[b] = new int[hi - lo];
            for (int i = lo; i < hi; i++) {
                binPeaks[b][i - lo] = order[i];
                binOf[order[i]] = b;
            }
        }
        Map<String, int[]> hitPeaks = new HashMap<>();
        Map<String, List<Integer>> lists = new TreeMap<>();
        motifs.hits().forEach((p, m) -> m.forEach((tf, v) -> {
            if (v >= minScore && p >= 0 && p < nPeaks) {
                lists.computeIfAbsent(tf, k -> new java.util.ArrayList<>()).add(p);
            }
        }));
        lists.forEach((tf, l) -> hitPeaks.put(tf, l.stream().mapToInt(Integer::intValue).sorted().toArray()));

        Map<String, Double> out = new TreeMap<>();
        for (Map.Entry<String, float[]> e : new TreeMap<>(tfExpr).entrySet()) {
            int[] set = hitPeaks.get(e.getKey());
            if (set == null || set.length < MIN_PEAKS || all <= 0) {
                out.put(e.getKey(), Double.NaN);
                continue;
            }
            float[] expr = Correlations.standardisedColumns(e.getValue(), nMeta, 1)[0];
            double r = correlation(deviation(atac, nMeta, nPeaks, total, peakSum, all, set), expr);
            // The TF's own seed stream: its background does not depend on which other TFs are scored.
            SplittableRandom rnd = new SplittableRandom(seed ^ e.getKey().hashCode());
            double bg = 0;
            int[] stand = new int[set.length];
            for (int s = 0; s < BACKGROUND_SETS; s++) {
                for (int i = 0; i < set.length; i++) {
                    int[] bin = binPeaks[binOf[set[i]]];
                    stand[i] = bin[rnd.nextInt(bin.length)];
                }
                bg += correlation(deviation(atac, nMeta, nPeaks, total, peakSum, all, stand), expr);
            }
            out.put(e.getKey(), r - bg / BACKGROUND_SETS);
        }
        return out;
    }

    /** chromVAR's raw deviation of a peak set per metacell: (observed − expected) / expected. */
    static double[] deviation(float[] atac, int nMeta, int nPeaks, double[] total, double[] peakSum, double all,
                              int[] set) {
        double share = 0;
        for (int p : set) {
            share += peakSum[p] / all;
        }
        double[] dev = new double[nMeta];
        for (int m = 0; m < nMeta; m++) {
            double obs = 0;
            int row = m * nPeaks;
            for (int p : set) {
                obs += atac[row + p];
            }
            double exp = total[m] * share;
            dev[m] = exp > 0 ? (obs - exp) / exp : 0;
        }
        return dev;
    }

    /** Pearson correlation of {@code x} with an already standardised (unit-norm, centred) {@code z}. */
    private static double correlation(double[] x, float[] z) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        double dot = 0;
        for (int i = 0; i < x.length; i++) {
            double c = x[i] - mean;
            ss += c * c;
            dot += c * z[i];
        }
        return ss > 0 ? dot / Math.sqrt(ss) : 0;
    }
}
