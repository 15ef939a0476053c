package io.scgrn.models.atac;

import io.scgrn.models.numerics.Correlations;
import io.scgrn.models.numerics.Distributions;
import io.scgrn.models.numerics.Sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Links peaks to genes as Signac's {@code LinkPeaks} does: every peak within {@code window} bases of a gene's TSS
 * is a candidate; its score is the Pearson correlation between the peak's accessibility and the gene's
 * expression over metacells; the correlation is compared with the gene's correlations to background peaks on
 * other chromosomes of similar accessibility (Signac also matches GC content, which needs the genome sequence
 * scgrn does not have; accessibility is the stronger confounder of correlation). Trans peaks cannot regulate the
 * gene, so their spread is the null.
 */
public final class PeakGeneLinker {
    /** Linking settings. */
    public record Options(long window, int backgroundPerBin, int bins, double pThreshold, double minCorr, long seed) {
        public static Options defaults() {
            return new Options(100_000, 100, 10, 0.05, 0.05, 0);
        }
    }

    private PeakGeneLinker() {
    }

    /** Candidate peak indices per gene: peaks whose distance to the gene's TSS region is ≤ window. */
    public static List<int[]> candidates(MultiomeData data, long window) {
        Map<String, int[]> byChrom = new HashMap<>();
        Map<String, List<Integer>> tmp = new HashMap<>();
        for (int p = 0; p < data.nPeaks(); p++) {
            tmp.computeIfAbsent(data.peaks().get(p).chrom(), c -> new ArrayList<>()).add(p);
        }
        long maxLen = 0;
        for (GenomicInterval iv : data.peaks()) {
            maxLen = Math.max(maxLen, iv.length());
        }
        for (Map.Entry<String, List<Integer>> e : tmp.entrySet()) {
            int[] idx = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            Integer[] boxed = Arrays.stream(idx).boxed().toArray(Integer[]::new);
            Arrays.sort(boxed, Comparator.comparingLong(i -> data.peaks().get(i).start()));
            byChrom.put(e.getKey(), Arrays.stream(boxed).mapToInt(Integer::intValue).toArray());
        }
        List<int[]> out = new ArrayList<>(data.nGenes());
        for (int g = 0; g < data.nGenes(); g++) {
            GeneLocus locus = data.loci().get(data.genes().get(g));
            int[] sorted = locus == null ? null : byChrom.get(locus.chrom());
            if (sorted == null) {
                out.add(new int[0]);
                continue;
            }
            GenomicInterval tss = locus.tssRegion();
            long lo = tss.start() - window - maxLen;
            int from = lowerBound(sorted, data, lo);
            List<Integer> hits = new ArrayList<>();
            for (int i = from; i < sorted.length; i++) {
                GenomicInterval pk = data.peaks().get(sorted[i]);
                if (pk.start() > tss.end() + window) {
                    break;
                }
                long d = locus.distanceTo(pk);
                if (d >= 0 && d <= window) {
                    hits.add(sorted[i]);
                }
            }
            out.add(hits.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    private static int lowerBound(int[] sorted, MultiomeData data, long start) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (data.peaks().get(sorted[mid]).start() < start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Scores all candidate links.
     *
     * @param data  paired data (for positions)
     * @param meta  metacells of that data
     * @return every candidate link, by gene then peak
     */
    public static List<PeakGeneLink> link(MultiomeData data, Metacells meta, Options o) {
        int m = meta.nMeta();
        float[][] genes = Correlations.standardisedColumns(meta.rna(), m, data.nGenes());
        float[][] peaks = Correlations.standardisedColumns(meta.atac(), m, data.nPeaks());
        List<int[]> cand = candidates(data, o.window());
        int[][] background = backgroundSample(meta, peaks, data.nPeaks(), o);
        int[] binOf = accessibilityBins(meta, data.nPeaks(), o.bins());
        List<List<PeakGeneLink>> perGene = new ArrayList<>();
        for (int g = 0; g < data.nGenes(); g++) {
            perGene.add(List.of());
        }
        IntStream.range(0, data.nGenes()).parallel().forEach(g -> {
            int[] c = cand.get(g);
            if (c.length == 0 || Correlations.isZero(genes[g])) {
                return;
            }
            GeneLocus locus = data.loci().get(data.genes().get(g));
            double[] mu = new double[background.length];
            double[] sd = new double[background.length];
            for (int b = 0; b < background.length; b++) {
                double s = 0;
                double ss = 0;
                int n = 0;
                for (int p : background[b]) {
                    if (data.peaks().get(p).chrom().equals(locus.chrom())) {
                        continue;
                    }
                    double r = Correlations.dot(genes[g], peaks[p]);
                    s += r;
                    ss += r * r;
                    n++;
                }
                mu[b] = n > 0 ? s / n : 0;
                sd[b] = n > 1 ? Math.sqrt(Math.max(1e-12, (ss - s * s / n) / (n - 1))) : Double.NaN;
            }
            List<PeakGeneLink> links = new ArrayList<>(c.length);
            for (int p : c) {
                double r = Correlations.dot(genes[g], peaks[p]);
                int b = binOf[p];
                double z = Double.isNaN(sd[b]) ? 0 : (r - mu[b]) / sd[b];
                double pv = Distributions.normalUpper(Math.abs(z));
                boolean sig = !Double.isNaN(sd[b]) && pv < o.pThreshold() && Math.abs(r) >= o.minCorr()
                        && Math.signum(z) == Math.signum(r);
                links.add(new PeakGeneLink(p, g, locus.distanceTo(data.peaks().get(p)), r, z, pv, sig));
            }
            perGene.set(g, links);
        });
        List<PeakGeneLink> out = new ArrayList<>();
        perGene.forEach(out::addAll);
        return out;
    }

    /** Quantile bin (0..bins−1) of each peak's mean metacell accessibility. */
    static int[] accessibilityBins(Metacells meta, int nPeaks, int bins) {
        int m = meta.nMeta();
        double[] mean = new double[nPeaks];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < nPeaks; p++) {
                mean[p] += meta.atac()[i * nPeaks + p];
            }
        }
        Integer[] order = new Integer[nPeaks];
        for (int p = 0; p < nPeaks; p++) {
            order[p] = p;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer p) -> mean[p]).thenComparingInt(p -> p));
        int[] bin = new int[nPeaks];
        for (int i = 0; i < nPeaks; i++) {
            bin[order[i]] = (int) Math.min(bins - 1, (long) i * bins / nPeaks);
        }
        return bin;
    }

    /** Up to {@code backgroundPerBin} non-constant peaks per accessibility bin, seeded. */
    static int[][] backgroundSample(Metacells meta, float[][] peaks, int nPeaks, Options o) {
        int[] bin = accessibilityBins(meta, nPeaks, o.bins());
        List<List<Integer>> members = new ArrayList<>();
        for (int b = 0; b < o.bins(); b++) {
            members.add(new ArrayList<>());
        }
        for (int p = 0; p < nPeaks; p++) {
            if (!Correlations.isZero(peaks[p])) {
                members.get(bin[p]).add(p);
            }
        }
        SplittableRandom rnd = new SplittableRandom(o.seed() * 31 + 7);
        int[][] out = new int[o.bins()][];
        for (int b = 0; b < o.bins(); b++) {
            List<Integer> l = members.get(b);
            Sampling.shuffle(l, rnd);
            out[b] = l.subList(0, Math.min(o.backgroundPerBin(), l.size())).stream().mapToInt(Integer::intValue)
                    .toArray();
        }
        return out;
    }
}
