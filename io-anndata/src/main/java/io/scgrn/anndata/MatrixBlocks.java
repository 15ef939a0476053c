package io.scgrn.anndata;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.read.FileKinds;
import io.scgrn.anndata.read.H5Arrays;
import io.scgrn.anndata.read.H5Files;
import io.scgrn.anndata.read.H5muReader;
import io.scgrn.anndata.read.ReadContext;
import io.scgrn.anndata.read.SparseReader;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

/**
 * Streams one matrix of a file (dense, CSR or CSC; X, a layer, a 10x matrix) in blocks of rows (cells) or columns
 * (genes) without loading it whole, so matrices larger than the heap can be processed. Memory per block is
 * bounded by the block: a row block of a CSR matrix (or a column block of a CSC one) is one slice of data and
 * indices; the other direction scans the stored entries in slices and keeps only those inside the block. Only
 * indptr (one long per row/column) is held for the whole matrix.
 *
 * <p>Row blocks come back as {@link DenseMatrix} (dense storage) or CSR {@link SparseMatrix}; column blocks as
 * {@link DenseMatrix} or CSC {@link SparseMatrix}. The instance owns its open HDF5 file: use it in
 * try-with-resources. Not thread-safe.
 */
public final class MatrixBlocks implements AutoCloseable {
    /** Stored entries read per slice while scanning. */
    private static final int SCAN_SLICE = 1 << 22;

    private final HdfFile hdf;
    private final ReadContext ctx;
    private final String h5Path;
    private final int nRows;
    private final int nCols;
    private final DType dtype;
    private final Dataset dense;
    private final SparseReader.Layout sparse;
    private final long[] indptr;

    private MatrixBlocks(Path file, String h5Path) {
        this.hdf = H5Files.open(file);
        try {
            this.ctx = new ReadContext(file, hdf);
            this.h5Path = ReadContext.clean(h5Path);
            Node n = ctx.node(this.h5Path);
            if (n instanceof Dataset ds) {
                long[] dims = H5Arrays.dims(ctx, ds);
                if (dims.length != 2 || dims[0] > Integer.MAX_VALUE || dims[1] > Integer.MAX_VALUE) {
                    throw ctx.fail(this.h5Path, "expected a 2-D matrix, found dimensions " + Arrays.toString(dims));
                }
                DType t = H5Arrays.dtype(ds);
                if (t == null || t == DType.STRING) {
                    throw ctx.fail(this.h5Path, "matrix must be numeric");
                }
                dense = ds;
                sparse = null;
                indptr = null;
                nRows = (int) dims[0];
                nCols = (int) dims[1];
                dtype = t;
            } else {
                Group g = (Group) n;
                sparse = sparseLayout(ctx, g);
                dense = null;
                nRows = sparse.nRows();
                nCols = sparse.nCols();
                dtype = H5Arrays.dtype(sparse.data());
                H5Arrays.checkHeap(ctx, this.h5Path, 8L * (sparse.major() + 1));
                indptr = H5Arrays.toLongs(ctx, sparse.indptr().getPath(),
                        H5Arrays.readFlat(ctx, sparse.indptr(), false));
                SparseReader.checkIndptr(ctx, sparse.indptr().getPath(), indptr, sparse.nnz());
            }
        } catch (RuntimeException e) {
            hdf.close();
            throw e instanceof AnnDataException ae ? ae : new AnnDataException(file, h5Path, e.toString(), e);
        }
    }

    /** Opens the matrix at {@code h5Path} (a 2-D dataset, a csr/csc group, an h5sparse group or a 10x group). */
    public static MatrixBlocks open(Path file, String h5Path) {
        return new MatrixBlocks(file, h5Path);
    }

    /**
     * Opens the main matrix of a file, found by content: {@code /X} of an .h5ad, {@code /mod/<first>/X} of an
     * .h5mu, {@code /matrix} (v3) or the first genome group (v2) of a 10x file.
     */
    public static MatrixBlocks openMain(Path file) {
        return open(file, mainMatrixPath(file));
    }

    /** The HDF5 path {@link #openMain} uses. */
    public static String mainMatrixPath(Path file) {
        return H5Files.withFile(file, c -> switch (FileKinds.detect(c)) {
            case H5AD -> "/X";
            case H5MU -> "/mod/" + H5muReader.firstModality(c).orElseThrow(
                    () -> c.fail("/mod", "no modalities")) + "/X";
            case TENX -> c.find("/matrix").isPresent() ? "/matrix" : firstGenome(c);
        });
    }

