package io.scgrn.models.sim;

import io.scgrn.models.ModelException;

/**
 * Settings of a {@link MultiomeSimulator} run.
 *
 * @param cells         number of cells
 * @param genes         number of genes, TFs included
 * @param peaks         number of peaks: promoters + enhancers + distractors (must hold the GRN's enhancers)
 * @param tfs           number of TFs (the first genes)
 * @param cellTypes     number of cell types, each with its own TF activities and chromatin
 * @param dropout       extra technical zero-inflation of RNA counts, 0..1
 * @param gatedFraction fraction of regulatory edges whose enhancer is open only in some cell types, 0..1
 * @param seed          random seed: the same config gives the same data, byte for byte
 * @param confounding   scale of the cell-type effects on expression (1 = default; 0 = cell types differ in
 *                      chromatin only; 2 = cell types dominate co-expression)
 */
public record SimulationConfig(int cells, int genes, int peaks, int tfs, int cellTypes, double dropout,
                               double gatedFraction, long seed, double confounding) {
    /** With the default cell-type confounding (1). */
    public SimulationConfig(int cells, int genes, int peaks, int tfs, int cellTypes, double dropout,
                            double gatedFraction, long seed) {
        this(cells, genes, peaks, tfs, cellTypes, dropout, gatedFraction, seed, 1.0);
    }

    public SimulationConfig {
        check(confounding >= 0 && confounding <= 10, "confounding", "must be in [0, 10]");
        check(cells >= 2, "cells", "must be at least 2");
        check(tfs >= 2, "tfs", "must be at least 2");
        check(genes > tfs, "genes", "must be more than the number of TFs (" + tfs + ")");
        check(peaks >= 1, "peaks", "must be positive");
        check(cellTypes >= 1, "cell-types", "must be at least 1");
        check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1)");
        check(gatedFraction >= 0 && gatedFraction <= 1, "gated-fraction", "must be in [0, 1]");
    }

    private static void check(boolean ok, String field, String msg) {
        if (!ok) {
            throw new ModelException(field, msg);
        }
    }

    /** A small default: 1,000 cells, 300 genes (30 TFs), 3,000 peaks, 4 cell types. */
    public static SimulationConfig defaults(long seed) {
        return new SimulationConfig(1000, 300, 3000, 30, 4, 0.1, 0.7, seed);
    }
}
