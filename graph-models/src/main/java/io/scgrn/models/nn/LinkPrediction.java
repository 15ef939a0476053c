package io.scgrn.models.nn;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.Progress;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Truth;
import io.scgrn.models.numerics.EngineThreads;
import io.scgrn.models.numerics.RankingCurves;


import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Supervised link prediction (the GENELink setting): known TF → target pairs are split by seed into train,
 * validation and test; each positive gets one negative with the same TF and a random target that is not a known
 * pair; {@link GnnEncoder} is trained on the training pairs only (message passing over the co-expression graph
 * plus the training positives), and only validation and test pairs are scored and reported. Training pairs never
 * appear in the result.
 */
public final class LinkPrediction {
    private LinkPrediction() {
    }

    /**
     * One held-out pair.
     *
     * @param tf     regulator
     * @param target target gene
     * @param score  predicted probability of a regulatory link
     * @param known  true for a known pair, false for a sampled negative
     */
    public record HeldOut(String tf, String target, double score, boolean known) {
    }

    /**
     * Held-out results.
     *
     * @param validation     validation pairs, scored
     * @param test           test pairs, scored
     * @param testAuroc      AUROC on test
     * @param testAuprc      average precision on test (balanced: chance is about 0.5)
     * @param nTrainPositive known pairs used for training
     */
    public record Result(List<HeldOut> validation, List<HeldOut> test, double validationAuroc,
                         double validationAuprc, double testAuroc, double testAuprc, int nTrainPositive) {
    }

    /** Reads known pairs from a BEELINE-style CSV/TSV (header, then TF,target per line). */
    public static List<String[]> readEdges(Path file) {
        Truth t = Evaluation.readTruth(file);
        List<String> keys = new ArrayList<>(t.edges());
        Collections.sort(keys);
        List<String[]> out = new ArrayList<>();
        for (String k : keys) {
            out.add(k.split("\t", 2));
        }
        return out;
    }

    /**
     * Trains on a seeded split of {@code known} and scores the held-out pairs.
     *
     * @param known (tf, target) pairs; those whose genes are absent from the data or whose TF is not a candidate
     *              regulator are dropped
     * @throws ModelException when fewer than 10 usable pairs remain
     */
    public static Result run(ExpressionMatrix data, List<String> tfs, List<String[]> known, InferenceOptions options,
                             Progress progress) {
        GnnModel.Settings s = GnnModel.Settings.of(options);
        int[] tfIdx = ModelInputs.tfIndices(data, tfs);
        int g = data.nGenes();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < g; i++) {
            index.putIfAbsent(data.genes().get(i), i);
        }
        Set<Integer> tfSet = new HashSet<>();
        for (int t : tfIdx) {
            tfSet.add(t);
        }
        Set<Long> knownSet = new HashSet<>();
        List<int[]> pos = new ArrayList<>();
        for (String[] e : known) {
            Integer a = index.get(e[0]);
            Integer b = index.get(e[1]);
            if (a != null && b != null && !a.equals(b) && tfSet.contains(a) && knownSet.add((long) a * g + b)) {
                pos.add(new int[] {a, b});
            }
        }
        if (pos.size() < 10) {
            throw new ModelException("train-edges", "only " + pos.size()
                    + " known pairs have both genes in the data with a candidate TF (need at least 10)");
        }
        Random rnd = new Random(options.seed());
        Collections.shuffle(pos, rnd);
        int nTrain = (int) Math.round(pos.size() * s.trainFraction());
        int nVal = (int) Math.round(pos.size() * s.validationFraction());
        List<int[]> trainPos = pos.subList(0, nTrain);
        List<int[]> valPos = pos.subList(nTrain, nTrain + nVal);
        List<int[]> testPos = pos.subList(nTrain + nVal, pos.size());
        Set<Long> used = new HashSet<>(knownSet);
        int[][] train = withNegatives(trainPos, g, used, rnd);
        int[][] val = withNegatives(valPos, g, used, rnd);
        int[][] test = withNegatives(testPos, g, used, rnd);

