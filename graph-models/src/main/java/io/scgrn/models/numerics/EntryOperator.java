package io.scgrn.models.numerics;

/**
 * A rows × cols matrix given by its stored entries, in whatever storage the caller holds them (sparse, dense, a
 * transformed view), as a {@link RandomizedSvd.Operator}, optionally centred by column means without materialising
 * X − 1μᵀ: each product costs O(nnz · l), so a sparse matrix is never densified. Sequential, in the caller's order
 * of entries, so a given seed gives the same result byte for byte. For a dense float array {@link DenseOperator}
 * does the same in parallel (for a row-major visit of the same values, with the same sums in the same order).
 */
public final class EntryOperator extends CentredOperator {
    /** Receives one stored entry. */
    @FunctionalInterface
    public interface Visitor {
        void accept(int row, int col, double value);
    }

    /** Visits every stored entry of the matrix once, the same entries in the same order on every call. */
    @FunctionalInterface
    public interface Entries {
        void forEach(Visitor v);
    }

    private final Entries entries;

    /**
     * @param n       rows
     * @param g       columns
     * @param mean    per-column means to subtract implicitly (length g), or {@code null} for the matrix as it is
     * @param entries the stored entries
     */
    public EntryOperator(int n, int g, double[] mean, Entries entries) {
        super(n, g, mean);
        this.entries = entries;
    }

    @Override
    void addTimes(double[] in, int l, double[] out) {
        entries.forEach((r, c, v) -> {
            for (int t = 0; t < l; t++) {
                out[r * l + t] += v * in[c * l + t];
            }
        });
    }

    @Override
    void addTransposeTimes(double[] y, int l, double[] out) {
        entries.forEach((r, c, v) -> {
            for (int t = 0; t < l; t++) {
                out[c * l + t] += v * y[r * l + t];
            }
        });
    }
}
