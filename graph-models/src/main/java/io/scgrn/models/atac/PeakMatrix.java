package io.scgrn.models.atac;

import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.MatrixBlocks;
import io.scgrn.anndata.SparseMatrix;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Binarised accessibility, cells × peaks, in CSR form: {@code indices[indptr[c] .. indptr[c+1])} are the open
 * peaks of cell c, sorted. Counts are binarised on input (any value &gt; 0 is open) because fragment counts per
 * peak in a diploid cell carry little beyond open/closed (Signac and ArchR do the same).
 *
 * @param nCells  rows
 * @param nPeaks  columns
 * @param indptr  nCells + 1 offsets
 * @param indices open peak numbers
 */
public record PeakMatrix(int nCells, int nPeaks, int[] indptr, int[] indices) {
    public PeakMatrix {
        if (indptr.length != nCells + 1) {
            throw new IllegalArgumentException("indptr has " + indptr.length + " entries for " + nCells + " cells");
        }
    }

    public int nnz() {
        return indices.length;
    }

    /** Stored entries read per block when binarising from the file. */
    private static final long BLOCK_ENTRIES = 1L << 24;

    /**
     * {@link #binarise(Matrix, int[])} of a matrix streamed from its file: with CSR storage one pass over row blocks
     * into arrays sized from the stored entries per row, so that only the open-peak numbers are ever held (not the
     * file's values and indices as well); other storage is read whole.
     *
     * @param blocks the open matrix (the caller closes it)
     * @param rows   the row of the matrix for each output cell
     * @throws IllegalArgumentException when the stored entries of the chosen rows exceed a Java array
     */
    public static PeakMatrix binarise(MatrixBlocks blocks, int[] rows) {
        long[] stored = blocks.storedPerRow();
        if (stored == null) {
            return binarise(blocks.rows(0, blocks.nRows()), rows);
        }
        int n = rows.length;
        // output cells of each file row (a barcode paired twice appears twice): first, then a chain
        int[] firstOut = new int[blocks.nRows()];
        Arrays.fill(firstOut, -1);
        int[] nextOut = new int[n];
        for (int i = n - 1; i >= 0; i--) {
            nextOut[i] = firstOut[rows[i]];
            firstOut[rows[i]] = i;
        }
        long[] upper = new long[n + 1];
        for (int i = 0; i < n; i++) {
            upper[i + 1] = upper[i] + stored[rows[i]];
        }
        if (upper[n] > MultiomeInputs.MAX_VALUES) {
            throw new IllegalArgumentException(upper[n] + " stored accessibility values in the paired cells are more "
                    + "than one array holds");
        }
        int[] idx = new int[(int) upper[n]];
        int[] len = new int[n];
        blocks.forEachBlock(BLOCK_ENTRIES, (block, firstRow, firstCol) -> {
            SparseMatrix s = (SparseMatrix) block;
            for (int q = 0; q < s.nRows(); q++) {
                for (int i = firstOut[firstRow + q]; i >= 0; i = nextOut[i]) {
                    int from = (int) upper[i];
                    int pos = from;
                    for (long k = s.indptr()[q]; k < s.indptr()[q + 1]; k++) {
                        if (s.data().get((int) k) > 0) {
                            idx[pos++] = s.indices()[(int) k];
                        }
                    }
                    Arrays.sort(idx, from, pos);
                    len[i] = pos - from;
                }
            }
        });
        int[] ptr = new int[n + 1];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(idx, (int) upper[i], idx, pos, len[i]);
            pos += len[i];
            ptr[i + 1] = pos;
        }
        return new PeakMatrix(n, blocks.nCols(), ptr, pos == idx.length ? idx : Arrays.copyOf(idx, pos));
    }

    /**
     * Binarises rows {@code rows} (in that order) of a cells × peaks matrix of any layout.
     *
     * @param m    the matrix as read
     * @param rows the row of {@code m} for each output cell
     */
    public static PeakMatrix binarise(Matrix m, int[] rows) {
        int n = rows.length;
        int[] ptr = new int[n + 1];
        if (m instanceof SparseMatrix s && s.layout() == SparseMatrix.Layout.CSR) {
            long total = 0;
            for (int i = 0; i < n; i++) {
                int r = rows[i];
                for (long k = s.indptr()[r]; k < s.indptr()[r + 1]; k++) {
                    if (s.data().get((int) k) > 0) {
                        total++;
                    }
                }
            }
            int[] idx = new int[Math.toIntExact(total)];
            int pos = 0;
            for (int i = 0; i < n; i++) {
                int r = rows[i];
                int from = pos;
                for (long k = s.indptr()[r]; k < s.indptr()[r + 1]; k++) {
                    if (s.data().get((int) k) > 0) {
                        idx[pos++] = s.indices()[(int) k];
                    }
                }
                Arrays.sort(idx, from, pos);
                ptr[i + 1] = pos;
            }
            return new PeakMatrix(n, s.nCols(), ptr, idx);
        }
        if (m instanceof SparseMatrix s) {
            // CSC: transpose by counting, keeping only wanted rows.
            int[] outRow = new int[s.nRows()];
            Arrays.fill(outRow, -1);
            for (int i = 0; i < n; i++) {
                outRow[rows[i]] = i;
            }
            int[] count = new int[n];
            for (int c = 0; c < s.nCols(); c++) {
                for (long k = s.indptr()[c]; k < s.indptr()[c + 1]; k++) {
                    int o = outRow[s.indices()[(int) k]];
                    if (o >= 0 && s.data().get((int) k) > 0) {
                        count[o]++;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                ptr[i + 1] = ptr[i] + count[i];
            }
            int[] fill = Arrays.copyOf(ptr, n);
            int[] idx = new int[ptr[n]];
            for (int c = 0; c < s.nCols(); c++) {
                for (long k = s.indptr()[c]; k < s.indptr()[c + 1]; k++) {
                    int o = outRow[s.indices()[(int) k]];
                    if (o >= 0 && s.data().get((int) k) > 0) {
                        idx[fill[o]++] = c;
                    }
                }
            }
            return new PeakMatrix(n, s.nCols(), ptr, idx);
        }
        DenseMatrix d = (DenseMatrix) m;
        var list = new ArrayList<Integer>();
        for (int i = 0; i < n; i++) {
            int r = rows[i];
            for (int c = 0; c < d.nCols(); c++) {
                if (d.get(r, c) > 0) {
                    list.add(c);
                }
            }
            ptr[i + 1] = list.size();
        }
        return new PeakMatrix(n, d.nCols(), ptr, list.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Open cells per peak. */
    public int[] peakCounts() {
        int[] out = new int[nPeaks];
        for (int k : indices) {
            out[k]++;
        }
        return out;
    }

    /** Open peaks per cell. */
    public int cellCount(int cell) {
        return indptr[cell + 1] - indptr[cell];
    }

    /** The cells × peaks matrix in CSC form: {@code [0]} = colptr (nPeaks + 1), {@code [1]} = row indices. */
    public int[][] toCsc() {
        int[] colptr = new int[nPeaks + 1];
        for (int k : indices) {
            colptr[k + 1]++;
        }
        for (int p = 0; p < nPeaks; p++) {
            colptr[p + 1] += colptr[p];
        }
        int[] fill = Arrays.copyOf(colptr, nPeaks);
        int[] rowIdx = new int[indices.length];
        for (int c = 0; c < nCells; c++) {
            for (int k = indptr[c]; k < indptr[c + 1]; k++) {
                rowIdx[fill[indices[k]]++] = c;
            }
        }
        return new int[][] {colptr, rowIdx};
    }
}
