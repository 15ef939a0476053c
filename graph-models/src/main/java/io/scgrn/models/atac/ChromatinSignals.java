package io.scgrn.models.atac;

import io.scgrn.models.numerics.Correlations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two label-free statistics over metacells that say whether the chromatin carries regulation of its own or only
 * the cell types (docs/benchmarks.md, "multiome: round 9" and "round 10"). Both use each gene's best distal link:
 * the significant positive peak–gene link with the largest z more than {@link #DISTAL} bp from the TSS (the
 * promoter's accessibility follows the gene's own transcription, so it tells nothing about a TF).
 * <ul>
 *   <li><b>coupling tail ÷ null</b>: per TF, its correlation over metacells with every distinct best-distal-link
 *       peak, z-scored against the TF's own mean and sd over those peaks (as the no-motif prior scores them,
 *       {@code AtacAnalysis.tfBackground}); the share of TF × peak pairs with z &gt; 2, ÷ the normal's 0.02275.
 *       Near 1 or above when TFs track individual elements (a right tail); near 0 when every element moves with the
 *       cell types (the correlations cluster by type, a two- or few-point distribution with no tail).</li>
 *   <li><b>beyond-TF gain</b>: per linked gene, what its best distal peak adds to the R² of its best single TF
 *       (two-regressor R² from the three correlations, TF–gene, peak–gene, TF–peak); the median over linked
 *       genes.</li>
 * </ul>
 * Where the tail is high the between-state co-variation passes through individual elements (regulation), and the
 * within-state ranking, which discards between-state co-variation, loses; where it is absent the co-expression is
 * cell-type confounding, which the within-state ranking removes.
 */
public final class ChromatinSignals {
    /** Distance from the TSS (bp) beyond which a link is distal. */
    public static final long DISTAL = 2_000;
    /** P(Z &gt; 2) for a standard normal: the tail's null share. */
    public static final double NORMAL_TAIL = 0.02275;

    private ChromatinSignals() {
    }

    /**
     * @param couplingTail share of TF × distal-peak pairs with z &gt; 2 ÷ {@link #NORMAL_TAIL}; NaN when no TF or no
     *                     linked gene
     * @param beyondTfGain median over linked genes of the R² its best distal peak adds to its best TF's; NaN when
     *                     none
     * @param linkedGenes  genes with a best distal link
     */
    public record Signals(double couplingTail, double beyondTfGain, int linkedGenes) {
        /** The within-state share these signals set: {@link AtacSettings#chromatinShare} at the shipped scales. */
        public double share() {
            return AtacSettings.chromatinShare(couplingTail, beyondTfGain, AtacSettings.CHROMATIN_TAIL_SCALE,
                    AtacSettings.CHROMATIN_GAIN_SCALE);
        }
    }

    /**
     * The two statistics for {@code tfs} (indices into the genes) over the metacells {@code meta}, from the links
     * {@code links} ({@link PeakGeneLinker#link}).
     */
    public static Signals of(Metacells meta, int nGenes, int nPeaks, List<PeakGeneLink> links, int[] tfs) {
        return of(Correlations.standardisedColumns(meta.rna(), meta.nMeta(), nGenes), meta, nPeaks, links, tfs);
    }

    /**
     * As above, with the metacells' standardised gene columns already at hand ({@code geneCols}: the ATAC step
     * computes them once for its links and triplets).
     */
    static Signals of(float[][] geneCols, Metacells meta, int nPeaks, List<PeakGeneLink> links, int[] tfs) {
        Map<Integer, PeakGeneLink> best = bestDistalLinks(links);
        // peaks in index order, so the tail's sums run in a fixed order
        Map<Integer, float[]> peakCols = new TreeMap<>(AtacAnalysis.peakColumns(meta, nPeaks, best.values()));
        float[][] tfCols = new float[tfs.length][];
        for (int i = 0; i < tfs.length; i++) {
            tfCols[i] = geneCols[tfs[i]];
        }
        double tail = couplingTail(tfCols, new ArrayList<>(peakCols.values()));
        List<Double> gains = new ArrayList<>();
        for (Map.Entry<Integer, PeakGeneLink> e : best.entrySet()) {
            int gene = e.getKey();
            double gain = beyondTfGain(geneCols[gene], peakCols.get(e.getValue().peak()), geneCols, tfs, gene);
            if (!Double.isNaN(gain)) {
                gains.add(gain);
            }
        }
        gains.sort(null);
        double gain = gains.isEmpty() ? Double.NaN : gains.get(gains.size() / 2);
        return new Signals(tail, gain, best.size());
    }

    /** Per gene, its best distal link: significant, positive, |distance| &gt; {@link #DISTAL}, largest z. */
    public static Map<Integer, PeakGeneLink> bestDistalLinks(List<PeakGeneLink> links) {
        Map<Integer, PeakGeneLink> best = new TreeMap<>();
        for (PeakGeneLink l : links) {
            if (l.significant() && l.r() > 0 && Math.abs(l.distance()) > DISTAL) {
                best.merge(l.gene(), l, (x, y) -> x.z() >= y.z() ? x : y);
            }
        }
        return best;
    }

    /**
     * The coupling tail ÷ null of standardised TF columns against standardised peak columns
     * ({@link Correlations#standardisedColumns}: dot = Pearson r): per TF, the z of each peak's r against the TF's
     * mean and sd over the peaks; the share of pairs with z &gt; 2 ÷ {@link #NORMAL_TAIL}. NaN without TFs or
     * peaks; a TF whose correlations do not vary counts its pairs as not in the tail.
     */
    public static double couplingTail(float[][] tfCols, List<float[]> peakCols) {
        if (tfCols.length == 0 || peakCols.isEmpty()) {
            return Double.NaN;
        }
        long tail = 0;
        long total = 0;
        double[] r = new double[peakCols.size()];
        for (float[] t : tfCols) {
            double mean = 0;
            for (int i = 0; i < r.length; i++) {
                r[i] = Correlations.dot(t, peakCols.get(i));
                mean += r[i];
            }
            mean /= r.length;
            double ss = 0;
            for (double x : r) {
                ss += (x - mean) * (x - mean);
            }
            double sd = Math.sqrt(ss / Math.max(1, r.length - 1));
            for (double x : r) {
                if (sd > 0 && (x - mean) / sd > 2) {
                    tail++;
                }
                total++;
            }
        }
        return (double) tail / total / NORMAL_TAIL;
    }

    /**
     * What the standardised peak column {@code peak} adds to the R² of the gene's best single TF (largest |r| among
     * {@code tfs} other than {@code gene}): R²(TF, peak) − r²(TF), from the three correlations; NaN without a TF
     * correlated with the gene at all.
     */
    static double beyondTfGain(float[] geneCol, float[] peak, float[][] geneCols, int[] tfs, int gene) {
        double rgt = 0;
        int bt = -1;
        for (int t : tfs) {
            if (t != gene) {
                double r = Correlations.dot(geneCols[t], geneCol);
                if (Math.abs(r) > Math.abs(rgt)) {
                    rgt = r;
                    bt = t;
                }
            }
        }
        if (bt < 0) {
            return Double.NaN;
        }
        double rgp = Correlations.dot(geneCol, peak);
        double rtp = Correlations.dot(geneCols[bt], peak);
        double r2 = rtp * rtp < 0.999 ? (rgt * rgt + rgp * rgp - 2 * rgt * rgp * rtp) / (1 - rtp * rtp) : rgt * rgt;
        return r2 - rgt * rgt;
    }
}
