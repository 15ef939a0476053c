package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Scale check (not a test): a synthetic cells × genes matrix with the first {@code tfs} genes as regulators, run
 * through a model; prints wall seconds and peak heap. Usage: {@code NnScaleBench <model> <cells> <genes> <tfs>}.
 */
public final class NnScaleBench {
    private NnScaleBench() {
    }

    public static void main(String[] args) {
        GrnModel model = NnBench.model(args[0]);
        int n = Integer.parseInt(args[1]);
        int g = Integer.parseInt(args[2]);
        int t = Integer.parseInt(args[3]);
        ExpressionMatrix data = synthetic(n, g);
        List<String> tfs = Synthetic.names("g", t);
        long t0 = System.nanoTime();
        Network net = model.infer(data, tfs, new InferenceOptions(0, "cpu", Map.of(), List.of()), Progress.NONE);
        double secs = (System.nanoTime() - t0) / 1e9;
        Runtime rt = Runtime.getRuntime();
        System.out.printf("%s %d cells x %d genes x %d TFs: %d edges in %.1f s, heap used %.0f MB%n", args[0], n, g,
                t, net.size(), secs, (rt.totalMemory() - rt.freeMemory()) / 1e6);
    }

    /** Seeded counts-like matrix: log1p of a Poisson-like draw with gene-specific means. */
    static ExpressionMatrix synthetic(int n, int g) {
        Random rnd = new Random(1);
        float[] v = new float[n * g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                double mean = 0.2 + (j % 17) * 0.3;
                v[c * g + j] = (float) Math.log1p(Math.floor(-Math.log(1 - rnd.nextDouble()) * mean));
            }
        }
        return new ExpressionMatrix(v, Synthetic.names("c", n), Synthetic.names("g", g));
    }
}
