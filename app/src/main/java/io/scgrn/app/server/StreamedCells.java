package io.scgrn.app.server;

import io.scgrn.anndata.DType;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.MatrixBlocks;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.numerics.Sampling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Per-cell values of a dataset whose X is too large to hold (an atlas of a million cells): X stays in the file and
 * is streamed in blocks of about {@value #BLOCK_ENTRIES} stored entries ({@link MatrixBlocks}, whose gzip chunks are
 * inflated in parallel), so memory is one block plus the answer, never X. A CSC matrix gives a gene's column
 * directly; CSR and dense X need one pass over the file per request, extracting every gene the request names in
 * that one pass. Every method reads the file and runs on a worker thread.
 */
final class StreamedCells {
    /** Stored entries per streamed block (with int indices and float values, about 32 MB decoded). */
    static final long BLOCK_ENTRIES = 1L << 22;
    /** Cells the PCA of an embedding-less dataset is fitted on; all cells are then projected. */
    static final int PCA_SAMPLE = 20_000;

    private StreamedCells() {
    }

    /** Where X is: the dataset's file and the HDF5 path of its expression matrix. */
    record Source(Path file, String xPath) {
    }

    /**
     * The non-zero values of some genes over all cells.
     *
     * @param nCells cells in the dataset
     * @param cells  per requested gene, the cells with a stored non-zero value, ascending
     * @param values per requested gene, those values
     */
    record Columns(int nCells, int[][] cells, float[][] values) {
        /** Gene {@code i} of the request as a dense vector over all cells. */
        float[] dense(int i) {
            float[] out = new float[nCells];
            for (int k = 0; k < cells[i].length; k++) {
                out[cells[i][k]] = values[i][k];
            }
            return out;
        }
    }

    /** Heap a streamed request needs besides its answer: one decoded block (indices, values, pointers). */
    static long workingBytes() {
        return BLOCK_ENTRIES * 24;
    }

    /**
     * Heap {@link #pca} needs besides one block: the sampled cells' entries while gathered (growing lists, so up
     * to twice their size) and assembled, and per cell the projection and the answer.
     */
    static long pcaBytes(Source src) {
        try (MatrixBlocks b = MatrixBlocks.open(src.file(), src.xPath())) {
            long n = b.nRows();
            double perCell = b.nnz() / (double) Math.max(1, n);
            long sampleEntries = (long) (Math.min(n, PCA_SAMPLE) * perCell);
            return sampleEntries * 24 + n * 40;
        }
    }

    /** Columns {@code genes} (var indices) of X, in one pass over the file (CSC: one slice per gene). */
    static Columns columns(Source src, int[] genes) {
        try (MatrixBlocks b = MatrixBlocks.open(src.file(), src.xPath())) {
            int n = b.nRows();
            int[][] cells = new int[genes.length][];
            float[][] values = new float[genes.length][];
            if ("csc_matrix".equals(b.encoding())) {
                for (int i = 0; i < genes.length; i++) {
                    SparseMatrix col = (SparseMatrix) b.cols(genes[i], 1);
                    Growing g = new Growing();
                    for (int k = 0; k < col.indices().length; k++) {
                        g.add(col.indices()[k], col.data().getFloat(k));
                    }
                    cells[i] = g.cells();
                    values[i] = g.values();
                }
                return new Columns(n, cells, values);
            }
            int[] slot = new int[b.nCols()];
            Arrays.fill(slot, -1);
            Growing[] acc = new Growing[genes.length];
            for (int i = 0; i < genes.length; i++) {
                if (slot[genes[i]] < 0) {
                    slot[genes[i]] = i;
                }
                acc[i] = new Growing();
            }
            if ("csr_matrix".equals(b.encoding())) {
                // the common atlas layout: a plain loop over each row block's indices (this pass reads the file)
                int r0 = 0;
                for (Matrix m : b.rowBlocks(b.blockSize(BLOCK_ENTRIES))) {
                    SparseMatrix s = (SparseMatrix) m;
                    int[] idx = s.indices();
                    for (int r = 0; r < s.nRows(); r++) {
                        for (int q = (int) s.indptr()[r], e = (int) s.indptr()[r + 1]; q < e; q++) {
                            int at = slot[idx[q]];
                            if (at >= 0) {
                                acc[at].add(r0 + r, s.data().getFloat(q));
                            }
                        }
                    }
                    r0 += s.nRows();
                }
            } else {
                forEachEntry(b, (r, c, v) -> {
                    int at = slot[c];
                    if (at >= 0) {
                        acc[at].add(r, (float) v);
                    }
                });
            }
            for (int i = 0; i < genes.length; i++) {
                Growing g = acc[slot[genes[i]]];
                cells[i] = g.cells();
                values[i] = g.values();
            }
            return new Columns(n, cells, values);
        }
    }

