package io.scgrn.models.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.Ranks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/** Helpers shared by the nn models: device choice, input checks, standardisation, ranking. */
final class NnSupport {
    private NnSupport() {
    }

    /** Resolves {@code auto|cpu|gpu} with the engine's GPU count; asking for a missing GPU is an error. */
    static Device device(String name) {
        String d = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
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

    /**
     * Guards the engine's process-global state: its default random generator (PyTorch's {@code manual_seed} is
     * per process) and DJL's {@code PtGradientCollector}, of which only one may be collecting at a time in the
     * whole process. Every seeded draw and every forward/backward pass of the nn models holds it, so concurrent
     * runs (server jobs) interleave step by step instead of failing or consuming each other's random numbers.
     */
    private static final ReentrantLock ENGINE = new ReentrantLock();
    /** Loss is read back from the device every this many epochs (and at the last), for progress and divergence. */
    static final int REPORT_EVERY = 10;

    /** Seeds the engine; DJL takes an int, so the long seed is folded. Callers hold {@link #ENGINE}. */
    static void seedEngine(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /**
     * Runs engine random draws (initializers, noise) right after seeding the engine with {@code seed}, under the
     * engine lock: the draws depend on {@code seed} only, not on what other runs in the process drew.
     */
    static void withEngineSeed(long seed, Runnable draws) {
        ENGINE.lock();
        try {
            seedEngine(seed);
            draws.run();
        } finally {
            ENGINE.unlock();
        }
    }

    /**
     * A 0-d constant {@code value} with {@code like}'s data type, on its device, in memory the engine owns.
     *
     * <p>Why not {@code x.mul(0.5f)}: DJL's NDArray-and-Number operations wrap the number in a tensor over a Java
     * direct buffer and close it right after the operation, which releases the buffer to the garbage collector.
     * Autograd keeps that tensor for the backward pass of mul, div, maximum …, so a collection between forward and
     * backward frees memory the backward pass then reads: wrong gradients, NaN losses, networks that differ from
     * run to run (found with concurrent runs and reproduced by calling {@code System.gc()} during training). Inside
     * the autograd graph, scale by these constants instead. Add and subtract do not keep their operand and may
     * take numbers.
     */
    static NDArray constant(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }

    /** A trainer for {@code model}'s block: DJL's Adam at a fixed learning rate, on the model's device. */
    static Trainer newTrainer(Model model, Loss loss, double lr) {
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) lr)).build();
        return model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adam)
                .optDevices(new Device[] {model.getNDManager().getDevice()}));
    }

    /** Inputs and labels of one training step, built on the device (inside the step's scope). */
    interface StepData {
        /** @return {inputs, labels} for step {@code step} (0-based) */
        NDList[] get(int step);
    }

    /**
     * The training loop of the nn models: per step, forward, loss and backward in a scope that frees the step's
     * temporaries, then the trainer's update (Adam). The loss stays on the device and is read back only when
     * {@link #reportDue} (progress and the divergence check); nothing else leaves the device.
     *
     * @param seed   when not null, the engine is re-seeded with a function of (seed, step) before each forward
     *               pass, so that random draws in it (noise) depend on the seed alone
     * @param offset progress counts steps from {@code offset + 1} of {@code total}
     */
    static void fit(Trainer trainer, int steps, StepData data, Long seed, Progress progress, int offset, int total) {
        for (int step = 0; step < steps; step++) {
            ModelInputs.checkCancelled(progress);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDList[] io = data.get(step);
                NDArray loss = backward(trainer, io[0], io[1], seed == null ? null : stepSeed(seed, step));
                if (reportDue(step + 1, steps)) {
                    report(loss, offset + step + 1, total, progress);
                }
            }
            // Outside the scope: DJL's Adam creates its moment buffers in the first update, and they must
            // outlive the step.
            trainer.step();
        }
    }

    /**
     * The engine seed of step {@code step} of a run seeded with {@code seed}: SplitMix64's finaliser of
     * (seed, step), so that the seeds of consecutive steps (and runs) share no structure.
     */
    static long stepSeed(long seed, int step) {
        long z = seed * 0x9E3779B97F4A7C15L + (step + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Forward, loss and backward under the engine lock ({@link #ENGINE}), re-seeding the engine first when
     * {@code seed} is not null.
     *
     * @return the loss, a scalar on the device
     */
    static NDArray backward(Trainer trainer, NDList inputs, NDList labels, Long seed) {
        ENGINE.lock();
        try {
            if (seed != null) {
                seedEngine(seed);
            }
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray loss = trainer.getLoss().evaluate(labels, trainer.forward(inputs));
                gc.backward(loss);
                return loss;
            }
        } finally {
            ENGINE.unlock();
        }
    }

    /** Whether epoch {@code epoch} (1-based) of {@code total} reports its loss. */
    static boolean reportDue(int epoch, int total) {
        return epoch % REPORT_EVERY == 0 || epoch == total;
    }

    /**
     * Reads the loss (one device → host copy), stops on divergence and reports progress.
     *
     * @throws ModelException naming {@code lr} when the loss is not finite
     */
    static void report(NDArray loss, int epoch, int total, Progress progress) {
        float value = loss.getFloat();
        if (!Float.isFinite(value)) {
            throw new ModelException("lr", "training diverged (loss " + value + " by step " + epoch
                    + "); lower lr");
        }
        progress.epoch(epoch, total, value);
    }

    /**
     * Z-scores every gene over cells (population sd); constant genes become all zero. NaN or infinite values are
     * a {@link ModelException} rather than silently poisoning every score.
     *
     * @return row-major cells × genes
     */
    static float[] standardise(ExpressionMatrix data) {
        return standardise(data, new float[data.values().length]);
    }

    /** {@link #standardise(ExpressionMatrix)} into {@code out}, which may be {@code data.values()} itself. */
    private static float[] standardise(ExpressionMatrix data, float[] out) {
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
        // in place: the ranks are not needed beside their z-scores (one cells × genes array instead of two)
        return standardise(new ExpressionMatrix(ranked, data.cells(), data.genes()), ranked);
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
        // The edges are handed to Network (which sorts them by score, then names) already in descending score
        // order, ties in (TF, gene) position order, from one primitive sort: its stable sort then only reorders
        // tied scores by name, and the network is the one the position order gives (equal edges keep that order).
        long[] keys = new long[tfIdx.length * (g - 1)];
        int n = 0;
        for (int t = 0; t < tfIdx.length; t++) {
            for (int j = 0; j < g; j++) {
                if (j != tfIdx[t]) {
                    int k = t * g + j;
                    // Float.compare order of −score as a signed int, then the position
                    int bits = Float.floatToIntBits(-score[k]);
                    bits ^= (bits >> 31) & 0x7fffffff;
                    keys[n++] = (long) bits << 32 | k;
                }
            }
        }
        Arrays.sort(keys, 0, n);
        List<Edge> edges = new ArrayList<>(n);
        for (int q = 0; q < n; q++) {
            int k = (int) keys[q];
            int s = sign == null ? 0 : (int) Math.signum(sign[k]);
            double st = stability == null ? Double.NaN : stability[k];
            edges.add(new Edge(genes.get(tfIdx[k / g]), genes.get(k % g), score[k], s, st));
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

    /**
     * The inverse of {@link #network}: a network's edges placed by (TF, target) name into TF × gene matrices (row t
     * is TF {@code tfIdx[t]}); pairs without an edge stay as they are. Every edge must name a listed TF and gene.
     *
     * @param score nTf × nGenes, receives the edge scores
     * @param sign  nTf × nGenes, receives the edge signs, or null
     */
    static void place(Network net, List<String> genes, int[] tfIdx, float[] score, float[] sign) {
        int g = genes.size();
        Map<String, Integer> gi = new HashMap<>();
        for (int j = 0; j < g; j++) {
            gi.putIfAbsent(genes.get(j), j);
        }
        Map<Integer, Integer> row = new HashMap<>();
        for (int t = 0; t < tfIdx.length; t++) {
            row.put(tfIdx[t], t);
        }
        for (Edge e : net.edges()) {
            int k = row.get(gi.get(e.tf())) * g + gi.get(e.target());
            score[k] = (float) e.score();
            if (sign != null) {
                sign[k] = e.sign();
            }
        }
    }
}
