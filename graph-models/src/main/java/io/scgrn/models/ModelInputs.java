package io.scgrn.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/** Input checks shared by every model: enough cells and genes, finite values, TFs present; cancellation. */
public final class ModelInputs {
    private ModelInputs() {
    }

    /**
     * Column indices of the TFs present in {@code data}, in data order, without duplicates.
     *
     * @throws ModelException when there are fewer than 2 cells or genes, no TF is present, or a value is NaN/Inf
     */
    public static int[] tfIndices(ExpressionMatrix data, List<String> tfs) {
        if (data.nCells() < 2) {
            throw new ModelException("cells", "need at least 2 cells, got " + data.nCells());
        }
        if (data.nGenes() < 2) {
            throw new ModelException("genes", "need at least 2 genes, got " + data.nGenes());
        }
        float[] v = data.values();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                int g = i % data.nGenes();
                throw new ModelException("X", "value " + v[i] + " at cell " + data.cells().get(i / data.nGenes())
                        + ", gene " + data.genes().get(g) + " is not finite");
            }
        }
        Map<String, Integer> index = new HashMap<>();
        for (int g = 0; g < data.nGenes(); g++) {
            index.putIfAbsent(data.genes().get(g), g);
        }
        boolean[] seen = new boolean[data.nGenes()];
        for (String tf : tfs) {
            Integer g = index.get(tf);
            if (g != null) {
                seen[g] = true;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int g = 0; g < seen.length; g++) {
            if (seen[g]) {
                out.add(g);
            }
        }
        if (out.isEmpty()) {
            throw new ModelException("tfs", "none of the " + tfs.size() + " candidate regulators is among the "
                    + data.nGenes() + " genes (genes start " + String.join(", ",
                    data.genes().subList(0, Math.min(5, data.nGenes()))) + "; TFs start "
                    + String.join(", ", tfs.subList(0, Math.min(5, tfs.size()))) + ")");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    public static void checkCancelled(Progress p) {
        if (p.cancelled()) {
            throw new CancellationException("cancelled");
        }
    }
}