    /**
     * True when X looks like raw counts (non-negative integers, some above 10), judged on its first block as
     * {@link CellData#looksLikeCounts} judges a loaded matrix.
     */
    static boolean looksLikeCounts(Source src) {
        try (MatrixBlocks b = MatrixBlocks.open(src.file(), src.xPath())) {
            if (b.nRows() == 0 || b.nCols() == 0) {
                return false;
            }
            int size = b.blockSize(BLOCK_ENTRIES);
            Matrix first = "csc_matrix".equals(b.encoding()) ? b.cols(0, Math.min(b.nCols(), size))
                    : b.rows(0, Math.min(b.nRows(), size));
            return CellData.looksLikeCounts(first);
        }
    }

    /**
     * Module score of a regulon per cell, as {@link CellData#moduleScore} computes it on loaded data (mean over the
     * targets of their z-scored, log1p'd-when-counts expression, repressed targets negated), from the targets'
     * non-zero values gathered in one pass: a zero value contributes {@code (0 - mean) / sd}.
     *
     * @param genes var indices of the targets found in the dataset
     * @param signs +1 / -1 per target
     */
    static float[] moduleScore(Source src, int[] genes, int[] signs) {
        boolean counts = looksLikeCounts(src);
        Columns cols = columns(src, genes);
        int n = cols.nCells();
        double[] acc = new double[n];
        double base = 0;
        int used = 0;
        for (int t = 0; t < genes.length; t++) {
            float[] v = cols.values()[t];
            double sum = 0;
            double sumSq = 0;
            for (float f : v) {
                double x = counts ? Math.log1p(Math.max(0, f)) : f;
                sum += x;
                sumSq += x * x;
            }
            double mean = sum / n;
            // sum over all cells of (x - mean)^2, zeros included
            double ss = sumSq - n * mean * mean;
            double sd = Math.sqrt(Math.max(0, ss) / Math.max(1, n - 1));
            if (sd == 0 || !Double.isFinite(sd)) {
                continue;
            }
            int sign = signs[t] < 0 ? -1 : 1;
            // every cell gets the zero's score; cells with a value get the difference on top
            base += sign * (0 - mean) / sd;
            int[] c = cols.cells()[t];
            for (int k = 0; k < c.length; k++) {
                double x = counts ? Math.log1p(Math.max(0, v[k])) : v[k];
                acc[c[k]] += sign * x / sd;
            }
            used++;
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = used == 0 ? Float.NaN : (float) ((acc[i] + base) / used);
        }
        return out;
    }

    /**
     * First two principal components of X (log1p first when it holds counts): fitted on a seeded uniform sample of
     * {@value #PCA_SAMPLE} cells (all cells when there are fewer) gathered in one pass, then every cell projected
     * on the sample's components in a second pass. Two passes over the file whatever its size.
     */
    static CellData.Embedding pca(Source src, long seed) {
        return pca(src, seed, PCA_SAMPLE);
    }

    /** {@link #pca(Source, long)} fitted on {@code sample} cells. */
    static CellData.Embedding pca(Source src, long seed, int sample) {
        boolean log = looksLikeCounts(src);
        CellData.PcaFit fit;
        int sampled;
        try (MatrixBlocks b = MatrixBlocks.open(src.file(), src.xPath())) {
            int n = b.nRows();
            if (n <= sample) {
                // small enough to fit directly: the sample is every cell
                fit = CellData.pcaFit(gatherRows(b, allRows(n), n), log, seed);
                return new CellData.Embedding(fit.scores()[0], fit.scores()[1], "pca (computed)");
            }
            // CSC: a run of cells is a scan of the whole file, so gather single cells in one pass instead
            Matrix fitted = "csc_matrix".equals(b.encoding()) ? gatherRows(b, sampleRows(n, sample, seed), sample)
                    : sampleSegments(b, sample, seed);
            // log1p once here rather than on every product of the fit's power iterations
            CellData.PcaFit f = CellData.pcaFit(log ? log1p((SparseMatrix) fitted) : fitted, false, seed);
            fit = new CellData.PcaFit(f.mu(), f.v(), f.k(), log, f.scores());
            sampled = fitted.nRows();
        }
        float[][] xy = project(src, fit);
        return new CellData.Embedding(xy[0], xy[1], "pca (computed on " + sampled + " sampled cells)");
    }

