package io.scgrn.models.numerics;

import java.util.Arrays;

/**
 * A rows × cols matrix X as a {@link RandomizedSvd.Operator}, optionally centred by column means μ without
 * materialising X − 1μᵀ: (X − 1μᵀ)·in = X·in − 1·(μᵀ·in) and (X − 1μᵀ)ᵀ·y = Xᵀ·y − μ·(1ᵀ·y). This class writes the
 * centring terms; a subclass adds the products of its storage ({@link DenseOperator}: a dense float array, in
 * parallel; {@link EntryOperator}: any matrix's stored entries, in the caller's order).
 */
public abstract class CentredOperator implements RandomizedSvd.Operator {
    final int n;
    final int g;
    final double[] mean;

    /**
     * @param n    rows
     * @param g    columns
     * @param mean per-column means to subtract implicitly (length g), or {@code null} for the matrix as it is
     */
    CentredOperator(int n, int g, double[] mean) {
        this.n = n;
        this.g = g;
        this.mean = mean;
    }

    @Override
    public final int rows() {
        return n;
    }

    @Override
    public final int cols() {
        return g;
    }

    @Override
    public final void times(double[] in, int l, double[] out) {
        if (mean == null) {
            Arrays.fill(out, 0, n * l, 0);
        } else {
            double[] shift = DenseOperator.meanTimes(mean, in, l);
            for (int r = 0; r < n; r++) {
                for (int t = 0; t < l; t++) {
                    out[r * l + t] = -shift[t];
                }
            }
        }
        addTimes(in, l, out);
    }

    @Override
    public final void transposeTimes(double[] y, int l, double[] out) {
        if (mean == null) {
            Arrays.fill(out, 0, g * l, 0);
        } else {
            double[] colSum = DenseOperator.columnSums(y, n, l);
            for (int j = 0; j < g; j++) {
                for (int t = 0; t < l; t++) {
                    out[j * l + t] = -mean[j] * colSum[t];
                }
            }
        }
        addTransposeTimes(y, l, out);
    }

    /** out (rows × l) += X·in for in (cols × l), all row-major. */
    abstract void addTimes(double[] in, int l, double[] out);

    /** out (cols × l) += Xᵀ·y for y (rows × l), all row-major. */
    abstract void addTransposeTimes(double[] y, int l, double[] out);
}
