package io.scgrn.models.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.ModelParams;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.EngineThreads;
import io.scgrn.models.numerics.Sampling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code sem}: a structural-equation VAE in the DeepSEM family (Shu et al., Nat. Comput. Sci. 2021), linear in the
 * structural part so that it stays fast on CPU.
 *
 * <p>Genes are ordered TFs first (nT of g). With {@code x} the standardised expression (cells × genes, one row per
 * cell) and {@code W} the nT × g regulation matrix (TF rows only, diagonal of the TF × TF block masked to 0):
 * <pre>
 *   encoder  mu = x (I - W~)              [b, g]   W~ = W padded with zero rows to g × g
 *   sample   z  = mu + exp(logVar / 2) ε  [b, g]   logVar: per-gene [g], ε ~ N(0, 1)
 *   decoder  x^ = z (I - W~)^-1           [b, g]   = z + (z[:, :nT] (I - A)^-1) W,  A = W[:, :nT]
 *   loss     mean (x^ - x)² + β mean KL(N(mu, e^logVar) || N(0, 1)) + α Σ|W| / g
 * </pre>
 * The block form of the inverse needs only the nT × nT inverse. Edge score = mean |W[tf, target]| over an
 * ensemble of seeds; sign = sign of mean W; stability = fraction of runs in which the edge ranks among the top
 * {@code 10 × nT} edges. Cost per step is two [b, nT] × [nT, g] products plus one nT³ inverse; cells enter in
 * mini-batches of at most {@code batch}, so a step never costs O(all cells).
 *
 * <p>Parameters: {@code ensemble} (runs, default 3), {@code steps} (optimiser steps per run, default 150),
 * {@code lr} (Adam, 0.02), {@code alpha} (L1 strength per target gene, 0.2: on curated-GSD-0 / sergio-DS4 /
 * mHSC-GM-STRING, 0.02 gave EPR 0.95 / 2.85 / 6.44, 0.08 1.18 / 3.53 / 7.21, 0.2 1.35 / 3.69 / 7.32, 0.5 1.29 /
 * 0.63 / 3.51), {@code beta} (KL weight, 1),
 * {@code batch} (cells per step, 1024).
 *
 * <p>Training: the network is the DJL block {@link SemNetwork} (DJL initializers, L2 loss, Adam), run through a
 * {@code Trainer} with data on the device for the whole run; the loss is read back every 10 steps.
 *
 * <p>Reproducibility: initial weights and per-step noise come from the engine's generator, re-seeded from the
 * run's seed (and step) under a process-wide lock right before each draw, so concurrent runs do not shift each
 * other's draws; mini-batches come from {@code java.util.Random(seed)}; on CPU with one intra-op thread
 * ({@code -Dai.djl.pytorch.num_threads=1}) the network is identical byte for byte, with more threads PyTorch's
 * parallel kernels may change the last float bits.
 */
public final class SemModel implements GrnModel {
    /** The {@code --model} name. */
    public static final String NAME = "sem";
    static final Set<String> PARAMS = Set.of("ensemble", "steps", "lr", "alpha", "beta", "batch");
    private static final Logger LOG = LoggerFactory.getLogger(SemModel.class);

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The fitted ensemble, all arrays nTf × nGenes row-major in the data's gene order.
     *
     * @param tfIdx     data gene index of each TF row
     * @param meanAbsW  mean |W| over runs (the edge score)
     * @param meanW     mean W (its sign is the edge sign)
     * @param stability fraction of runs in which the edge was in the top {@code 10 × nTf}
     */
    public record Fit(int[] tfIdx, float[] meanAbsW, float[] meanW, float[] stability) {
    }

    @Override
    public void checkParams(Map<String, String> params) {
        Hyper.of(params);
    }

    /** Hyper-parameters after validation. */
    private record Hyper(int ensemble, int steps, double lr, double alpha, double beta, int batch) {
        static Hyper of(Map<String, String> params) {
            ModelParams p = new ModelParams(params, PARAMS);
            return new Hyper(p.intValue("ensemble", 3, 1, 100), p.intValue("steps", 150, 1, 100_000),
                    p.doubleValue("lr", 0.02, 1e-6, 10), p.doubleValue("alpha", 0.2, 0, 100),
                    p.doubleValue("beta", 1, 0, 100), p.intValue("batch", 1024, 2, 1 << 20));
        }
    }

