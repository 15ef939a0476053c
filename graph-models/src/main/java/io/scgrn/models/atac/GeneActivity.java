package io.scgrn.models.atac;

import io.scgrn.anndata.DType;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
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
        int n = rows.length;
        int ng = genes.size();
        if ((long) n * ng > MultiomeInputs.MAX_VALUES) {
            throw new ModelException("gene activity", n + " cells × " + ng + " genes is more than one array holds");
        }
        Rows r = new Rows(data, genes, upstream);
        float[] out = new float[n * ng];
        for (int i = 0; i < n; i++) {
            if (rows[i] < 0) {
                Arrays.fill(out, i * ng, (i + 1) * ng, Float.NaN);
                continue;
            }
            int touched = r.row(rows[i]);
            for (int t = 0; t < touched; t++) {
                int g = r.touched[t];
                out[i * ng + g] = r.value(g);
            }
        }
        return out;
    }

    /**
     * {@link #compute(MultiomeData, List, long, int[])} as a CSR matrix (float32, columns ascending within a row),
     * the form Signac and ArchR keep gene activity in: a cell's open peaks touch few genes, so it holds the non-zero
     * values only, and is built without a dense cells × genes array. Rows of cells without a profile (−1) hold NaN
     * in every column, as the dense form does.
     *
     * @return rows.length × genes
     */
    public static SparseMatrix computeSparse(MultiomeData data, List<String> genes, long upstream, int[] rows) {
        int n = rows.length;
        int ng = genes.size();
        Rows r = new Rows(data, genes, upstream);
        // pass 1: entries per row, so the arrays are allocated once at their final size
        long[] indptr = new long[n + 1];
        for (int i = 0; i < n; i++) {
            indptr[i + 1] = indptr[i] + (rows[i] < 0 ? ng : r.row(rows[i]));
        }
        if (indptr[n] > MultiomeInputs.MAX_VALUES) {
            throw new ModelException("gene activity", indptr[n] + " non-zero values of " + n + " cells × " + ng
                    + " genes are more than one array holds");
        }
        int[] indices = new int[(int) indptr[n]];
        float[] values = new float[indices.length];
        for (int i = 0; i < n; i++) {
            int k = (int) indptr[i];
            if (rows[i] < 0) {
                for (int g = 0; g < ng; g++) {
                    indices[k] = g;
                    values[k++] = Float.NaN;
                }
                continue;
            }
            int touched = r.row(rows[i]);
            Arrays.sort(r.touched, 0, touched);
            for (int t = 0; t < touched; t++) {
                int g = r.touched[t];
                indices[k] = g;
                values[k++] = r.value(g);
            }
        }
        return new SparseMatrix(SparseMatrix.Layout.CSR, n, ng, DType.FLOAT32, new NumArray.F32(values), indices,
                indptr);
    }

    /** One cell's gene activity at a time: the genes its open peaks touch and their log-normalised counts. */
    private static final class Rows {
        private final PeakMatrix m;
        /** peak → genes whose region it overlaps (null: none). */
        private final int[][] peakGenes;
        /** per gene: open peaks of the current cell in its region. */
        private final int[] count;
        /** genes of the current cell with a non-zero count (the first {@link #nTouched}), in the order first touched. */
        final int[] touched;
        private int nTouched;
        private double scale;

        Rows(MultiomeData data, List<String> genes, long upstream) {
            Map<String, List<Integer>> byChrom = new HashMap<>();
            for (int p = 0; p < data.nPeaks(); p++) {
                byChrom.computeIfAbsent(data.peaks().get(p).chrom(), c -> new ArrayList<>()).add(p);
            }
            List<List<Integer>> lists = new ArrayList<>(data.nPeaks());
            for (int p = 0; p < data.nPeaks(); p++) {
                lists.add(null);
            }
            for (int g = 0; g < genes.size(); g++) {
                GeneLocus l = data.loci().get(genes.get(g));
                GenomicInterval region = l.bodyWithUpstream(upstream);
                for (int p : byChrom.getOrDefault(l.chrom(), List.of())) {
                    if (data.peaks().get(p).overlaps(region)) {
                        if (lists.get(p) == null) {
                            lists.set(p, new ArrayList<>(2));
                        }
                        lists.get(p).add(g);
                    }
                }
            }
            peakGenes = new int[data.nPeaks()][];
            for (int p = 0; p < peakGenes.length; p++) {
                if (lists.get(p) != null) {
                    peakGenes[p] = lists.get(p).stream().mapToInt(Integer::intValue).toArray();
                }
            }
            m = data.atac();
            count = new int[genes.size()];
            touched = new int[genes.size()];
        }

        /** Counts cell {@code c}'s open peaks per gene; returns how many genes it touches. */
        int row(int c) {
            // clear the previous cell's counts (only the genes it touched)
            for (int t = 0; t < nTouched; t++) {
                count[touched[t]] = 0;
            }
            nTouched = 0;
            int total = m.cellCount(c);
            if (total == 0) {
                return 0;
            }
            scale = 1e4 / total;
            int n = 0;
            for (int k = m.indptr()[c]; k < m.indptr()[c + 1]; k++) {
                int[] gs = peakGenes[m.indices()[k]];
                if (gs != null) {
                    for (int g : gs) {
                        if (count[g]++ == 0) {
                            touched[n++] = g;
                        }
                    }
                }
            }
            nTouched = n;
            return n;
        }

        /** log1p(10⁴ · count / total) of gene g in the current cell. */
        float value(int g) {
            return (float) Math.log1p(count[g] * scale);
        }
    }
}
