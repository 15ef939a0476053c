package io.scgrn.models.calibration;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.bench.BenchmarkRunner;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;
import io.scgrn.models.numerics.CountSampler;
import io.scgrn.models.prep.PrepOptions;
import io.scgrn.models.prep.PreparedData;
import io.scgrn.models.prep.Preparation;
import io.scgrn.models.prep.TfLists;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Calibration benchmark (docs/benchmarks.md, "Calibration"): for each benchmark set and model, the network with
 * q-values (default decoys) against the truth, the same model without decoys (does calibration change the ranking?),
 * and the same prepared matrix with every gene's cells permuted (no structure: the network at FDR 0.05 must be
 * empty). Also independent-gene noise data. Prints one markdown row per set × model.
 *
 * <pre>
 * java -cp CP io.scgrn.models.calibration.CalibrationBench /work/shared/benchmarks pearson,gnn [set-substring...]
 * </pre>
 * Preparation as {@code scgrn bench} (TFs + 1,000 most variable genes, seed 0). {@code -Dstrata=N}: cells per
 * cell-state stratum of the null (0, the default: plain permutation over all cells); {@code -Dfraction=F},
 * {@code -DminDecoys=N}: decoy counts other than the defaults.
 */
public final class CalibrationBench {
    private static final DecoyCalibration.Settings SETTINGS = new DecoyCalibration.Settings(
            Double.parseDouble(System.getProperty("fraction", "" + DecoyCalibration.Settings.defaults().fraction())),
            Integer.getInteger("minDecoys", DecoyCalibration.Settings.defaults().minDecoys()),
            DecoyCalibration.Settings.defaults().maxDecoys(), Integer.getInteger("strata", 0));