    @Override
    public Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
        Fit fit = fit(data, tfs, options, progress);
        return NnSupport.network(data.genes(), fit.tfIdx(), fit.meanAbsW(), fit.meanW(), fit.stability());
    }

    /** Trains the ensemble and returns the averaged weights; see the class comment for the model. */
    public Fit fit(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
        Hyper h = Hyper.of(options.params());
        int ensemble = h.ensemble();
        int steps = h.steps();
        double lr = h.lr();
        double alpha = h.alpha();
        double beta = h.beta();
        int batch = h.batch();
        int[] tfIdx = ModelInputs.tfIndices(data, tfs);
        Device device = NnSupport.device(options.device());
        int n = data.nCells();
        int g = data.nGenes();
        int nT = tfIdx.length;
        int[] perm = tfsFirst(tfIdx, g);
        float[] x = permuteColumns(NnSupport.standardise(data), n, g, perm);

        float[] sumAbs = new float[nT * g];
        float[] sum = new float[nT * g];
        float[] inTop = new float[nT * g];
        boolean[] self = new boolean[nT * g];
        for (int t = 0; t < nT; t++) {
            self[t * g + t] = true;
        }
        int top = (int) Math.min(10L * nT, (long) nT * (g - 1));
        progress.phase("train");
        for (int run = 0; run < ensemble; run++) {
            long seed = options.seed() * 1_000_003L + run;
            float[] w = trainOne(x, n, g, nT, seed, steps, lr, alpha, beta, batch, device, progress, run, ensemble);
            for (int k = 0; k < w.length; k++) {
                sumAbs[k] += Math.abs(w[k]);
                sum[k] += w[k];
            }
            for (int k : topIndices(w, self, top)) {
                inTop[k] += 1;
            }
        }
        // Back from TFs-first order to the data's gene order.
        float[] meanAbs = new float[nT * g];
        float[] mean = new float[nT * g];
        float[] stab = new float[nT * g];
        for (int t = 0; t < nT; t++) {
            for (int j = 0; j < g; j++) {
                int from = t * g + j;
                int to = t * g + perm[j];
                meanAbs[to] = sumAbs[from] / ensemble;
                mean[to] = sum[from] / ensemble;
                stab[to] = inTop[from] / ensemble;
            }
        }
        return new Fit(tfIdx, meanAbs, mean, stab);
    }

    /**
     * One seeded run with a DJL {@link Model} and {@link Trainer} on {@link SemNetwork}: DJL's Adam, initial
     * weights from DJL's initializers and noise from the engine's generator, both seeded from {@code seed} under
     * the engine lock, so they depend on the seed alone. The expression is uploaded once; with mini-batches the
     * cell order (from {@code java.util.Random(seed)}) is uploaded in chunks of at most
     * {@link GnnModel#PLAN_CHUNK_BYTES}, once for default settings.
     *
     * @return W (nT × g, TFs-first order, masked diagonal = 0)
     */
    private static float[] trainOne(float[] x, int n, int g, int nT, long seed, int steps, double lr, double alpha,
                                    double beta, int batch, Device device, Progress progress, int run,
                                    int runs) {
        Random rnd = new Random(seed);
        int b = Math.min(n, batch);
        try (NDManager manager = EngineThreads.newManager(device);
             Model model = Model.newInstance(NAME, device)) {
            SemNetwork net = new SemNetwork(nT, g);
            model.setBlock(net);
            NDArray xAll = manager.create(x, new Shape(n, g));
            NDArray mask = manager.ones(new Shape(nT, g)).subi(manager.eye(nT, g, 0, DataType.FLOAT32));
            NDArray eyeT = manager.eye(nT);
            NDList labelsAll = new NDList(xAll);
            NDList inputsAll = new NDList(xAll, mask, eyeT);
            Loss objective = new SemNetwork.Objective((float) beta, (float) (alpha / g));
            try (Trainer trainer = NnSupport.newTrainer(model, objective, lr)) {
                NnSupport.withEngineSeed(seed, () -> trainer.initialize(net.inputShapes(b)));
                BatchPlan plan = b == n ? null : new BatchPlan(manager, n, b, steps, rnd);
                NnSupport.fit(trainer, steps, step -> {
                    if (plan == null) {
                        return new NDList[] {inputsAll, labelsAll};
                    }
                    NDArray xb = xAll.get(plan.rows(step));
                    return new NDList[] {new NDList(xb, mask, eyeT), new NDList(xb)};
                }, seed, progress, run * steps, runs * steps);
            }
            LOG.debug("sem run {} done", run);
            return net.maskedWeights(mask).toFloatArray();
        }
    }

    /**
     * Mini-batch rows of every step: consecutive slices of a cell order reshuffled (on the host, from the run's
     * {@link Random}) whenever it is used up, uploaded in chunks of steps.
     */
    private static final class BatchPlan {
        private final NDManager manager;
        private final int n;
        private final int b;
        private final int steps;
        private final int perChunk;
        private final Random rnd;
        private final int[] order;
        private int cursor;
        private int chunkStart = -1;
        private NDArray chunk;

        BatchPlan(NDManager manager, int n, int b, int steps, Random rnd) {
            this.manager = manager;
            this.n = n;
            this.b = b;
            this.steps = steps;
            this.rnd = rnd;
            this.perChunk = (int) Math.max(1, Math.min(steps, GnnModel.PLAN_CHUNK_BYTES / (4L * b)));
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            cursor = n; // forces a shuffle before the first mini-batch
        }

        /** Row indices [b] (int32, on the device) of step {@code step}; steps come in order. */
        NDArray rows(int step) {
            if (chunk == null || step - chunkStart >= perChunk) {
                int count = Math.min(perChunk, steps - step);
                int[] rows = new int[count * b];
                for (int s = 0; s < count; s++) {
                    if (cursor + b > n) {
                        Sampling.shuffle(order, rnd);
                        cursor = 0;
                    }
                    System.arraycopy(order, cursor, rows, s * b, b);
                    cursor += b;
                }
                if (chunk != null) {
                    chunk.close();
                }
                chunk = manager.create(rows, new Shape(count, b));
                // The plan outlives the step's scope that asked for it.
                NDScope.unregister(chunk);
                chunkStart = step;
            }
            return chunk.get(step - chunkStart);
        }
    }

    /**
     * Encoder: {@code mu = x (I - W~) = x - x[:, :nT] W}.
     *
     * @param x  [b, g] standardised expression, TFs first
     * @param wm [nT, g] masked weights
     * @return [b, g]
     */
    static NDArray encode(NDArray x, NDArray wm, int nT) {
        return x.sub(x.get(":, 0:" + nT).matMul(wm));
    }

    /**
     * Decoder: {@code z (I - W~)^-1 = z + (z[:, :nT] (I - A)^-1) W} with {@code A = W[:, :nT]}.
     *
     * @param z    [b, g] latent
     * @param wm   [nT, g] masked weights
     * @param eyeT [nT, nT] identity
     * @return [b, g]
     */
    static NDArray decode(NDArray z, NDArray wm, int nT, NDArray eyeT) {
        NDArray inv = eyeT.sub(wm.get(":, 0:" + nT)).inverse();
        return z.add(z.get(":, 0:" + nT).matMul(inv).matMul(wm));
    }

    /** Permutation p with p[newPosition] = data gene index, TFs (in tfIdx order) first. */
    static int[] tfsFirst(int[] tfIdx, int g) {
        int[] perm = new int[g];
        boolean[] isTf = new boolean[g];
        int k = 0;
        for (int t : tfIdx) {
            perm[k++] = t;
            isTf[t] = true;
        }
        for (int j = 0; j < g; j++) {
            if (!isTf[j]) {
                perm[k++] = j;
            }
        }
        return perm;
    }

    static float[] permuteColumns(float[] x, int n, int g, int[] perm) {
        float[] out = new float[x.length];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                out[c * g + j] = x[c * g + perm[j]];
            }
        }
        return out;
    }

    /** Indices of the {@code k} largest |w| (self-loops excluded), ties by index. */
    static List<Integer> topIndices(float[] w, boolean[] skip, int k) {
        List<Integer> idx = new ArrayList<>(w.length);
        for (int i = 0; i < w.length; i++) {
            if (!skip[i]) {
                idx.add(i);
            }
        }
        idx.sort((p, q) -> {
            int c = Float.compare(Math.abs(w[q]), Math.abs(w[p]));
            return c != 0 ? c : Integer.compare(p, q);
        });
        return idx.subList(0, Math.min(k, idx.size()));
    }
}
