package io.scgrn.models.atac;

import io.scgrn.models.ExpressionMatrix;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The RNA model's expression averaged over each cell's nearest cells ({@code --atac-param rna-smooth=K}, off by
 * default; docs/benchmarks.md, "multiome: round 17"). A cell's RNA is a noisy count sample of its state; its ATAC
 * profile is an independent measurement of the same state. Averaging each cell's log expression with that of its
 * K nearest cells found in the ATAC LSI ({@link AtacSettings.RnaSmoothSpace#ATAC}) lowers the RNA's technical noise
 * without choosing neighbours by that same noise, as neighbours found in the RNA's own PCA do
 * ({@link AtacSettings.RnaSmoothSpace#RNA}, the analog kept for comparison). Plain Java arrays; no native memory.
 */
public final class RnaSmoothing {
    private RnaSmoothing() {
    }

    /**
     * Each paired cell's neighbourhood: itself first, then its {@code s.rnaSmooth()} nearest cells (Euclidean, ties by
     * index) in {@code s.rnaSmoothSpace()}; null when {@code s.rnaSmooth()} is 0 (off).
     *
     * @return cells × (min(cells, K + 1)) indices into {@code data}'s cells
     */
    public static int[][] neighbours(MultiomeData data, AtacSettings s) {
        if (s.rnaSmooth() == 0) {
            return null;
        }
        int n = data.nCells();
        double[] emb = switch (s.rnaSmoothSpace()) {
            case ATAC -> AtacTransforms.lsi(data.atac(), s.dims(), s.seed() + 1);
            case RNA -> Metacells.rnaPca(data.rna(), n, data.nGenes(), s.dims(), s.seed());
            case JOINT -> Metacells.jointEmbedding(data, s.dims(), s.rnaWeight(), s.seed());
        };
        return Metacells.knn(emb, n, emb.length / n, Math.min(n, s.rnaSmooth() + 1));
    }

    /**
     * {@code x} with each row replaced by the mean (in double, in neighbour order) of the rows of its cell's
     * neighbourhood. Cells are matched by name: a cell of {@code x} that is not among {@code cells} keeps its row,
     * and a neighbour that is not in {@code x} is left out of the mean. Every column is averaged, extra columns
     * (e.g. q-value decoys appended to the expression) included, so that they meet the same smoothing.
     *
     * @param x          cells × genes expression (not modified)
     * @param cells      the cells that {@code neighbours} index
     * @param neighbours each cell's neighbourhood ({@link #neighbours}), itself included
     * @return a new matrix with {@code x}'s cells and genes
     */
    public static ExpressionMatrix smooth(ExpressionMatrix x, List<String> cells, int[][] neighbours) {
        if (neighbours.length != cells.size()) {
            throw new IllegalArgumentException(neighbours.length + " neighbourhoods for " + cells.size() + " cells");
        }
        int n = x.nCells();
        int g = x.nGenes();
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < n; i++) {
            row.putIfAbsent(x.cells().get(i), i);
        }
        Map<String, Integer> paired = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            paired.putIfAbsent(cells.get(i), i);
        }
        float[] v = x.values();
        float[] out = v.clone();
        double[] acc = new double[g];
        for (int c = 0; c < n; c++) {
            Integer p = paired.get(x.cells().get(c));
            if (p == null) {
                continue;
            }
            java.util.Arrays.fill(acc, 0);
            int used = 0;
            for (int o : neighbours[p]) {
                Integer r = row.get(cells.get(o));
                if (r == null) {
                    continue;
                }
                used++;
                int off = r * g;
                for (int j = 0; j < g; j++) {
                    acc[j] += v[off + j];
                }
            }
            if (used == 0) {
                continue;
            }
            for (int j = 0; j < g; j++) {
                out[c * g + j] = (float) (acc[j] / used);
            }
        }
        return new ExpressionMatrix(out, x.cells(), x.genes());
    }
}