    private CalibrationBench() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        List<String> models = List.of(args[1].split(","));
        List<String> filter = List.of(args).subList(2, args.length);
        System.out.println("| dataset | model | edges q≤0.05 / q≤0.10 | precision q≤0.05 / q≤0.10 (density) "
                + "| EPR / AUPRC r with decoys | EPR / AUPRC r without | permuted: edges q≤0.05 / q≤0.10 "
                + "| s with / without decoys |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        if (filter.isEmpty() || filter.contains("noise")) {
            noise(models);
        }
        for (Path d : BenchmarkRunner.datasets(root)) {
            String name = d.getFileName().toString();
            if (!filter.isEmpty() && filter.stream().noneMatch(name::contains)) {
                continue;
            }
            AnnData a = AnnDataFiles.readH5ad(d.resolve("data.h5ad"));
            List<String> tfs = TfLists.read(d.resolve("tfs.txt"));
            Truth truth = Evaluation.readTruth(d.resolve("truth.csv"));
            PreparedData prep = Preparation.prepare(a, tfs, PrepOptions.defaults().withSeed(0));
            for (String m : models) {
                if (System.getProperty("seeds") != null) {
                    seeds(name, m, prep.matrix(), prep.tfs(), truth);
                } else {
                    row(name, m, prep.matrix(), prep.tfs(), truth);
                }
            }
        }
    }

    /** Independent genes: 600 cells × 1,000 genes (100 of them TFs), log1p of Poisson counts with gene-wise rates. */
    static void noise(List<String> models) {
        int n = 600;
        int g = 1000;
        Random rnd = new Random(42);
        double[] rate = new double[g];
        for (int j = 0; j < g; j++) {
            rate[j] = Math.exp(rnd.nextGaussian() - 0.5);
        }
        float[] x = new float[n * g];
        List<String> cells = new ArrayList<>();
        List<String> genes = new ArrayList<>();
        List<String> tfs = new ArrayList<>();
        for (int j = 0; j < g; j++) {
            genes.add("G" + j);
            if (j < 100) {
                tfs.add("G" + j);
            }
        }
        CountSampler counts = new CountSampler(rnd);
        for (int c = 0; c < n; c++) {
            cells.add("c" + c);
            for (int j = 0; j < g; j++) {
                x[c * g + j] = (float) Math.log1p(counts.poisson(rate[j]));
            }
        }
        ExpressionMatrix data = new ExpressionMatrix(x, cells, genes);
        for (String m : models) {
            long t0 = System.nanoTime();
            DecoyCalibration.Result r = DecoyCalibration.infer(Models.byName(m), data, tfs,
                    InferenceOptions.defaults(), Progress.NONE, SETTINGS);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "| noise 600 cells × 1,000 independent genes (100 TFs) | %s | %d / %d | – | – "
                    + "| – | (is itself null) | %.1f / – |%n", m, r.summary().atFdr05(), r.summary().atFdr10(), s);
        }
    }

    static void row(String name, String model, ExpressionMatrix data, List<String> tfs, Truth truth) {
        GrnModel m = Models.byName(model);
        InferenceOptions o = InferenceOptions.defaults();
        long t0 = System.nanoTime();
        DecoyCalibration.Result r = DecoyCalibration.infer(m, data, tfs, o, Progress.NONE,
                SETTINGS);
        double sWith = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        Network plain = Models.byName(model).infer(data, tfs, o, Progress.NONE);
        double sWithout = (System.nanoTime() - t1) / 1e9;
        Scores with = Evaluation.score(r.network(), truth);
        Scores without = Evaluation.score(plain, truth);
        DecoyCalibration.Result nul = DecoyCalibration.infer(Models.byName(model),
                DecoyCalibrationTest.permuted(data, 99), tfs, o, Progress.NONE, SETTINGS);
        System.out.printf(Locale.ROOT, "| %s | %s | %d / %d | %s / %s (%.3f) | %.3f / %.3f | %.3f / %.3f | %d / %d "
                        + "| %.1f / %.1f |%n", name, model, r.summary().atFdr05(), r.summary().atFdr10(),
                precision(r.network(), truth, 0.05), precision(r.network(), truth, 0.10),
                truth.nTrue() / (double) truth.nCandidates(), with.epr(), with.auprcRatio(), without.epr(),
                without.auprcRatio(), nul.summary().atFdr05(), nul.summary().atFdr10(), sWith, sWithout);
    }

    /**
     * {@code -Dseeds=0,1,2}: EPR without and with decoys for each seed, to tell the decoys' effect on the ranking
     * from the model's own seed-to-seed variation.
     */
    static void seeds(String name, String model, ExpressionMatrix data, List<String> tfs, Truth truth) {
        StringBuilder plain = new StringBuilder();
        StringBuilder with = new StringBuilder();
        for (String seed : System.getProperty("seeds").split(",")) {
            InferenceOptions o = new InferenceOptions(Long.parseLong(seed), "auto", Map.of(), List.of());
            plain.append(String.format(Locale.ROOT, " %.3f", Evaluation.score(Models.byName(model).infer(data, tfs,
                    o, Progress.NONE), truth).epr()));
            with.append(String.format(Locale.ROOT, " %.3f", Evaluation.score(DecoyCalibration.infer(
                    Models.byName(model), data, tfs, o, Progress.NONE, SETTINGS).network(), truth).epr()));
        }
        System.out.printf(Locale.ROOT, "| %s | %s | seeds %s | EPR without decoys:%s | with decoys:%s |%n", name,
                model, System.getProperty("seeds"), plain, with);
    }

    /** Precision among called edges (q ≤ maxQ) that are BEELINE candidates: "hits / called", "–" when none. */
    static String precision(Network net, Truth truth, double maxQ) {
        Set<String> sources = Set.copyOf(truth.sources());
        Set<String> genes = Set.copyOf(truth.genes());
        int called = 0;
        int hits = 0;
        for (Edge e : net.edges()) {
            if (e.q() <= maxQ && sources.contains(e.tf()) && genes.contains(e.target()) && !e.tf().equals(e.target())) {
                called++;
                hits += truth.contains(e.tf(), e.target()) ? 1 : 0;
            }
        }
        return called == 0 ? "– (0)" : String.format(Locale.ROOT, "%.3f (%d/%d)", hits / (double) called, hits,
                called);
    }
}
