package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;


/**
 * Reads a compressed sparse matrix group ({@code data}, {@code indices}, {@code indptr}) and validates it: the
 * shape must agree with indptr's length, indptr must start at 0, never decrease and end at nnz, and every index
 * must lie inside the minor dimension. Sizes are checked from the dataset dimensions before anything is read.
 */
public final class SparseReader {
    private SparseReader() {
    }

    /** The validated dimensions of a sparse group, read without loading any data. */
    public record Layout(SparseMatrix.Layout layout, int nRows, int nCols, long nnz, Dataset data, Dataset indices,
                         Dataset indptr) {
        /** Rows for CSR, columns for CSC. */
        public int major() {
            return layout == SparseMatrix.Layout.CSR ? nRows : nCols;
        }

        /** Columns for CSR, rows for CSC. */
        public int minor() {
            return layout == SparseMatrix.Layout.CSR ? nCols : nRows;
        }
    }

    /** Checks the group's shape against its datasets' dimensions. */
    public static Layout layout(ReadContext ctx, Group g, SparseMatrix.Layout layout, long[] shape) {
        String path = g.getPath();
        if (shape == null || shape.length != 2) {
            throw ctx.fail(path, "sparse matrix needs a 2-element shape attribute");
        }
        for (long s : shape) {
            if (s < 0 || s > Integer.MAX_VALUE - 1) {
                throw ctx.fail(path, "shape " + shape[0] + " x " + shape[1] + " is out of range");
            }
        }
        Dataset data = dataset(ctx, g, "data");
        Dataset indices = dataset(ctx, g, "indices");
        Dataset indptr = dataset(ctx, g, "indptr");
        long[] dd = H5Arrays.dims(ctx, data);
        long[] di = H5Arrays.dims(ctx, indices);
        long[] dp = H5Arrays.dims(ctx, indptr);
        if (dd.length != 1 || di.length != 1 || dp.length != 1) {
            throw ctx.fail(path, "data, indices and indptr must be 1-D");
        }
        if (dd[0] != di[0]) {
            throw ctx.fail(indices.getPath(), "has " + di[0] + " entries but data has " + dd[0]);
        }
        long major = layout == SparseMatrix.Layout.CSR ? shape[0] : shape[1];
        if (dp[0] != major + 1) {
            throw ctx.fail(indptr.getPath(), "has " + dp[0] + " entries but shape " + shape[0] + " x " + shape[1]
                    + " needs " + (major + 1) + " for " + layout);
        }
        DType t = H5Arrays.dtype(data);
        if (t == null || t == DType.STRING) {
            throw ctx.fail(data.getPath(), "sparse data must be numeric");
        }
        return new Layout(layout, (int) shape[0], (int) shape[1], dd[0], data, indices, indptr);
    }

    private static Dataset dataset(ReadContext ctx, Group g, String name) {
        Node n = ctx.child(g, name).orElseThrow(() -> ctx.fail(g.getPath() + "/" + name, "missing"));
        if (n instanceof Dataset d) {
            return d;
        }
        throw ctx.fail(n.getPath(), "expected a dataset, found a group");
    }

    /** Reads and validates the whole matrix; data and indices are each decompressed chunk-parallel. */
    public static SparseMatrix read(ReadContext ctx, Group g, SparseMatrix.Layout layoutKind, long[] shape) {
        Layout l = layout(ctx, g, layoutKind, shape);
        if (l.nnz() > H5Arrays.MAX_ELEMENTS) {
            throw ctx.fail(g.getPath(), l.nnz() + " stored entries are too many to load whole; stream it with"
                    + " MatrixBlocks");
        }
        long[] indptr = H5Arrays.toLongs(ctx, l.indptr().getPath(), H5Arrays.readFlat(ctx, l.indptr(), false));
        checkIndptr(ctx, l.indptr().getPath(), indptr, l.nnz());
        DType dtype = H5Arrays.dtype(l.data());
        // heap check for both arrays together before starting either
        H5Arrays.checkHeap(ctx, g.getPath(), l.nnz() * (4L + (dtype.fitsFloat() ? 4 : 8)));
        // each is decompressed chunk-parallel inside (ChunkReads); one after the other keeps peak memory lower
        NumArray data = H5Arrays.toNum(ctx, l.data().getPath(), H5Arrays.readFlat(ctx, l.data(), true), dtype);
        int[] indices = H5Arrays.toInts(ctx, l.indices().getPath(), H5Arrays.readFlat(ctx, l.indices(), true));
        if (data.length() != l.nnz() || indices.length != l.nnz()) {
            throw ctx.fail(g.getPath(), "read " + data.length() + " values and " + indices.length
                    + " indices, expected " + l.nnz());
        }
        checkIndices(ctx, l.indices().getPath(), indices, l.minor());
        return new SparseMatrix(layoutKind, l.nRows(), l.nCols(), dtype, data, indices, indptr);
    }

    /** indptr[0] == 0, non-decreasing, last == nnz. */
    public static void checkIndptr(ReadContext ctx, String path, long[] indptr, long nnz) {
        if (indptr.length == 0 || indptr[0] != 0) {
            throw ctx.fail(path, "must start at 0");
        }
        for (int i = 1; i < indptr.length; i++) {
            if (indptr[i] < indptr[i - 1]) {
                throw ctx.fail(path, "decreases at " + i + " (" + indptr[i - 1] + " then " + indptr[i] + ")");
            }
        }
        if (indptr[indptr.length - 1] != nnz) {
            throw ctx.fail(path, "ends at " + indptr[indptr.length - 1] + " but there are " + nnz
                    + " stored entries");
        }
    }

    /** Every index in [0, minor). */
    public static void checkIndices(ReadContext ctx, String path, int[] indices, int minor) {
        for (int k = 0; k < indices.length; k++) {
            int v = indices[k];
            if (v < 0 || v >= minor) {
                throw ctx.fail(path, "index " + v + " at " + k + " is outside 0.." + (minor - 1));
            }
        }
    }
}
