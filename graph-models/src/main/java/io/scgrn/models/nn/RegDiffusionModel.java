package io.scgrn.models.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.ModelParams;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;

import io.scgrn.models.numerics.EngineThreads;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code regdiff}: a diffusion-based self-supervised model after RegDiffusion (Zhu &amp; Slonim, "From noise to
 * knowledge: probabilistic diffusion-based neural inference", 2024), built from DJL blocks
 * ({@link RegDiffusionNetwork}).
 *
 * <p>Data: per cell, min-max scaled to [0, 1]; then every gene z-scored over cells (RegDiffusion's normalisation;
 * a cell with one value everywhere becomes 0, a constant gene 0). Training, per step: a bootstrap mini-batch of
 * {@code batch} cells x0, diffusion steps t uniform in [0, T), noise ε ~ N(0, 1),
 * {@code xt = sqrt(ᾱ_t) x0 + sqrt(1 - ᾱ_t) ε} with a linear β schedule from {@code 1000/T × 1e-4} to
 * {@code 1000/T × 0.02}; the network predicts ε from (xt, t); loss = mean squared error + {@code sparse} ×
 * mean(soft-thresholded A). Optimiser: DJL's Adam (β = 0.9, 0.99) in two groups ({@link GroupedOptimizer}):
 * the adjacency with {@code lr-adj} and weight decay {@code wd-adj}, the rest with {@code lr} and {@code wd}.
 * RegDiffusion trains 1000 steps at lr 0.001 and lr-adj 1 / (50 (g - 1)); the defaults here are RegDiffusion's
 * (1000 steps; 0 = automatic rates, those rates × 1000 / steps for another step count).
 *
 * <p>Read-out: edge score = mean over the ensemble of |A[tf, target]| × (g - 1) (the unthresholded weight in units
 * of RegDiffusion's "regulation norm"; thresholding only adds ties), sign = sign of the mean A. Rows of A are all
 * genes ({@code rows=all}, default: RegDiffusion's g × g, read out on the TF rows) or the TFs only
 * ({@code rows=tfs}: edges leave TFs only; 2–4× cheaper, but far below RegDiffusion on mDC, docs/benchmarks.md
 * "regdiff on mDC").
 *
 * <p>Parameters: {@code steps} (default {@value #STEPS}), {@code batch} (128), {@code T} (5000), {@code lr}
 * (0 = 1 / steps), {@code lr-adj} (0 = 20 / (steps (g - 1))), {@code wd} (0.1), {@code wd-adj} (0.01),
 * {@code sparse} (0.25), {@code adj-dropout} (0.3), {@code init} (5: A starts at init / (g - 1)), {@code dim}
 * (16), {@code time-dim} (64), {@code rows} (all|tfs), {@code ensemble} (1), {@code da} (0: share of each
 * batch's values moved to their gene's dropout level before noising, DAZZLE's dropout augmentation, Zhu &amp;
 * Slonim 2025), {@code nn-init} (torch: the linear layers start as PyTorch's nn.Linear, as in RegDiffusion;
 * djl: DJL's defaults, N(0, 2 / fan_in) weights and zero biases, the model before round 7c).
 *
 * <p>Everything stays on the device: the expression is uploaded once; batch rows, t and noise are drawn there
 * from the engine's generator seeded from (seed, step) under the engine lock; the loss is read back every
 * {@link NnSupport#REPORT_EVERY} steps for the progress bar. On CPU with one intra-op thread
 * ({@code -Dai.djl.pytorch.num_threads=1}) a seed gives the same network byte for byte.
 */
public final class RegDiffusionModel implements GrnModel {
    /** The {@code --model} name. */
    public static final String NAME = "regdiff";
    static final Set<String> PARAMS = Set.of("steps", "batch", "T", "lr", "lr-adj", "wd", "wd-adj", "sparse",
            "adj-dropout", "init", "dim", "time-dim", "rows", "ensemble", "da", "nn-init");
    /** Default optimiser steps per run (RegDiffusion's). */
    static final int STEPS = 1000;
    /** Salt of the per-step seeds of the data draws (rows, t, noise), apart from the forward pass's. */
    private static final long DRAWS = 0x5EED_D1FFL;
    /** Salt of the per-step seeds of the dropout-augmentation masks. */
    private static final long AUGMENT = 0xDA22_1E00L;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void checkParams(Map<String, String> params) {
        Hyper.of(params);
    }

    /** Hyper-parameters after validation. */
    record Hyper(int steps, int batch, int bigT, double lr, double lrAdj, double wd, double wdAdj, double sparse,
                 double adjDropout, double init, int dim, int timeDim, boolean allRows, int ensemble,
                 double dropoutAugmentation, boolean torchInit) {
        static Hyper of(Map<String, String> params) {
            ModelParams p = new ModelParams(params, PARAMS);
            String rows = p.string("rows", "all");
            if (!rows.equals("tfs") && !rows.equals("all")) {
                throw new ModelException("rows", "'" + rows + "' is not one of tfs, all");
            }
            String nnInit = p.string("nn-init", "torch");
            if (!nnInit.equals("djl") && !nnInit.equals("torch")) {
                throw new ModelException("nn-init", "'" + nnInit + "' is not one of djl, torch");
            }
            return new Hyper(p.intValue("steps", STEPS, 1, 1_000_000), p.intValue("batch", 128, 1, 1 << 20),
                    p.intValue("T", 5000, 2, 1_000_000), p.doubleValue("lr", 0, 0, 10),
                    p.doubleValue("lr-adj", 0, 0, 10), p.doubleValue("wd", 0.1, 0, 100),
                    p.doubleValue("wd-adj", 0.01, 0, 100), p.doubleValue("sparse", 0.25, 0, 1000),
                    p.doubleValue("adj-dropout", 0.3, 0, 0.95), p.doubleValue("init", 5, 0, 1000),
                    p.intValue("dim", 16, 2, 1024), p.intValue("time-dim", 64, 4, 4096), rows.equals("all"),
                    p.intValue("ensemble", 1, 1, 100), p.doubleValue("da", 0, 0, 0.9), nnInit.equals("torch"));
        }
    }

    /**
     * The fitted ensemble, arrays nTf × nGenes row-major in the data's gene order.
     *
     * @param tfIdx    data gene index of each TF row ({@link ModelInputs#tfIndices} order)
     * @param meanAbsA mean |A| × (g - 1) over runs (the edge score; 0 on self-loops)
     * @param meanA    mean A (its sign is the edge sign)
     */
    public record Fit(int[] tfIdx, float[] meanAbsA, float[] meanA) {
    }

    @Override
    public Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
        Fit fit = fit(data, tfs, options, progress);
        return NnSupport.network(data.genes(), fit.tfIdx(), fit.meanAbsA(), fit.meanA(), null);
    }

    /**
     * The edge scores alone, for ensembles that combine them with other evidence: nTf × nGenes row-major, row t
     * is TF {@code ModelInputs.tfIndices(data, tfs)[t]}, column j data gene j, higher is stronger, self-loops 0.
     * Same parameters ({@code options.params()}) and seed as {@link #infer}.
     */
    public static float[] scores(ExpressionMatrix data, List<String> tfs, InferenceOptions options,
                                 Progress progress) {
        return new RegDiffusionModel().fit(data, tfs, options, progress).meanAbsA();
    }

    /** Trains the ensemble; see the class comment. */
    public Fit fit(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
        Hyper h = Hyper.of(options.params());
        int[] tfIdx = ModelInputs.tfIndices(data, tfs);
        Device device = NnSupport.device(options.device());
        int n = data.nCells();
        int g = data.nGenes();
        int nT = tfIdx.length;
        int[] perm = SemModel.tfsFirst(tfIdx, g);
        float[] x = SemModel.permuteColumns(normalise(data), n, g, perm);
        int rows = h.allRows() ? g : nT;
        float[] sumAbs = new float[nT * g];
        float[] sum = new float[nT * g];
        progress.phase("train");
        for (int run = 0; run < h.ensemble(); run++) {
            long seed = options.seed() * 1_000_003L + run;
            float[] a = trainOne(x, n, g, nT, rows, h, seed, device, progress, run);
            for (int k = 0; k < nT * g; k++) {
                sumAbs[k] += Math.abs(a[k]);
                sum[k] += a[k];
            }
        }
        // Back from TFs-first order to the data's gene order, in units of the regulation norm 1 / (g - 1).
        float[] meanAbs = new float[nT * g];
        float[] mean = new float[nT * g];
        float scale = (float) (g - 1) / h.ensemble();
        for (int t = 0; t < nT; t++) {
            for (int j = 0; j < g; j++) {
                meanAbs[t * g + perm[j]] = sumAbs[t * g + j] * scale;
                mean[t * g + perm[j]] = sum[t * g + j] * scale;
            }
        }
        return new Fit(tfIdx, meanAbs, mean);
    }

    /**
     * One seeded run.
     *
     * @return the TF rows of A ⊙ mask (nT × g, TFs-first order, self-loops 0)
     */
    private static float[] trainOne(float[] x, int n, int g, int nT, int rows, Hyper h, long seed, Device device,
                                    Progress progress, int run) {
        int b = h.batch();
        int bigT = h.bigT();
        float[][] schedule = schedule(bigT);
        try (NDManager manager = EngineThreads.newManager(device);
             Model model = Model.newInstance(NAME, device)) {
            RegDiffusionNetwork net = new RegDiffusionNetwork(rows, g, h.dim(), h.timeDim(), (float) h.init(),
                    (float) h.adjDropout(), h.torchInit());
            model.setBlock(net);
            NDArray xAll = manager.create(x, new Shape(n, g));
            // a gene's smallest normalised value: where its dropout zeros sit (see the da parameter)
            NDArray level = h.dropoutAugmentation() > 0 ? xAll.min(new int[] {0}, true) : null;
            NDArray mask = manager.ones(new Shape(rows, g)).subi(manager.eye(rows, g, 0, DataType.FLOAT32));
            NDArray meanCoef = manager.create(schedule[0]);
            NDArray stdCoef = manager.create(schedule[1]);
            NDArray temb = manager.create(timeEmbedding(bigT, h.timeDim()), new Shape(bigT, h.timeDim()));
            // RegDiffusion's rates are for 1000 steps; fewer steps take proportionally larger ones, so that A can
            // move as far in total (Adam's step is about lr whatever the gradient's scale).
            double perStep = 1000.0 / h.steps();
            double lr = h.lr() > 0 ? h.lr() : 1e-3 * perStep;
            double lrAdj = h.lrAdj() > 0 ? h.lrAdj() : perStep / (50.0 * (g - 1));
            Optimizer opt = new GroupedOptimizer(Set.of(net.adjacency().getId()),
                    adam(lrAdj, h.wdAdj()), adam(lr, h.wd()));
            RegDiffusionNetwork.Objective objective = new RegDiffusionNetwork.Objective((float) h.sparse());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(objective).optOptimizer(opt)
                    .optDevices(new Device[] {device}))) {
                NnSupport.withEngineSeed(seed, () -> trainer.initialize(net.inputShapes(b)));
                NnSupport.fit(trainer, h.steps(), step -> {
                    NDArray[] d = new NDArray[3];
                    NnSupport.withEngineSeed(NnSupport.stepSeed(seed ^ DRAWS, step), () -> {
                        d[0] = manager.randomInteger(0, n, new Shape(b), DataType.INT64);
                        d[1] = manager.randomInteger(0, bigT, new Shape(b), DataType.INT64);
                        d[2] = manager.randomNormal(new Shape(b, g));
                    });
                    NDArray x0 = xAll.get(d[0]);
                    if (level != null) {
                        // dropout augmentation: a share da of the batch's values moved to their gene's zero level
                        NDArray[] u = new NDArray[1];
                        NnSupport.withEngineSeed(NnSupport.stepSeed(seed ^ AUGMENT, step),
                                () -> u[0] = manager.randomUniform(0, 1, new Shape(b, g)));
                        NDArray drop = u[0].lt((float) h.dropoutAugmentation()).toType(DataType.FLOAT32, false);
                        x0 = x0.add(level.sub(x0).mul(drop));
                    }
                    NDArray xt = x0.mul(meanCoef.get(d[1]).expandDims(1))
                            .add(d[2].mul(stdCoef.get(d[1]).expandDims(1)));
                    return new NDList[] {new NDList(xt, temb.get(d[1]), mask), new NDList(d[2])};
                }, seed, progress, run * h.steps(), h.ensemble() * h.steps());
            }
            return net.adjacency().getArray().mul(mask).get("0:" + nT + ", :")
                    .toFloatArray();
        }
    }

    private static Optimizer adam(double lr, double wd) {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) lr)).optBeta1(0.9f).optBeta2(0.99f)
                .optWeightDecays((float) wd).build();
    }

    /** {sqrt(ᾱ_t), sqrt(1 - ᾱ_t)} for t = 0..T-1 of RegDiffusion's linear β schedule. */
    static float[][] schedule(int bigT) {
        double scale = 1000.0 / bigT;
        double lo = scale * 1e-4;
        double hi = scale * 0.02;
        float[][] out = new float[2][bigT];
        double alphaBar = 1;
        for (int t = 0; t < bigT; t++) {
            double beta = lo + (hi - lo) * t / (bigT - 1);
            alphaBar *= 1 - beta;
            out[0][t] = (float) Math.sqrt(alphaBar);
            out[1][t] = (float) Math.sqrt(1 - alphaBar);
        }
        return out;
    }

    /** Sinusoidal embedding of t = 0..T-1 (sin half, then cos half), row-major [T, dim]. */
    static float[] timeEmbedding(int bigT, int dim) {
        int half = dim / 2;
        float[] out = new float[bigT * dim];
        double step = Math.log(10000) / Math.max(1, half - 1);
        for (int t = 0; t < bigT; t++) {
            for (int i = 0; i < half; i++) {
                double v = t * Math.exp(-step * i);
                out[t * dim + i] = (float) Math.sin(v);
                out[t * dim + half + i] = (float) Math.cos(v);
            }
        }
        return out;
    }

    /**
     * RegDiffusion's normalisation: per cell min-max to [0, 1] (a cell with one value everywhere becomes 0), then
     * per gene z-score (population sd; a constant gene becomes 0).
     *
     * @return row-major cells × genes
     */
    static float[] normalise(ExpressionMatrix data) {
        int n = data.nCells();
        int g = data.nGenes();
        float[] v = data.values();
        float[] scaled = new float[v.length];
        for (int c = 0; c < n; c++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < g; j++) {
                lo = Math.min(lo, v[c * g + j]);
                hi = Math.max(hi, v[c * g + j]);
            }
            float range = hi - lo;
            for (int j = 0; j < g; j++) {
                scaled[c * g + j] = range > 0 ? (v[c * g + j] - lo) / range : 0;
            }
        }
        return NnSupport.standardise(new ExpressionMatrix(scaled, data.cells(), data.genes()));
    }
}
