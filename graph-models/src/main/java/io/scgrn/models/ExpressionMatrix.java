package io.scgrn.models;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Expression values ready for a model: cells × genes, dense, row-major ({@code values[cell * nGenes + gene]}).
 * Produced by the preparation step (normalised, log1p, gene-selected) from an AnnData.
 *
 * @param values row-major, length nCells*nGenes
 * @param cells  cell names (obs_names), length nCells
 * @param genes  gene names (var_names), length nGenes
 */
public record ExpressionMatrix(float[] values, List<String> cells, List<String> genes) {
    public ExpressionMatrix {
        cells = List.copyOf(cells);
        genes = List.copyOf(genes);
        if ((long) cells.size() * genes.size() != values.length) {
            throw new IllegalArgumentException("values has " + values.length + " entries for " + cells.size()
                    + " cells x " + genes.size() + " genes");
        }
    }

    public int nCells() {
        return cells.size();
    }

    public int nGenes() {
        return genes.size();
    }

    public float get(int cell, int gene) {
        return values[cell * genes.size() + gene];
    }

    /** Column {@code gene} as a new array of length nCells. */
    public float[] geneColumn(int gene) {
        int n = nCells();
        int g = nGenes();
        float[] out = new float[n];
        for (int c = 0; c < n; c++) {
            out[c] = values[c * g + gene];
        }
        return out;
    }

    /**
     * The same cells with the columns in {@code order}, which must name each of this matrix's genes once (this
     * matrix itself when the order is already its own).
     */
    public ExpressionMatrix withGeneOrder(List<String> order) {
        if (order.equals(genes)) {
            return this;
        }
        int g = nGenes();
        Map<String, Integer> at = new HashMap<>(2 * g);
        for (int j = 0; j < g; j++) {
            at.put(genes.get(j), j);
        }
        if (order.size() != g || at.size() != g) {
            throw new IllegalArgumentException("gene order of " + order.size() + " names for " + g + " genes");
        }
        int[] src = new int[g];
        for (int j = 0; j < g; j++) {
            Integer k = at.get(order.get(j));
            if (k == null) {
                throw new IllegalArgumentException("gene " + order.get(j) + " is not in the matrix");
            }
            src[j] = k;
        }
        int n = nCells();
        float[] out = new float[values.length];
        for (int c = 0; c < n; c++) {
            int row = c * g;
            for (int j = 0; j < g; j++) {
                out[row + j] = values[row + src[j]];
            }
        }
        return new ExpressionMatrix(out, cells, order);
    }
}
