package io.scgrn.anndata;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Row and column blocks, with block sizes that do not divide the 53 x 37 matrix, must reassemble to the matrix
 * read whole (which {@link ExpectedValuesTest} checks against h5py), for dense (chunked 7 x 5, gzip), CSR and CSC.
 */
class MatrixBlocksTest {

    @ParameterizedTest
    @CsvSource({"stream_dense.h5ad,array,10,6", "stream_csr.h5ad,csr_matrix,8,5", "stream_csc.h5ad,csc_matrix,11,4",
            "stream_csr.h5ad,csr_matrix,1,37", "stream_csc.h5ad,csc_matrix,53,1"})
    void blocksReassembleToFullMatrix(String name, String encoding, int blockRows, int blockCols) {
        Path f = TestFiles.fixture(name);
        Matrix full = AnnDataFiles.readH5ad(f).x();
        try (MatrixBlocks b = MatrixBlocks.open(f, "/X")) {
            assertEquals(encoding, b.encoding());
            assertEquals(53, b.nRows());
            assertEquals(37, b.nCols());
            assertEquals(full.nnz(), b.nnz());
            double[] fromRows = new double[53 * 37];
            int r0 = 0;
            int nBlocks = 0;
            for (Matrix m : b.rowBlocks(blockRows)) {
                assertEquals(37, m.nCols());
                for (int r = 0; r < m.nRows(); r++) {
                    for (int c = 0; c < 37; c++) {
                        fromRows[(r0 + r) * 37 + c] = m.get(r, c);
                    }
                }
                r0 += m.nRows();
                nBlocks++;
            }
            assertEquals(53, r0);
            assertEquals((53 + blockRows - 1) / blockRows, nBlocks);
            double[] fromCols = new double[53 * 37];
            int c0 = 0;
            for (Matrix m : b.colBlocks(blockCols)) {
                assertEquals(53, m.nRows());
                for (int r = 0; r < 53; r++) {
                    for (int c = 0; c < m.nCols(); c++) {
                        fromCols[r * 37 + c0 + c] = m.get(r, c);
                    }
                }
                c0 += m.nCols();
            }
            assertEquals(37, c0);
            double[] want = new double[53 * 37];
            for (int r = 0; r < 53; r++) {
                for (int c = 0; c < 37; c++) {
                    want[r * 37 + c] = full.get(r, c);
                }
            }
            assertArrayEquals(want, fromRows, 0.0, "row blocks");
            assertArrayEquals(want, fromCols, 0.0, "column blocks");
        }
    }

    /** Contiguous (unchunked) dense X, int64 indices with uint16 data, and CSC int32: blocks equal the matrix. */
    @ParameterizedTest
    @CsvSource({"dense_f32.h5ad", "csr_int64_indptr.h5ad", "csc_i32.h5ad", "csr_f64_raw.h5ad"})
    void otherLayoutsAndTypes(String name) {
        Path f = TestFiles.fixture(name);
        Matrix full = AnnDataFiles.readH5ad(f).x();
        try (MatrixBlocks b = MatrixBlocks.open(f, "/X")) {
            assertEquals(full.dtype(), b.dtype());
            int r0 = 0;
            for (Matrix m : b.rowBlocks(4)) {
                for (int r = 0; r < m.nRows(); r++) {
                    for (int c = 0; c < full.nCols(); c++) {
                        assertEquals(full.get(r0 + r, c), m.get(r, c), 0.0, name + " row " + (r0 + r));
                    }
                }
                r0 += m.nRows();
            }
            assertEquals(full.nRows(), r0);
            int c0 = 0;
            for (Matrix m : b.colBlocks(2)) {
                for (int r = 0; r < full.nRows(); r++) {
                    for (int c = 0; c < m.nCols(); c++) {
                        assertEquals(full.get(r, c0 + c), m.get(r, c), 0.0, name + " col " + (c0 + c));
                    }
                }
                c0 += m.nCols();
            }
            assertEquals(full.nCols(), c0);
        }
    }

