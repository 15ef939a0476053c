package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.atac.CellStates;
import io.scgrn.models.numerics.KMeans;

/**
 * Expression within cell states, for crowd's within-state terms: the cells are clustered into {@code k} states
 * without labels ({@link CellStates#rnaStates}: k-means on the first {@link #DIMS} principal components of the
 * standardised log expression, the multiome's cell-state code on RNA alone) and each gene is centred on its state's
 * mean ({@link CellStates#residual}). Across cell types a TF and a gene correlate because both mark a type (an
 * indirect association); what is left within the states is the cell-to-cell co-variation that regulation
 * propagates (in SERGIO's stochastic equations, for example), which the partial correlation then sees without the
 * type confounding.
 */
final class WithinStates {
    /** Principal components of the state clustering: the multiome default ({@code AtacSettings} dims). */
    static final int DIMS = 30;

    private WithinStates() {
    }

    /**
     * The cell states of {@code data}; {@link #residual()} centres the data within them when asked (crowd's gate asks
     * only where it opens, so a closed gate never copies the matrix).
     */
    record Result(int[] state, ExpressionMatrix data) {
        /** The data with each gene centred on its state's mean (a new matrix). */
        ExpressionMatrix residual() {
            float[] r = CellStates.residual(data.values().clone(), data.nCells(), data.nGenes(), state);
            return new ExpressionMatrix(r, data.cells(), data.genes());
        }
    }

    /**
     * @param data cells × genes log expression
     * @param k    states (clamped to the cells)
     * @param seed seed of the PCA and of k-means
     */
    static Result of(ExpressionMatrix data, int k, long seed) {
        return of(data, k, seed, 1);
    }

    /**
     * @param starts k-means++ starts, the lowest-inertia clustering kept ({@link CellStates#rnaStates}); 1 = {@link
     *               #of(ExpressionMatrix, int, long)}
     */
    static Result of(ExpressionMatrix data, int k, long seed, int starts) {
        int n = data.nCells();
        int g = data.nGenes();
        return new Result(CellStates.rnaStates(data.values(), n, g, k, DIMS, seed, starts), data);
    }

    /**
     * States found outside the expression ({@link io.scgrn.models.InferenceOptions#cellStates}) for the cells of
     * {@code cells}, a sample of {@code n} cells drawn by {@link CrowdModel#sampleRows} as
     * {@link CrowdModel#cellSample} draws it (all of them when {@code n ≤ max}).
     *
     * @param states state (0..k−1) of each of the {@code n} cells
     * @throws ModelException when there is not one state per cell
     */
    static Result given(ExpressionMatrix cells, int[] states, int n, int max, long seed) {
        if (states.length != n) {
            throw new ModelException("cell-states", states.length + " cell states for " + n
                    + " cells");
        }
        int[] rows = CrowdModel.sampleRows(n, max, seed);
        if (rows == null) {
            return new Result(states, cells);
        }
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = states[rows[i]];
        }
        return new Result(out, cells);
    }

    /**
     * Mean over the regulators of the share of each one's variance that lies between the states, 1 − (within-state
     * sum of squares / total sum of squares) — how strongly cell states (types) structure the regulators' expression;
     * a constant regulator counts 0.
     *
     * @param x     cells × genes, row-major
     * @param state state of each cell
     * @param tfIdx regulator columns
     */
    static double betweenShare(float[] x, int n, int g, int[] state, int[] tfIdx) {
        double total = 0;
        for (double v : regulatorShares(x, n, g, state, tfIdx)) {
            total += v;
        }
        return tfIdx.length == 0 ? 0 : total / tfIdx.length;
    }

    /**
     * Each regulator's own between-state share of variance, 1 − (within-state SS / total SS), in the order of
     * {@code tfIdx}; a constant regulator counts 0 (crowd's {@code within-rows=on}: the within-state term only in the
     * rows of regulators whose variance lies mostly between the states).
     */
    static double[] regulatorShares(float[] x, int n, int g, int[] state, int[] tfIdx) {
        int k = KMeans.clusters(state);
        double[] out = new double[tfIdx.length];
        for (int q = 0; q < tfIdx.length; q++) {
            int t = tfIdx[q];
            double[] sum = new double[k];
            int[] cnt = new int[k];
            double all = 0;
            for (int c = 0; c < n; c++) {
                double v = x[c * g + t];
                sum[state[c]] += v;
                cnt[state[c]]++;
                all += v;
            }
            double mean = all / n;
            double ss = 0;
            double within = 0;
            for (int c = 0; c < n; c++) {
                double v = x[c * g + t];
                double d = v - mean;
                double e = v - sum[state[c]] / cnt[state[c]];
                ss += d * d;
                within += e * e;
            }
            out[q] = ss > 0 ? 1 - within / ss : 0;
        }
        return out;
    }
}
