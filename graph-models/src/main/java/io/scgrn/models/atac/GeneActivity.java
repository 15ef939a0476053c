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
     * Every cell's gene activity as a CSR matrix (float32, columns ascending within a row), the form Signac and ArchR
     * keep it in: a cell's open peaks touch few genes, so it holds the non-zero values only, and is built without a
     * dense cells × genes array.
     *
     * @param data     paired data
     * @param genes    genes to score (each must have a locus)
     * @param upstream bases added 5' of the TSS
     * @return cells × genes, in {@code data}'s cell order
     */
    public static SparseMatrix computeSparse(MultiomeData data, List<String> genes, long upstream) {
        int n = data.nCells();
        int ng = genes.size();
        Rows r = new Rows(data, genes, upstream);
        // pass 1: entries per row, so the arrays are allocated once at their final size
        long[] indptr = new long[n + 1];
        for (int c = 0; c < n; c++) {
            indptr[c + 1] = indptr[c] + r.row(c);
        }
        if (indptr[n] > MultiomeInputs.MAX_VALUES) {
            throw new ModelException("gene activity", indptr[n] + " non-zero values of " + n + " cells × " + ng
                    + " genes are more than one array holds");
        }
        int[] indices = new int[(int) indptr[n]];
        float[] values = new float[indices.length];
        for (int c = 0; c < n; c++) {
            int k = (int) indptr[c];
            int touched = r.row(c);
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

    /**
     * The rows {@code rows} of a CSR gene activity (row i = row rows[i]; for −1 a row of NaN in every column: a cell
     * without an ATAC profile), e.g. in the order of the file's cells.
     */
    public static SparseMatrix selectRows(SparseMatrix activity, int[] rows) {
        int k = activity.nCols();
        long[] ptr = new long[rows.length + 1];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            ptr[i + 1] = ptr[i] + (r < 0 ? k : activity.indptr()[r + 1] - activity.indptr()[r]);
        }
        if (ptr[rows.length] > MultiomeInputs.MAX_VALUES) {
            throw new ModelException("gene activity", ptr[rows.length] + " values are more than one array holds");
        }
        int[] idx = new int[(int) ptr[rows.length]];
        float[] val = new float[idx.length];
        float[] src = ((NumArray.F32) activity.data()).values();
        for (int i = 0; i < rows.length; i++) {
            int at = (int) ptr[i];
            int r = rows[i];
            if (r < 0) {
                for (int g = 0; g < k; g++) {
                    idx[at + g] = g;
                    val[at + g] = Float.NaN;
                }
                continue;
            }
            int from = (int) activity.indptr()[r];
            int len = (int) (activity.indptr()[r + 1] - from);
            System.arraycopy(activity.indices(), from, idx, at, len);
            System.arraycopy(src, from, val, at, len);
        }
        return new SparseMatrix(SparseMatrix.Layout.CSR, rows.length, k, DType.FLOAT32, new NumArray.F32(val), idx,
                ptr);
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
