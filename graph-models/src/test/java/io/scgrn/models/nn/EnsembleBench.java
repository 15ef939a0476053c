package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.ReferenceStatistics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batched learned ensemble ({@link GnnEnsemble}) against K separate {@link GnnModel} runs on one benchmark set:
 * training-thread CPU seconds of each, and how close slice k is to run k (Spearman correlation of the logits' rank
 * scalings, share of the top-1,000 pairs in common) — docs/benchmarks.md, "GRN accuracy: round 8".
 * Usage: {@code EnsembleBench <benchmarks> <set> <K> [epochs] [seed]}.
 */
public final class EnsembleBench {
    private EnsembleBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).resolve(args[1]);
        int runs = Integer.parseInt(args[2]);
        String epochs = args.length > 3 ? args[3] : "150";
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 0;
        ExpressionMatrix data = NnBench.readH5ad(dir.resolve("data.h5ad"));
        List<String> tfs = Files.readAllLines(dir.resolve("tfs.txt")).stream().map(String::trim)
                .filter(x -> !x.isEmpty()).toList();
        int[] tfIdx = ModelInputs.tfIndices(data, tfs);
        int g = data.nGenes();
        boolean[] self = NnSupport.selfLoops(tfIdx, g);
        Map<String, String> p = Map.of("coexpr", "0", "da", System.getProperty("da", "0.1"), "epochs", epochs);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        float[][] batched = GnnEnsemble.logits(data, tfs, new InferenceOptions(seed, "cpu", p, List.of()), runs,
                Progress.NONE);
        double cb = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        double wb = (System.nanoTime() - w0) / 1e9;
        List<float[]> sep = new ArrayList<>();
        if (Boolean.getBoolean("batchedOnly")) {
            System.out.printf(Locale.ROOT, "batched %.2f CPU-s (%.2f s wall)%n", cb, wb);
            return;
        }
        c0 = mx.getCurrentThreadCpuTime();
        w0 = System.nanoTime();
        for (int k = 0; k < runs; k++) {
            Network net = new GnnModel().infer(data, tfs, new InferenceOptions(seed + k, "cpu", p, List.of()),
                    Progress.NONE);
            float[] v = new float[tfIdx.length * g];
            NnSupport.place(net, data.genes(), tfIdx, v, null);
            sep.add(v);
        }
        double cs = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        double ws = (System.nanoTime() - w0) / 1e9;
        System.out.printf(Locale.ROOT, "%s K=%d epochs=%s: batched %.2f CPU-s (%.2f s wall), separate %.2f CPU-s"
                + " (%.2f s wall), ratio %.2f%n", args[1], runs, epochs, cb, wb, cs, ws, cs / cb);
        for (int k = 0; k < runs; k++) {
            float[] a = NnSupport.rankScale(NnSupport.rankScale(batched[k], self), self);
            float[] b = NnSupport.rankScale(sep.get(k), self);
            System.out.printf(Locale.ROOT, "slice %d vs run seed %d: spearman %.5f, top-1000 overlap %.3f%n", k,
                    seed + k, pearson(a, b), overlap(a, b, 1000));
        }
        float[] em = CrowdModel.meanRankScale(toScaled(batched, self), self);
        float[] sm = CrowdModel.meanRankScale(sep, self);
        System.out.printf(Locale.ROOT, "ensemble term: spearman %.5f, top-1000 overlap %.3f%n", pearson(em, sm),
                overlap(em, sm, 1000));
    }

    static List<float[]> toScaled(float[][] logits, boolean[] self) {
        List<float[]> out = new ArrayList<>();
        for (float[] l : logits) {
            out.add(NnSupport.rankScale(l, self));
        }
        return out;
    }

    /** Pearson's r of two equally long score vectors ({@link ReferenceStatistics#pearson}). */
    static double pearson(float[] a, float[] b) {
        double[] x = new double[a.length];
        double[] y = new double[b.length];
        for (int i = 0; i < a.length; i++) {
            x[i] = a[i];
            y[i] = b[i];
        }
        return ReferenceStatistics.pearson(x, y);
    }

    static double overlap(float[] a, float[] b, int top) {
        java.util.Set<Integer> ta = topSet(a, top);
        java.util.Set<Integer> tb = topSet(b, top);
        ta.retainAll(tb);
        return ta.size() / (double) top;
    }

    private static java.util.Set<Integer> topSet(float[] v, int top) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (x, y) -> Float.compare(v[y], v[x]));
        return new java.util.HashSet<>(java.util.Arrays.asList(idx).subList(0, Math.min(top, v.length)));
    }
}