    private static String firstGenome(ReadContext c) {
        for (Node n : c.hdf().getChildren().values()) {
            if (n instanceof Group g && c.child(g, "indptr").isPresent()) {
                return "/" + g.getName();
            }
        }
        throw c.fail("/", "no 10x genome group");
    }

    private static SparseReader.Layout sparseLayout(ReadContext ctx, Group g) {
        String type = ctx.attrString(g, "encoding-type");
        if ("csr_matrix".equals(type)) {
            return SparseReader.layout(ctx, g, SparseMatrix.Layout.CSR, ctx.attrLongs(g, "shape"));
        }
        if ("csc_matrix".equals(type)) {
            return SparseReader.layout(ctx, g, SparseMatrix.Layout.CSC, ctx.attrLongs(g, "shape"));
        }
        if (type != null) {
            throw ctx.fail(g.getPath(), "cannot stream encoding '" + type + "'");
        }
        String h5s = ctx.attrString(g, "h5sparse_format");
        if (h5s != null) {
            SparseMatrix.Layout l = "csc".equals(h5s) ? SparseMatrix.Layout.CSC : SparseMatrix.Layout.CSR;
            return SparseReader.layout(ctx, g, l, ctx.attrLongs(g, "h5sparse_shape"));
        }
        if (ctx.child(g, "shape").isPresent() && ctx.child(g, "barcodes").isPresent()) {
            // 10x: genes x cells CSC == cells x genes CSR
            Dataset s = ctx.dataset(ReadContext.clean(g.getPath()) + "/shape");
            long[] shape = H5Arrays.toLongs(ctx, s.getPath(), H5Arrays.readFlat(ctx, s, false));
            if (shape.length != 2) {
                throw ctx.fail(s.getPath(), "shape must have 2 entries");
            }
            return SparseReader.layout(ctx, g, SparseMatrix.Layout.CSR, new long[] {shape[1], shape[0]});
        }
        throw ctx.fail(g.getPath(), "not a matrix");
    }

    public int nRows() {
        return nRows;
    }

    public int nCols() {
        return nCols;
    }

    /** Element type as stored. */
    public DType dtype() {
        return dtype;
    }

    /** array, csr_matrix or csc_matrix. */
    public String encoding() {
        if (dense != null) {
            return "array";
        }
        return sparse.layout() == SparseMatrix.Layout.CSR ? "csr_matrix" : "csc_matrix";
    }

    /** Stored entries (nRows*nCols for dense). */
    public long nnz() {
        return dense != null ? (long) nRows * nCols : sparse.nnz();
    }

    /**
     * Stored entries of each row when the matrix is stored by rows (CSR; from the indptr already held), else null:
     * an upper bound that lets a reader size its arrays before the one pass over the blocks.
     */
    public long[] storedPerRow() {
        if (sparse == null || sparse.layout() != SparseMatrix.Layout.CSR) {
            return null;
        }
        long[] out = new long[nRows];
        for (int r = 0; r < nRows; r++) {
            out[r] = indptr[r + 1] - indptr[r];
        }
        return out;
    }

    /** The HDF5 path of the matrix. */
    public String h5Path() {
        return h5Path;
    }

    /** Rows {@code [from, from+count)} as a DenseMatrix or CSR SparseMatrix of count x nCols. */
    public Matrix rows(int from, int count) {
        checkRange(from, count, nRows, "rows");
        if (dense != null) {
            return denseBlock(new long[] {from, 0}, new int[] {count, nCols});
        }
        if (sparse.layout() == SparseMatrix.Layout.CSR) {
            return majorSlice(from, count, SparseMatrix.Layout.CSR);
        }
        return minorScan(from, count, SparseMatrix.Layout.CSR);
    }

    /** Columns {@code [from, from+count)} as a DenseMatrix or CSC SparseMatrix of nRows x count. */
    public Matrix cols(int from, int count) {
        checkRange(from, count, nCols, "columns");
        if (dense != null) {
            return denseBlock(new long[] {0, from}, new int[] {nRows, count});
        }
        if (sparse.layout() == SparseMatrix.Layout.CSC) {
            return majorSlice(from, count, SparseMatrix.Layout.CSC);
        }
        return minorScan(from, count, SparseMatrix.Layout.CSC);
    }