        float[] z = NnSupport.rankStandardise(data);
        try (NDManager manager = EngineThreads.newManager(NnSupport.device(options.device()))) {
            float[] corr = GeneGraph.correlation(manager, z, data.nCells(), g);
            float[] graph = s.graph().equals("pcor") ? GeneGraph.partialCorrelation(manager, corr, g, s.shrink()) : corr;
            float[] adj = GeneGraph.candidateGraph(graph, g, s.k(), data.genes(), options.prior());
            for (int[] e : trainPos) {
                adj[e[0] * g + e[1]] = 1;
                adj[e[1] * g + e[0]] = 1;
            }
            NDArray an = GeneGraph.normalise(manager.create(adj, new Shape(g, g)));
            NDArray h0 = GnnModel.features(manager, z, data.nCells(), g, s.features(), rnd);
            GnnEncoder enc = GnnEncoder.init(manager, s.features(), s.hidden(), s.dim(), rnd);
            NDArray src = manager.create(train[0]);
            NDArray dst = manager.create(train[1]);
            NDArray lab = manager.create(toFloat(train[2]));
            progress.phase("train");
            // Data, adjacency and pairs were uploaded once above; every epoch is the same full batch.
            NDList inputs = new NDList(an, h0, src, dst);
            NDList labels = new NDList(lab);
            try (Model model = Model.newInstance(GnnModel.NAME, manager.getDevice())) {
                model.setBlock(enc);
                try (Trainer trainer = NnSupport.newTrainer(model, Loss.sigmoidBinaryCrossEntropyLoss(), s.lr())) {
                    trainer.initialize(GnnEncoder.inputShapes(g, s.features(), train[0].length));
                    NnSupport.fit(trainer, s.epochs(), epoch -> new NDList[] {inputs, labels}, null, progress, 0,
                            s.epochs());
                }
            }
            progress.phase("score");
            try (NDManager m = manager.newSubManager()) {
                NDArray e = enc.embed(an, h0);
                List<HeldOut> v = score(enc, e, m, val, data.genes());
                List<HeldOut> t = score(enc, e, m, test, data.genes());
                return new Result(v, t, auroc(v), averagePrecision(v), auroc(t), averagePrecision(t), nTrain);
            }
        }
    }

    /** Columns: src, dst, label; one negative (same TF, unused target) after each positive. */
    private static int[][] withNegatives(List<int[]> positives, int g, Set<Long> used, Random rnd) {
        int m = positives.size();
        int[][] out = new int[3][2 * m];
        int k = 0;
        for (int[] p : positives) {
            out[0][k] = p[0];
            out[1][k] = p[1];
            out[2][k++] = 1;
            for (int attempt = 0; attempt < 100; attempt++) {
                int b = rnd.nextInt(g);
                if (b != p[0] && used.add((long) p[0] * g + b)) {
                    out[0][k] = p[0];
                    out[1][k] = b;
                    out[2][k++] = 0;
                    break;
                }
            }
        }
        return new int[][] {Arrays.copyOf(out[0], k), Arrays.copyOf(out[1], k), Arrays.copyOf(out[2], k)};
    }

    private static float[] toFloat(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    private static List<HeldOut> score(GnnEncoder enc, NDArray e, NDManager m, int[][] pairs, List<String> genes) {
        if (pairs[0].length == 0) {
            return List.of();
        }
        float[] p = Activation.sigmoid(enc.logits(e, m.create(pairs[0]), m.create(pairs[1]))).toFloatArray();
        List<HeldOut> out = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            out.add(new HeldOut(genes.get(pairs[0][i]), genes.get(pairs[1][i]), p[i], pairs[2][i] == 1));
        }
        return out;
    }

    /** AUROC with ties counted one half; NaN without both classes. */
    static double auroc(List<HeldOut> h) {
        return areas(h).auroc();
    }

    /** Step-wise average precision (scikit-learn's definition: thresholds at distinct scores). */
    static double averagePrecision(List<HeldOut> h) {
        return areas(h).averagePrecision();
    }

    private static RankingCurves.Areas areas(List<HeldOut> h) {
        double[] score = new double[h.size()];
        boolean[] known = new boolean[h.size()];
        for (int i = 0; i < score.length; i++) {
            score[i] = h.get(i).score();
            known[i] = h.get(i).known();
        }
        return RankingCurves.areas(score, known);
    }
}
