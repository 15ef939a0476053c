package io.scgrn.anndata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SparseMatrixTest {
    @Test
    void fromDenseKeepsTheNonZerosInEitherLayout() {
        // 3 x 4 with a zero row and a zero column
        DenseMatrix d = DenseMatrix.ofDoubles(3, 4, new double[] {1, 0, 2.5, 0, 0, 0, 0, 0, 0, 0, -3, 4});
        SparseMatrix csr = SparseMatrix.fromDense(d, SparseMatrix.Layout.CSR);
        assertArrayEquals(new long[] {0, 2, 2, 4}, csr.indptr());
        assertArrayEquals(new int[] {0, 2, 2, 3}, csr.indices());
        assertArrayEquals(new float[] {1, 2.5f, -3, 4}, ((NumArray.F32) csr.data()).values());
        SparseMatrix csc = SparseMatrix.fromDense(d, SparseMatrix.Layout.CSC);
        assertArrayEquals(new long[] {0, 1, 1, 3, 4}, csc.indptr());
        assertArrayEquals(new int[] {0, 0, 2, 2}, csc.indices());
        assertArrayEquals(new float[] {1, 2.5f, -3, 4}, ((NumArray.F32) csc.data()).values());
        for (SparseMatrix s : new SparseMatrix[] {csr, csc}) {
            assertEquals(DType.FLOAT32, s.dtype());
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    assertEquals(d.get(r, c), s.get(r, c), s.layout() + " " + r + "," + c);
                }
            }
        }
    }
}
