package io.scgrn.models.atac;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gene activity per cell from chromatin alone (Signac's {@code GeneActivity}): the open peaks overlapping the gene
 * body extended 2 kb upstream of the TSS, counted per cell and log-normalised by the cell's open peaks
 * ({@code log1p(10⁴ · count / total)}).
 */
public final class GeneActivity {
    private GeneActivity() {
    }

    /**
     * @param data     paired data
     * @param genes    genes to score (each must have a locus)
     * @param upstream bases added 5' of the TSS
     * @return cells × genes, row-major
     */
    public static float[] compute(MultiomeData data, List<String> genes, long upstream) {
        Map<String, List<Integer>> byChrom = new HashMap<>();
        for (int p = 0; p < data.nPeaks(); p++) {
            byChrom.computeIfAbsent(data.peaks().get(p).chrom(), c -> new ArrayList<>()).add(p);
        }
        // peak → genes whose region it overlaps
        List<List<Integer>> peakGenes = new ArrayList<>(data.nPeaks());
        for (int p = 0; p < data.nPeaks(); p++) {
            peakGenes.add(null);
        }
        for (int g = 0; g < genes.size(); g++) {
            GeneLocus l = data.loci().get(genes.get(g));
            GenomicInterval region = l.bodyWithUpstream(upstream);
            for (int p : byChrom.getOrDefault(l.chrom(), List.of())) {
                if (data.peaks().get(p).overlaps(region)) {
                    if (peakGenes.get(p) == null) {
                        peakGenes.set(p, new ArrayList<>(2));
                    }
                    peakGenes.get(p).add(g);
                }
            }
        }
        int n = data.nCells();
        int ng = genes.size();
        float[] out = new float[n * ng];
        PeakMatrix m = data.atac();
        for (int c = 0; c < n; c++) {
            int total = m.cellCount(c);
            if (total == 0) {
                continue;
            }
            for (int k = m.indptr()[c]; k < m.indptr()[c + 1]; k++) {
                List<Integer> gs = peakGenes.get(m.indices()[k]);
                if (gs != null) {
                    for (int g : gs) {
                        out[c * ng + g] += 1;
                    }
                }
            }
            double f = 1e4 / total;
            for (int g = 0; g < ng; g++) {
                if (out[c * ng + g] != 0) {
                    out[c * ng + g] = (float) Math.log1p(out[c * ng + g] * f);
                }
            }
        }
        return out;
    }
}
