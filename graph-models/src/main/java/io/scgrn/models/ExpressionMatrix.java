package io.scgrn.models;

import java.util.List;

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
}
