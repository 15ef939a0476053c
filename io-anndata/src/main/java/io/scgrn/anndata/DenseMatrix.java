package io.scgrn.anndata;

import java.util.Objects;

/**
 * A dense matrix in row-major order: {@code values[row * nCols + col]}. Matrices of more than 2^31-1 elements
 * cannot be held here; read them in blocks with {@link MatrixBlocks}.
 */
public record DenseMatrix(int nRows, int nCols, DType dtype, NumArray values) implements Matrix {
    public DenseMatrix {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(values, "values");
        if ((long) nRows * nCols != values.length()) {
            throw new IllegalArgumentException("dense matrix " + nRows + " x " + nCols + " has " + values.length()
                    + " values");
        }
    }

    /** Convenience: a float32 matrix. */
    public static DenseMatrix ofFloats(int nRows, int nCols, float[] rowMajor) {
        return new DenseMatrix(nRows, nCols, DType.FLOAT32, new NumArray.F32(rowMajor));
    }

    /** Convenience: a float64 matrix. */
    public static DenseMatrix ofDoubles(int nRows, int nCols, double[] rowMajor) {
        return new DenseMatrix(nRows, nCols, DType.FLOAT64, new NumArray.F64(rowMajor));
    }

    @Override
    public long nnz() {
        return (long) nRows * nCols;
    }

    @Override
    public double get(int row, int col) {
        return values.get(row * nCols + col);
    }

    @Override
    public String encoding() {
        return "array";
    }
}