    /** Every cell's scores on a fit's components, (x − μ)·V, in one pass: {pc1, pc2}. */
    static float[][] project(Source src, CellData.PcaFit fit) {
        boolean log = fit.log();
        int n;
        int k = fit.k();
        double[] v = fit.v();
        double[] proj;
        try (MatrixBlocks b = MatrixBlocks.open(src.file(), src.xPath())) {
            n = b.nRows();
            double[] p = new double[n * 2];
            proj = p;
            if ("csr_matrix".equals(b.encoding())) {
                // the common atlas layout: plain loops over each row block (this pass reads the whole file)
                int r0 = 0;
                for (Matrix m : b.rowBlocks(b.blockSize(BLOCK_ENTRIES))) {
                    SparseMatrix s = (SparseMatrix) m;
                    for (int r = 0; r < s.nRows(); r++) {
                        double p0 = 0;
                        double p1 = 0;
                        for (int q = (int) s.indptr()[r], e = (int) s.indptr()[r + 1]; q < e; q++) {
                            double x = s.data().get(q);
                            double val = log ? log1p(x) : x;
                            int c = s.indices()[q];
                            p0 += val * v[c * k];
                            p1 += k > 1 ? val * v[c * k + 1] : 0;
                        }
                        p[(r0 + r) * 2] = p0;
                        p[(r0 + r) * 2 + 1] = p1;
                    }
                    r0 += s.nRows();
                }
            } else {
                forEachEntry(b, (r, c, x) -> {
                    double val = log ? log1p(x) : x;
                    for (int t = 0; t < k; t++) {
                        p[r * 2 + t] += val * v[c * k + t];
                    }
                });
            }
        }
        double[] shift = new double[2];
        for (int c = 0; c < fit.mu().length; c++) {
            for (int t = 0; t < k; t++) {
                shift[t] += fit.mu()[c] * v[c * k + t];
            }
        }
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (proj[i * 2] - shift[0]);
            y[i] = k > 1 ? (float) (proj[i * 2 + 1] - shift[1]) : 0f;
        }
        return new float[][] {x, y};
    }

    /** log1p of the small whole numbers that counts mostly are. */
    private static final double[] LOG1P = new double[4096];

    static {
        for (int i = 0; i < LOG1P.length; i++) {
            LOG1P[i] = Math.log1p(i);
        }
    }

    /** Math.log1p, from a table for whole numbers below 4096 (counts): a pass over an atlas takes hundreds of millions. */
    static double log1p(double x) {
        int i = (int) x;
        return i == x && i >= 0 && i < LOG1P.length ? LOG1P[i] : Math.log1p(x);
    }

    /** A CSR matrix with log1p applied to its values. */
    private static SparseMatrix log1p(SparseMatrix m) {
        float[] v = new float[m.data().length()];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) log1p(m.data().get(k));
        }
        return new SparseMatrix(m.layout(), m.nRows(), m.nCols(), DType.FLOAT32, new NumArray.F32(v), m.indices(),
                m.indptr());
    }

    /** Cells per contiguous run of the PCA sample. */
    static final int SEGMENT = 100;

    /**
     * A sample of {@code m} cells as {@code m / SEGMENT} runs of {@value #SEGMENT} consecutive cells, one at a
     * seeded random place in each of as many equal strata of the file: a run is one short slice of the file, so
     * the sample costs a fraction of a pass (a uniform sample of single cells would touch every chunk), and the
     * strata spread it over the whole file even when cells are stored sorted by type or donor.
     */
    static SparseMatrix sampleSegments(MatrixBlocks b, int m, long seed) {
        int n = b.nRows();
        int runs = Math.max(1, m / SEGMENT);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<SparseMatrix> parts = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long lo = (long) n * i / runs;
            long hi = (long) n * (i + 1) / runs;
            int len = (int) Math.min(SEGMENT, hi - lo);
            int start = (int) (lo + rnd.nextLong(hi - lo - len + 1));
            Matrix block = b.rows(start, len);
            parts.add(block instanceof SparseMatrix s ? s
                    : SparseMatrix.fromDense((DenseMatrix) block, SparseMatrix.Layout.CSR));
        }
        return stack(parts, b.nCols());
    }

    /** CSR blocks stacked row-wise into one CSR matrix with float values. */
    private static SparseMatrix stack(List<SparseMatrix> parts, int nCols) {
        int rows = 0;
        long entries = 0;
        for (SparseMatrix p : parts) {
            rows += p.nRows();
            entries += p.indptr()[p.nRows()];
        }
        int total = Math.toIntExact(entries);
        long[] ptr = new long[rows + 1];
        int[] idx = new int[total];
        float[] val = new float[total];
        int r = 0;
        int at = 0;
        for (SparseMatrix p : parts) {
            int k0 = (int) p.indptr()[0];
            int len = (int) (p.indptr()[p.nRows()] - k0);
            System.arraycopy(p.indices(), k0, idx, at, len);
            for (int k = 0; k < len; k++) {
                val[at + k] = p.data().getFloat(k0 + k);
            }
            for (int i = 0; i < p.nRows(); i++) {
                ptr[r + i + 1] = at + (p.indptr()[i + 1] - k0);
            }
            r += p.nRows();
            at += len;
        }
        return new SparseMatrix(SparseMatrix.Layout.CSR, rows, nCols, DType.FLOAT32, new NumArray.F32(val), idx,
                ptr);
    }

    /** -1 for rows not sampled, else the row's position in the sample; exactly {@code m} rows, seeded. */
    static int[] sampleRows(int n, int m, long seed) {
        int[] chosen = Sampling.sortedSample(n, m, seed);
        int[] rowOf = new int[n];
        Arrays.fill(rowOf, -1);
        for (int i = 0; i < m; i++) {
            rowOf[chosen[i]] = i;
        }
        return rowOf;
    }

    private static int[] allRows(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** The rows marked in {@code rowOf} (their sample positions) as an m × nCols CSR matrix, in one pass. */
    private static SparseMatrix gatherRows(MatrixBlocks b, int[] rowOf, int m) {
        Growing[] rows = new Growing[m];
        for (int i = 0; i < m; i++) {
            rows[i] = new Growing();
        }
        forEachEntry(b, (r, c, v) -> {
            int s = rowOf[r];
            if (s >= 0 && v != 0) {
                rows[s].add(c, (float) v);
            }
        });
        long[] ptr = new long[m + 1];
        for (int i = 0; i < m; i++) {
            ptr[i + 1] = ptr[i] + rows[i].size;
        }
        int total = Math.toIntExact(ptr[m]);
        int[] idx = new int[total];
        float[] val = new float[total];
        for (int i = 0; i < m; i++) {
            System.arraycopy(rows[i].cells, 0, idx, (int) ptr[i], rows[i].size);
            System.arraycopy(rows[i].values, 0, val, (int) ptr[i], rows[i].size);
        }
        return new SparseMatrix(SparseMatrix.Layout.CSR, m, b.nCols(), DType.FLOAT32, new NumArray.F32(val), idx,
                ptr);
    }

    @FunctionalInterface
    interface EntryVisitor {
        void accept(int row, int col, double value);
    }

    /**
     * Every stored entry of the matrix, block by block: row blocks for CSR and dense storage, column blocks for
     * CSC (the layout's own direction, so each block is one slice of the file).
     */
    static void forEachEntry(MatrixBlocks b, EntryVisitor visitor) {
        b.forEachBlock(BLOCK_ENTRIES, (m, r0, c0) -> CellData.forEachStored(m, r0, c0, visitor::accept));
    }

    /** An append-only list of (index, value) pairs. */
    private static final class Growing {
        int[] cells = new int[8];
        float[] values = new float[8];
        int size;

        void add(int cell, float value) {
            if (size == cells.length) {
                cells = Arrays.copyOf(cells, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            cells[size] = cell;
            values[size] = value;
            size++;
        }

        int[] cells() {
            return Arrays.copyOf(cells, size);
        }

        float[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