    @ParameterizedTest
    @CsvSource({"stream_dense.h5ad,100,false", "stream_csr.h5ad,30,false", "stream_csc.h5ad,30,true",
            "stream_csr.h5ad,1,false", "stream_csc.h5ad,1000000,true"})
    void forEachBlockCoversTheMatrixInItsStorageDirection(String name, long entries, boolean byColumns) {
        Path f = TestFiles.fixture(name);
        Matrix full = AnnDataFiles.readH5ad(f).x();
        try (MatrixBlocks b = MatrixBlocks.open(f, "/X")) {
            double[] seen = new double[53 * 37];
            int[] next = {0};
            int[] blocks = {0};
            b.forEachBlock(entries, (m, r0, c0) -> {
                // blocks follow each other along the storage direction and span the other one
                assertEquals(byColumns ? 0 : next[0], r0);
                assertEquals(byColumns ? next[0] : 0, c0);
                assertEquals(byColumns ? 53 : 37, byColumns ? m.nRows() : m.nCols());
                next[0] += byColumns ? m.nCols() : m.nRows();
                blocks[0]++;
                for (int r = 0; r < m.nRows(); r++) {
                    for (int c = 0; c < m.nCols(); c++) {
                        seen[(r0 + r) * 37 + c0 + c] = m.get(r, c);
                    }
                }
            });
            assertEquals(byColumns ? 37 : 53, next[0]);
            assertTrue(entries >= full.nnz() ? blocks[0] == 1 : blocks[0] > 1, blocks[0] + " blocks");
            for (int r = 0; r < 53; r++) {
                for (int c = 0; c < 37; c++) {
                    assertEquals(full.get(r, c), seen[r * 37 + c], r + "," + c);
                }
            }
        }
    }

    @Test
    void sparseBlocksKeepTheirLayout() {
        try (MatrixBlocks b = MatrixBlocks.open(TestFiles.fixture("stream_csr.h5ad"), "/X")) {
            SparseMatrix rows = (SparseMatrix) b.rows(3, 9);
            assertEquals(SparseMatrix.Layout.CSR, rows.layout());
            assertEquals(9, rows.nRows());
            SparseMatrix cols = (SparseMatrix) b.cols(30, 7);
            assertEquals(SparseMatrix.Layout.CSC, cols.layout());
            assertEquals(7, cols.nCols());
            assertThrows(IndexOutOfBoundsException.class, () -> b.rows(50, 4));
        }
    }

    @Test
    void qcStatsMatchFullMatrix() {
        Path f = TestFiles.fixture("stream_csc.h5ad");
        Matrix full = AnnDataFiles.readH5ad(f).x();
        QcStats q;
        try (MatrixBlocks b = MatrixBlocks.open(f, "/X")) {
            q = QcStats.compute(b, 7);
        }
        double total = 0;
        for (int r = 0; r < 53; r++) {
            double rowSum = 0;
            int detected = 0;
            for (int c = 0; c < 37; c++) {
                rowSum += full.get(r, c);
                detected += full.get(r, c) != 0 ? 1 : 0;
            }
            assertEquals(rowSum, q.cellTotals()[r], 1e-9);
            assertEquals(detected, q.cellDetected()[r]);
            total += rowSum;
        }
        double geneTotal = 0;
        for (double g : q.geneTotals()) {
            geneTotal += g;
        }
        assertEquals(total, geneTotal, 1e-6);
        assertEquals(full.nnz(), q.nnz());
        assertTrue(q.nonZero() <= q.nnz());
    }

    @Test
    void mainMatrixOfEachKind() {
        assertEquals("/X", MatrixBlocks.mainMatrixPath(TestFiles.fixture("dense_f32.h5ad")));
        assertEquals("/matrix", MatrixBlocks.mainMatrixPath(TestFiles.fixture("tenx_multiome.h5")));
        assertEquals("/mod/mod2/X",
                MatrixBlocks.mainMatrixPath(TestFiles.resource("formats/mudata/v0.4.1_mdata_axis0.h5mu")));
        Path tenx = TestFiles.fixture("tenx_multiome.h5");
        MuData md = AnnDataFiles.read10x(tenx);
        QcStats q = QcStats.compute(tenx);
        assertEquals(13, q.cellTotals().length);
        assertEquals(10, q.geneTotals().length);
        double rna = 0;
        SparseMatrix x = (SparseMatrix) md.mod().get("rna").x();
        for (int k = 0; k < x.data().length(); k++) {
            rna += x.data().get(k);
        }
        double firstSix = 0;
        for (int c = 0; c < 6; c++) {
            firstSix += q.geneTotals()[c];
        }
        assertEquals(rna, firstSix, 1e-9);
    }
}
