package io.scgrn.models.baseline;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/** Checks shared by the baselines: enough cells, TFs present, finite values, known parameters. */
final class ModelInputs {
    private ModelInputs() {
    }

    /**
     * Column indices of the TFs present in {@code data}, in data order, without duplicates.
     *
     * @throws ModelException when there are fewer than 2 cells or genes, no TF is present, or a value is NaN/Inf
     */
    static int[] tfIndices(ExpressionMatrix data, List<String> tfs) {
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

    /** Rejects parameter names not in {@code known}. */
    static void checkParams(String model, Map<String, String> params, List<String> known) {
        for (String k : params.keySet()) {
            if (!known.contains(k)) {
                throw new ModelException(k, "unknown parameter for model " + model + "; known: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
    }

    static int intParam(Map<String, String> params, String name, int dflt, int min, int max) {
        String v = params.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new ModelException(name, "must be in " + min + ".." + max + ", got " + i);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new ModelException(name, "not an integer: '" + v + "'");
        }
    }

    static double doubleParam(Map<String, String> params, String name, double dflt, double min, double max) {
        String v = params.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= min && d <= max)) {
                throw new ModelException(name, "must be in " + min + ".." + max + ", got " + d);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ModelException(name, "not a number: '" + v + "'");
        }
    }

    static void checkCancelled(Progress p) {
        if (p.cancelled()) {
            throw new CancellationException("cancelled");
        }
    }

    /** Gene-major copy: {@code out[g][c]}, as doubles. */
    static double[][] columns(ExpressionMatrix data) {
        int n = data.nCells();
        int g = data.nGenes();
        double[][] out = new double[g][n];
        float[] v = data.values();
        for (int c = 0; c < n; c++) {
            int base = c * g;
            for (int j = 0; j < g; j++) {
                out[j][c] = v[base + j];
            }
        }
        return out;
    }
}
