package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark driver (not a test): {@code regdiff} alone and rank-combined with the statistical crowd
 * ({@code crowd w-learned=0}, LogoBench's crowd-b95) on BEELINE-format sets. Per set it prints one tab-separated
 * line: set, regdiff EPR, AUPRC ratio, training wall seconds, the main thread's CPU seconds in it (with one engine
 * thread, where PyTorch computes), crowd-b95 EPR, AUPRC ratio, then for each weight w in
 * {@code WEIGHTS} the EPR and AUPRC ratio of {@code (1 - w) crowd-b95 + w rankScale(regdiff)} (the formula of
 * {@code CrowdModel}'s learned term, with regdiff in place of the auto-encoder: w = 1/3 is crowd-b95+learned's
 * weight). Usage: {@code RegDiffBench <benchmarkDir> [key=value ...] [set ...]}; key=value pairs go to regdiff,
 * {@code seed=N} is the run's seed, {@code base=default} combines with the shipped {@code crowd} (its gnn term
 * included) instead, {@code w=0.25,0.33} sets the weights.
 */
public final class RegDiffBench {
    static final double[] WEIGHTS = {1 / 3.0, 0.5};

    private RegDiffBench() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Map<String, String> params = new HashMap<>();
        List<String> sets = BenchFiles.setsAndParams(args, 1, root, params);
        long seed = Long.parseLong(params.getOrDefault("seed", "0"));
        params.remove("seed");
        // base=default: combine with the shipped crowd (with its gnn term) instead of crowd-b95; w=a,b: weights.
        boolean shipped = "default".equals(params.remove("base"));
        String w = params.remove("w");
        double[] weights = w == null ? WEIGHTS
                : Arrays.stream(w.split(",")).mapToDouble(Double::parseDouble).toArray();
        for (String set : sets) {
            Path dir = root.resolve(set);
            ExpressionMatrix data = NnBench.readH5ad(dir.resolve("data.h5ad"));
            List<String> tfs = Files.readAllLines(dir.resolve("tfs.txt")).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            Truth truth = Evaluation.readTruth(dir.resolve("truth.csv"));
            int[] tfIdx = ModelInputs.tfIndices(data, tfs);
            int g = data.nGenes();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            float[] rd = RegDiffusionModel.scores(data, tfs, new InferenceOptions(seed, "cpu", params, List.of()),
                    Progress.NONE);
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            Network crowd = new CrowdModel().infer(data, tfs, new InferenceOptions(seed, "cpu",
                    shipped ? Map.of() : Map.of("w-learned", "0"), List.of()), Progress.NONE);
            float[] cs = matrix(crowd, data, tfIdx);
            boolean[] self = NnSupport.selfLoops(tfIdx, g);
            float[] rdRanks = NnSupport.rankScale(rd, self);
            StringBuilder line = new StringBuilder(set);
            append(line, Evaluation.score(NnSupport.network(data.genes(), tfIdx, rd, null, null), truth));
            line.append(String.format("\t%.1f\t%.1f", secs, cpu));
            append(line, Evaluation.score(crowd, truth));
            for (double wt : weights) {
                float[] comb = new float[cs.length];
                for (int k = 0; k < comb.length; k++) {
                    comb[k] = self[k] ? 0 : (float) ((1 - wt) * cs[k] + wt * rdRanks[k]);
                }
                append(line, Evaluation.score(NnSupport.network(data.genes(), tfIdx, comb, null, null), truth));
            }
            System.out.println(line);
        }
    }

    private static void append(StringBuilder line, Scores s) {
        line.append(String.format("\t%.2f\t%.2f", s.epr(), s.auprcRatio()));
    }

    /** A network's scores placed by (TF, target) name into an nTf × nGenes matrix. */
    static float[] matrix(Network net, ExpressionMatrix data, int[] tfIdx) {
        float[] m = new float[tfIdx.length * data.nGenes()];
        NnSupport.place(net, data.genes(), tfIdx, m, null);
        return m;
    }
}