    /** Row blocks of {@code blockRows} rows (the last may be shorter), in order. */
    public Iterable<Matrix> rowBlocks(int blockRows) {
        return blocks(blockRows, nRows, i -> rows(i, Math.min(blockRows, nRows - i)));
    }

    /** Column blocks of {@code blockCols} columns (the last may be shorter), in order. */
    public Iterable<Matrix> colBlocks(int blockCols) {
        return blocks(blockCols, nCols, j -> cols(j, Math.min(blockCols, nCols - j)));
    }

    /**
     * Rows (columns for CSC storage) per block so that a block of the storage's own direction holds about
     * {@code entriesPerBlock} stored entries: at least 1, at most all of them.
     */
    public int blockSize(long entriesPerBlock) {
        boolean csc = sparse != null && sparse.layout() == SparseMatrix.Layout.CSC;
        int slots = csc ? nCols : nRows;
        double perSlot = dense != null ? Math.max(1, nCols)
                : Math.max(1.0, nnz() / (double) Math.max(1, slots));
        return (int) Math.max(1, Math.min(Math.max(1, slots), entriesPerBlock / perSlot));
    }

    /** Receives one block of {@link #forEachBlock}: the block and the matrix's row and column at its corner. */
    @FunctionalInterface
    public interface BlockVisitor {
        void accept(Matrix block, int firstRow, int firstCol);
    }

    /**
     * The whole matrix block by block in its storage's own direction, so that each block is one slice of the file:
     * row blocks for dense and CSR storage, column blocks for CSC; each block holds about {@code entriesPerBlock}
     * stored entries (at least one row or column). The one pass that the streamed preparation and the server's
     * streamed cells make over a matrix too large to hold.
     */
    public void forEachBlock(long entriesPerBlock, BlockVisitor visitor) {
        boolean csc = sparse != null && sparse.layout() == SparseMatrix.Layout.CSC;
        int size = blockSize(entriesPerBlock);
        int start = 0;
        for (Matrix m : csc ? colBlocks(size) : rowBlocks(size)) {
            visitor.accept(m, csc ? 0 : start, csc ? start : 0);
            start += csc ? m.nCols() : m.nRows();
        }
    }

    private static Iterable<Matrix> blocks(int size, int total, IntFunction<Matrix> block) {
        if (size <= 0) {
            throw new IllegalArgumentException("block size must be positive, not " + size);
        }
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < total;
            }

