package io.scgrn.models.atac;

import io.scgrn.models.ModelException;

import java.util.ArrayList;
import java.util.Arrays;
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
        int[] rows = new int[data.nCells()];
        for (int c = 0; c < rows.length; c++) {
            rows[c] = c;
        }
        return compute(data, genes, upstream, rows);
    }

    /**
     * {@link #compute(MultiomeData, List, long)} for the cells {@code rows} (row i = cell rows[i] of {@code data},
     * NaN where rows[i] is −1): computed where it is written, in the order it is written, so that no cells × genes
     * copy lives through the rest of the run.
     *
     * @return rows.length × genes, row-major
     */
    public static float[] compute(MultiomeData data, List<String> genes, long upstream, int[] rows) {
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
        int n = rows.length;
        int ng = genes.size();
        if ((long) n * ng > MultiomeInputs.MAX_VALUES) {
            throw new ModelException("gene activity", n + " cells × " + ng + " genes is more than one array holds");
        }
        float[] out = new float[n * ng];
        PeakMatrix m = data.atac();
        for (int i = 0; i < n; i++) {
            int c = rows[i];
            if (c < 0) {
                Arrays.fill(out, i * ng, (i + 1) * ng, Float.NaN);
                continue;
            }
            int total = m.cellCount(c);
            if (total == 0) {
                continue;
            }
            for (int k = m.indptr()[c]; k < m.indptr()[c + 1]; k++) {
                List<Integer> gs = peakGenes.get(m.indices()[k]);
                if (gs != null) {
                    for (int g : gs) {
                        out[i * ng + g] += 1;
                    }
                }
            }
            double f = 1e4 / total;
            for (int g = 0; g < ng; g++) {
                if (out[i * ng + g] != 0) {
                    out[i * ng + g] = (float) Math.log1p(out[i * ng + g] * f);
                }
            }
        }
        return out;
    }
}
