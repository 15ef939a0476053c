package io.scgrn.models;

import io.scgrn.models.numerics.Sampling;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Puts a prepared matrix's genes and cells in an order that depends only on their names and values, so that the
 * same data in another row or column order gives the same network.
 *
 * <p>Why: models draw their random streams by position (the learned term's initialisation and mini-batches,
 * k-means++ starts of the within-state states, the decoys' permutations). Without a canonical order a file whose
 * cells are sorted differently (by barcode, by cluster, after a merge) gives a network as different as another
 * {@code --seed} does (docs/benchmarks.md, "GRN accuracy: round 12, invariance and robustness"); with it the
 * contract is "same seed + same data → same network", whatever the order in the file.
 *
 * <p>Genes are sorted by name (ordinal {@code String} order). Cells are sorted by a 64-bit hash of their values in
 * that gene order, so a cell's place does not depend on its barcode (renamed or suffixed barcodes give the same
 * network) and the order carries no cell type or batch structure of the file (a file sorted by cluster no longer
 * hands models cluster-sorted rows). Equal names or equal rows keep their file order; cells with equal rows are
 * interchangeable, so only genes with duplicate names can still depend on the file's order.
 */
public final class CanonicalOrder {
    private CanonicalOrder() {
    }

    /**
     * @param data cells × genes
     * @return {@code data} itself when already in canonical order, otherwise a reordered copy (same names and values)
     */
    public static ExpressionMatrix of(ExpressionMatrix data) {
        int nc = data.nCells();
        int ng = data.nGenes();
        List<String> genes = data.genes();
        Integer[] go = geneOrder(genes);
        Integer[] co = cellOrder(data, go);
        float[] v = data.values();
        if (identity(go) && identity(co)) {
            return data;
        }
        float[] out = new float[v.length];
        String[] cellNames = new String[nc];
        String[] geneNames = new String[ng];
        for (int k = 0; k < ng; k++) {
            geneNames[k] = genes.get(go[k]);
        }
        for (int i = 0; i < nc; i++) {
            int src = co[i] * ng;
            int dst = i * ng;
            for (int k = 0; k < ng; k++) {
                out[dst + k] = v[src + go[k]];
            }
            cellNames[i] = data.cells().get(co[i]);
        }
        return new ExpressionMatrix(out, Arrays.asList(cellNames), Arrays.asList(geneNames));
    }

    /**
     * The canonical order of the cells alone (genes stay where they are): position i of the result is the cell of
     * {@code data} that {@link #of} would put at row i. For callers whose outputs are per cell in the file's order
     * (they run in this order and map back).
     */
    public static int[] cellOrder(ExpressionMatrix data) {
        Integer[] co = cellOrder(data, geneOrder(data.genes()));
        int[] out = new int[co.length];
        for (int i = 0; i < co.length; i++) {
            out[i] = co[i];
        }
        return out;
    }

    private static Integer[] geneOrder(List<String> genes) {
        Integer[] go = new Integer[genes.size()];
        for (int g = 0; g < go.length; g++) {
            go[g] = g;
        }
        Arrays.sort(go, Comparator.comparing(genes::get)); // stable: equal names keep their order
        return go;
    }

    /** Cells sorted by a hash of their values read in the gene order {@code go}; equal rows keep their order. */
    private static Integer[] cellOrder(ExpressionMatrix data, Integer[] go) {
        int nc = data.nCells();
        int ng = data.nGenes();
        float[] v = data.values();
        long[] hash = new long[nc];
        for (int c = 0; c < nc; c++) {
            long h = 0x6A09E667F3BCC909L;
            int row = c * ng;
            for (int k = 0; k < ng; k++) {
                float x = v[row + go[k]];
                h = (h ^ Float.floatToIntBits(x == 0f ? 0f : x)) * 0x9E3779B97F4A7C15L; // −0 and +0 alike
                h ^= h >>> 29;
            }
            hash[c] = Sampling.mix(h);
        }
        Integer[] co = new Integer[nc];
        for (int c = 0; c < nc; c++) {
            co[c] = c;
        }
        Arrays.sort(co, (a, b) -> Long.compare(hash[a], hash[b]));
        return co;
    }

    private static boolean identity(Integer[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }
}