            @Override
            public Matrix next() {
                if (next >= total) {
                    throw new NoSuchElementException();
                }
                Matrix m = block.apply(next);
                next += size;
                return m;
            }
        };
    }

    private void checkRange(int from, int count, int total, String what) {
        if (from < 0 || count < 0 || (long) from + count > total) {
            throw new IndexOutOfBoundsException(what + " [" + from + ", " + ((long) from + count) + ") outside 0.."
                    + total);
        }
    }

    private DenseMatrix denseBlock(long[] offset, int[] shape) {
        long n = (long) shape[0] * shape[1];
        if (n > H5Arrays.MAX_ELEMENTS) {
            throw ctx.fail(h5Path, "block of " + shape[0] + " x " + shape[1] + " is too large; use smaller blocks");
        }
        H5Arrays.checkHeap(ctx, h5Path, n * 8);
        if (n == 0) {
            return new DenseMatrix(shape[0], shape[1], dtype, H5Arrays.toNum(ctx, h5Path, new float[0], dtype));
        }
        Object flat;
        try {
            Object data = dense.getData(offset, shape);
            flat = flattenNested(data, (int) n);
        } catch (AnnDataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ctx.wrap(h5Path, e);
        }
        return new DenseMatrix(shape[0], shape[1], dtype, H5Arrays.toNum(ctx, h5Path, flat, dtype));
    }

    private static Object flattenNested(Object data, int n) {
        if (!data.getClass().getComponentType().isArray()) {
            return data;
        }
        int rows = Array.getLength(data);
        Object first = Array.get(data, 0);
        int cols = Array.getLength(first);
        Object out = Array.newInstance(first.getClass().getComponentType(), n);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(Array.get(data, r), 0, out, r * cols, cols);
        }
        return out;
    }

    /** Major slots [from, from+count) read as one slice of data and indices. */
    private SparseMatrix majorSlice(int from, int count, SparseMatrix.Layout layout) {
        long k0 = indptr[from];
        long k1 = indptr[from + count];
        long n = k1 - k0;
        if (n > H5Arrays.MAX_ELEMENTS) {
            throw ctx.fail(h5Path, "block holds " + n + " entries; use smaller blocks");
        }
        H5Arrays.checkHeap(ctx, h5Path, n * 16);
        int[] idx = H5Arrays.toInts(ctx, sparse.indices().getPath(), slice(sparse.indices(), k0, (int) n));
        SparseReader.checkIndices(ctx, sparse.indices().getPath(), idx, sparse.minor());
        NumArray data = H5Arrays.toNum(ctx, sparse.data().getPath(), slice(sparse.data(), k0, (int) n), dtype);
        long[] ptr = new long[count + 1];
        for (int i = 0; i <= count; i++) {
            ptr[i] = indptr[from + i] - k0;
        }
        int rows = layout == SparseMatrix.Layout.CSR ? count : nRows;
        int cols = layout == SparseMatrix.Layout.CSR ? nCols : count;
        return new SparseMatrix(layout, rows, cols, dtype, data, idx, ptr);
    }

    /**
     * Minor slots [from, from+count): scans all stored entries slice by slice and keeps those in range, then
     * sorts them by minor slot (counting sort), giving the other compressed layout.
     */
    private SparseMatrix minorScan(int from, int count, SparseMatrix.Layout layout) {
        int major = sparse.major();
        int[] counts = new int[count + 1];
        // pass 1: how many entries fall in each minor slot of the block
        scan((idx, vals, base) -> {
            for (int v : idx) {
                if (v >= from && v < from + count) {
                    counts[v - from + 1]++;
                }
            }
        });
        long[] ptr = new long[count + 1];
        for (int i = 0; i < count; i++) {
            ptr[i + 1] = ptr[i] + counts[i + 1];
        }
        long total = ptr[count];
        if (total > H5Arrays.MAX_ELEMENTS) {
            throw ctx.fail(h5Path, "block holds " + total + " entries; use smaller blocks");
        }
        H5Arrays.checkHeap(ctx, h5Path, total * 16);
        int[] outIdx = new int[(int) total];
        double[] outVal = new double[(int) total];
        long[] fill = ptr.clone();
        int[] majorOf = new int[1];
        // pass 2: place each entry; entries come in major order, so each minor slot is filled in major order
        scan((idx, vals, base) -> {
            for (int k = 0; k < idx.length; k++) {
                long pos = base + k;
                while (majorOf[0] < major && indptr[majorOf[0] + 1] <= pos) {
                    majorOf[0]++;
                }
                int v = idx[k];
                if (v >= from && v < from + count) {
                    int at = (int) fill[v - from]++;
                    outIdx[at] = majorOf[0];
                    outVal[at] = vals.get(k);
                }
            }
        });
        NumArray data = dtype.fitsFloat() ? toF32(outVal) : new NumArray.F64(outVal);
        int rows = layout == SparseMatrix.Layout.CSR ? count : nRows;
        int cols = layout == SparseMatrix.Layout.CSR ? nCols : count;
        return new SparseMatrix(layout, rows, cols, dtype, data, outIdx, ptr);
    }

    private static NumArray toF32(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return new NumArray.F32(f);
    }

    private interface SliceVisitor {
        void visit(int[] indices, NumArray values, long base);
    }

    private void scan(SliceVisitor visitor) {
        long nnz = sparse.nnz();
        for (long k = 0; k < nnz; k += SCAN_SLICE) {
            int n = (int) Math.min(SCAN_SLICE, nnz - k);
            int[] idx = H5Arrays.toInts(ctx, sparse.indices().getPath(), slice(sparse.indices(), k, n));
            SparseReader.checkIndices(ctx, sparse.indices().getPath(), idx, sparse.minor());
            NumArray vals = H5Arrays.toNum(ctx, sparse.data().getPath(), slice(sparse.data(), k, n), dtype);
            visitor.visit(idx, vals, k);
        }
    }

    private Object slice(Dataset ds, long offset, int n) {
        if (n == 0) {
            return new int[0];
        }
        try {
            // chunks overlapping the slice are inflated in parallel where the layout allows it
            Object o = H5Arrays.readRange(ctx, ds, offset, n);
            if (Array.getLength(o) != n) {
                throw ctx.fail(ds.getPath(), "slice returned " + Array.getLength(o) + " values, expected " + n);
            }
            return o;
        } catch (AnnDataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ctx.wrap(ds.getPath(), e);
        }
    }

    /** Closes the file. */
    @Override
    public void close() {
        hdf.close();
    }
}
