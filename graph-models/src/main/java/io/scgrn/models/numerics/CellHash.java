package io.scgrn.models.numerics;

/**
 * Order-free 64-bit keys of cells: a cell's key is the sum (mod 2⁶⁴) of one hash per non-zero entry, each keyed by
 * the feature's name and the value, so it is the same whatever order the file stores the cells, the features or a
 * row's entries in. Used where cells are drawn or ordered before a model sees them (the streamed preparation's
 * sketch, the multiome pairing's cell order), so that the same data in another order gives the same network.
 */
public final class CellHash {
    private CellHash() {
    }

    /** A 64-bit hash of a feature (gene or peak) name ({@code String.hashCode}'s 32 bits collide too easily). */
    public static long nameKey(String name) {
        long h = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) {
            h = 31 * h + name.charAt(i);
        }
        return Sampling.mix(h);
    }

    /**
     * The hash of one entry, to be summed into its cell's key; zeros must not be added (a dense and a sparse copy of
     * the same cell then get the same key).
     *
     * @param nameKey {@link #nameKey} of the entry's feature
     * @param value   the entry's value (non-zero)
     */
    public static long entry(long nameKey, double value) {
        return Sampling.mix(nameKey ^ Double.doubleToLongBits(value));
    }
}
