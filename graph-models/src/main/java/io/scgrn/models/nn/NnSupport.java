package io.scgrn.models.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.Ranks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/** Helpers shared by the nn models: device choice, input checks, standardisation, ranking. */
final class NnSupport {
    private NnSupport() {
    }

    /** Resolves {@code auto|cpu|gpu} with the engine's GPU count; asking for a missing GPU is an error. */
    static Device device(String name) {
        String d = name == null ? "auto" : name.trim().toLowerCase(java.util.Locale.ROOT);
        int gpus = Engine.getInstance().getGpuCount();
        return switch (d) {
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new ModelException("device", "gpu requested but the engine sees no GPU");
                }
                yield Device.gpu();
            }
            default -> throw new ModelException("device", "'" + name + "' is not one of auto, cpu, gpu");
        };
    }

    /** Seeds the engine; DJL takes an int, so the long seed is folded. */
    static void seedEngine(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    static void checkCancelled(Progress progress) {
        if (progress.cancelled()) {
            throw new CancellationException("cancelled");
        }
    }

    /**
     * Indices (into data's genes) of the TFs present, in the data's gene order, deduplicated. Fewer than one TF
     * or fewer than two cells is a {@link ModelException}.
     */
    static int[] tfIndices(ExpressionMatrix data, List<String> tfs) {
        if (data.nCells() < 2) {
            throw new ModelException("cells", "need at least 2 cells, got " + data.nCells());
        }
        if (data.nGenes() < 2) {
            throw new ModelException("genes", "need at least 2 genes, got " + data.nGenes());
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < data.nGenes(); i++) {
            index.putIfAbsent(data.genes().get(i), i);
        }
        boolean[] isTf = new boolean[data.nGenes()];
        for (String tf : tfs) {
            Integer i = index.get(tf);
            if (i != null) {
                isTf[i] = true;
            }
        }
        int[] out = new int[data.nGenes()];
        int n = 0;
        for (int i = 0; i < isTf.length; i++) {
            if (isTf[i]) {
                out[n++] = i;
            }
        }
        if (n == 0) {
            throw new ModelException("tfs", "none of the " + tfs.size() + " candidate regulators is among the "
                    + data.nGenes() + " genes");
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Z-scores every gene over cells (population sd); constant genes become all zero. NaN or infinite values are
     * a {@link ModelException} rather than silently poisoning every score.
     *
     * @return row-major cells × genes
     */
    static float[] standardise(ExpressionMatrix data) {
        int n = data.nCells();
        int g = data.nGenes();
        float[] x = data.values();
        double[] mean = new double[g];
        double[] sq = new double[g];
        for (int c = 0; c < n; c++) {
            int off = c * g;
            for (int j = 0; j < g; j++) {
                float v = x[off + j];
                if (!Float.isFinite(v)) {
                    throw new ModelException("X", "non-finite value " + v + " at cell '" + data.cells().get(c)
                            + "', gene '" + data.genes().get(j) + "'");
                }
                mean[j] += v;
            }
        }
        for (int j = 0; j < g; j++) {
            mean[j] /= n;
        }
        for (int c = 0; c < n; c++) {
            int off = c * g;
            for (int j = 0; j < g; j++) {
                double d = x[off + j] - mean[j];
                sq[j] += d * d;
            }
        }
        double[] inv = new double[g];
        for (int j = 0; j < g; j++) {
            double sd = Math.sqrt(sq[j] / n);
            inv[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? 1 / sd : 0;
        }
        float[] out = new float[x.length];
        for (int c = 0; c < n; c++) {
            int off = c * g;
            for (int j = 0; j < g; j++) {
                out[off + j] = (float) ((x[off + j] - mean[j]) * inv[j]);
            }
        }
        return out;
    }

    /**
     * Replaces every gene's values by their ranks over cells (ties get the mean rank), then z-scores them: the
     * input of Spearman correlation, robust to the heavy tails and dropouts of single-cell data.
     */
    static float[] rankStandardise(ExpressionMatrix data) {
        int n = data.nCells();
        int g = data.nGenes();
        float[] ranked = new float[n * g];
        long[] keys = new long[n];
        float[] r = new float[n];
        for (int j = 0; j < g; j++) {
            for (int c = 0; c < n; c++) {
                float v = data.values()[c * g + j];
                if (!Float.isFinite(v)) {
                    throw new ModelException("X", "non-finite value " + v + " at cell '" + data.cells().get(c)
                            + "', gene '" + data.genes().get(j) + "'");
                }
            }
            Ranks.averageRanks(data.values(), j, g, n, keys, r);
            for (int c = 0; c < n; c++) {
                ranked[c * g + j] = r[c];
            }
        }
        return standardise(new ExpressionMatrix(ranked, data.cells(), data.genes()));
    }

    /**
     * Builds the ranked network from dense TF × gene matrices (row t is TF {@code tfIdx[t]}); self-loops skipped.
     *
     * @param score     nTf × nGenes, higher is better (non-negative)
     * @param sign      nTf × nGenes signed evidence whose sign becomes the edge sign, or null for 0
     * @param stability nTf × nGenes in 0..1, or null for NaN
     */
    static Network network(List<String> genes, int[] tfIdx, float[] score, float[] sign, float[] stability) {
        int g = genes.size();
        List<Edge> edges = new ArrayList<>(tfIdx.length * (g - 1));
        for (int t = 0; t < tfIdx.length; t++) {
            String tf = genes.get(tfIdx[t]);
            for (int j = 0; j < g; j++) {
                if (j == tfIdx[t]) {
                    continue;
                }
                int k = t * g + j;
                int s = sign == null ? 0 : (int) Math.signum(sign[k]);
                double st = stability == null ? Double.NaN : stability[k];
                edges.add(new Edge(tf, genes.get(j), score[k], s, st));
            }
        }
        return new Network(edges);
    }

    /**
     * Ranks of {@code v}'s values scaled to (0, 1], ties sharing their mean rank; skipped positions (self-loops,
     * marked in {@code skip}) get 0. Used to average evidence measured on different scales.
     */
    static float[] rankScale(float[] v, boolean[] skip) {
        int n = v.length;
        float[] out = Ranks.averageRanks(v);
        for (int q = 0; q < n; q++) {
            out[q] /= n;
        }
        if (skip != null) {
            for (int q = 0; q < n; q++) {
                if (skip[q]) {
                    out[q] = 0;
                }
            }
        }
        return out;
    }

    /** Mask of self-loop positions in a TF × gene matrix. */
    static boolean[] selfLoops(int[] tfIdx, int nGenes) {
        boolean[] m = new boolean[tfIdx.length * nGenes];
        for (int t = 0; t < tfIdx.length; t++) {
            m[t * nGenes + tfIdx[t]] = true;
        }
        return m;
    }
}
