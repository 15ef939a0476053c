package io.scgrn.models.nn;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark driver for the nn models (not a test): reads the shared BEELINE-format sets with jhdf directly and
 * prints EPR / AUPRC ratio / AUROC / seconds per set ({@code truths=SET,...}: also against those sets' truths). Usage:
 * {@code NnBench <model> <benchmarkDir> [key=value ...] [set ...]} with model sem, gnn or default; {@code seed=N}
 * sets the run's seed (default 0).
 */
public final class NnBench {
    private NnBench() {
    }

    /** Dense float32 X plus obs/var names, enough for the benchmark files. */
    static ExpressionMatrix readH5ad(Path file) {
        try (HdfFile h = new HdfFile(file)) {
            Dataset x = (Dataset) h.getByPath("X");
            int[] dims = x.getDimensions();
            Object data = x.getData();
            float[] v = new float[dims[0] * dims[1]];
            for (int i = 0; i < dims[0]; i++) {
                Object row = Array.get(data, i);
                for (int j = 0; j < dims[1]; j++) {
                    v[i * dims[1] + j] = ((Number) Array.get(row, j)).floatValue();
                }
            }
            return new ExpressionMatrix(v, names(h, "obs"), names(h, "var"));
        }
    }

    private static List<String> names(HdfFile h, String group) {
        Group g = (Group) h.getByPath(group);
        Object idx = g.getAttribute("_index") == null ? "_index" : g.getAttribute("_index").getData();
        Object d = ((Dataset) g.getChild(idx.toString())).getData();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Array.getLength(d); i++) {
            out.add(Array.get(d, i).toString());
        }
        return out;
    }

    static GrnModel model(String name) {
        return switch (name) {
            case "sem" -> new SemModel();
            case "gnn" -> new GnnModel();
            default -> Models.byName(name);
        };
    }

    public static void main(String[] args) throws IOException {
        GrnModel model = model(args[0]);
        Path root = Path.of(args[1]);
        Map<String, String> params = new HashMap<>();
        List<String> sets = BenchFiles.setsAndParams(args, 2, root, params);
        // seed=N is the run's seed, not a model parameter.
        long seed = Long.parseLong(params.getOrDefault("seed", "0"));
        params.remove("seed");
        // device=cpu|gpu|auto is the run's device (docs/gpu.md), not a model parameter.
        String device = params.getOrDefault("device", "cpu");
        params.remove("device");
        // truths=SET,SET...: score each network against these sets' truths as well (e.g. the other BEELINE set of
        // the same cells, whose expression matrix differs: which matrix a published run used)
        List<String> also = params.containsKey("truths") ? List.of(params.remove("truths").split(",")) : List.of();
        for (String set : sets) {
            Path dir = root.resolve(set);
            long t0 = System.nanoTime();
            ExpressionMatrix data = readH5ad(dir.resolve("data.h5ad"));
            List<String> tfs = Files.readAllLines(dir.resolve("tfs.txt")).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            Truth truth = Evaluation.readTruth(dir.resolve("truth.csv"));
            Network net = model.infer(data, tfs, new InferenceOptions(seed, device, params, List.of()), Progress.NONE);
            double secs = (System.nanoTime() - t0) / 1e9;
            Scores s = Evaluation.score(net, truth);
            System.out.printf("%-34s EPR %6.3f  AUPRCr %6.3f  AUROC %5.3f  %6.1f s%n", set, s.epr(), s.auprcRatio(),
                    s.auroc(), secs);
            for (String other : also) {
                Scores o = Evaluation.score(net, Evaluation.readTruth(root.resolve(other).resolve("truth.csv")));
                System.out.printf("  %-32s EPR %6.3f  AUPRCr %6.3f  AUROC %5.3f  (%s's network, %s's truth)%n", other,
                        o.epr(), o.auprcRatio(), o.auroc(), set, other);
            }
        }
    }
}
