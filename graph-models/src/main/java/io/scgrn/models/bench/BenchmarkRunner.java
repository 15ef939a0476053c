package io.scgrn.models.bench;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.models.CanonicalOrder;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;
import io.scgrn.models.prep.PrepOptions;
import io.scgrn.models.prep.PreparedData;
import io.scgrn.models.prep.Preparation;
import io.scgrn.models.prep.TfLists;
import io.scgrn.models.numerics.Medians;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs models over a folder of benchmark datasets laid out as {@code <dataset>/data.h5ad}, {@code truth.csv},
 * {@code tfs.txt} (the candidate regulators of that dataset) and optionally {@code reference_grnboost2.tsv.gz},
 * and prints one Markdown table: per dataset and model EPR, AUPRC ratio, AUROC and seconds, then per-group medians
 * beside the published medians (from the folder's README.md when present) and every set where a model falls below
 * the {@code pearson} floor.
 *
 * <p>Groups: "beeline STRING+NonSpecific", "beeline Specific", "curated", "sergio" (by folder name), else "other".
 */
public final class BenchmarkRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkRunner.class);

    /** Group names in table order. */
    public static final List<String> GROUPS = List.of("beeline STRING+NonSpecific", "beeline Specific", "curated",
            "sergio", "other");

    private BenchmarkRunner() {
    }

    /**
     * What to run.
     *
     * @param data   the benchmarks folder
     * @param models model names (registry names)
     * @param sets   substrings selecting dataset folders; empty means all
     * @param seed   seed for every model
     * @param params hyper-parameters passed to every model (each model rejects names it does not know)
     * @param prep   preparation options (defaults: TFs + 1,000 genes, normalise only raw counts)
     */
    public record BenchOptions(Path data, List<String> models, List<String> sets, long seed,
                               Map<String, String> params, PrepOptions prep) {
        public BenchOptions {
            models = List.copyOf(models);
            sets = List.copyOf(sets);
            params = Map.copyOf(params);
            prep = prep == null ? PrepOptions.defaults() : prep;
        }
    }

    /** One dataset × model result. */
    /**
     * One dataset × model result.
     *
     * @param seconds    wall seconds of preparation + inference (reading and scoring excluded)
     * @param cpuSeconds process CPU seconds over the same span (all threads): comparable across machine load
     */
    public record Row(String dataset, String group, String model, Scores scores, double seconds, double cpuSeconds,
                      List<String> prepSteps) {
    }

    /** Dataset folders (those holding a truth.csv) under {@code root}, sorted by name. */
    public static List<Path> datasets(Path root) {
        if (!Files.isDirectory(root)) {
            throw new ModelException("data", "benchmark folder " + root + " does not exist");
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("truth.csv"))).sorted().toList();
        } catch (IOException e) {
            throw new ModelException("data", "cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** The group of a dataset folder name. */
    public static String group(String dataset) {
        if (dataset.startsWith("beeline-")) {
            return dataset.contains("-Specific-") ? "beeline Specific" : "beeline STRING+NonSpecific";
        }
        if (dataset.startsWith("curated-")) {
            return "curated";
        }
        if (dataset.startsWith("sergio-")) {
            return "sergio";
        }
        return "other";
    }

    /** Runs every selected model on every selected dataset; one row per pair, in dataset then model order. */
    public static List<Row> run(BenchOptions o, Progress progress) {
        List<GrnModel> models = o.models().stream().map(Models::byName).toList();
        List<Path> sets = datasets(o.data()).stream()
                .filter(p -> o.sets().isEmpty() || o.sets().stream().anyMatch(s -> p.getFileName().toString()
                        .contains(s)))
                .toList();
        if (sets.isEmpty()) {
            throw new ModelException("sets", "no dataset in " + o.data() + " matches " + o.sets());
        }
        List<Row> rows = new ArrayList<>();
        for (Path d : sets) {
            String name = d.getFileName().toString();
            progress.phase(name);
            AnnData a = AnnDataFiles.readH5ad(d.resolve("data.h5ad"));
            List<String> tfs = TfLists.read(d.resolve("tfs.txt"));
            Truth truth = Evaluation.readTruth(d.resolve("truth.csv"));
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            PreparedData prep = Preparation.prepare(a, tfs, o.prep().withSeed(o.seed()));
            // as scgrn infer does (DecoyCalibration): the file's cell and gene order does not change the network
            ExpressionMatrix x = CanonicalOrder.of(prep.matrix());
            double prepSeconds = (System.nanoTime() - t0) / 1e9;
            double prepCpu = (cpuNanos() - c0) / 1e9;
            for (GrnModel m : models) {
                long t1 = System.nanoTime();
                long c1 = cpuNanos();
                Network net = m.infer(x, prep.tfs(), new InferenceOptions(o.seed(), "auto", o.params(),
                        List.of()), progress);
                double seconds = prepSeconds + (System.nanoTime() - t1) / 1e9;
                double cpu = prepCpu + (cpuNanos() - c1) / 1e9;
                Scores s = Evaluation.score(net, truth);
                LOG.info("{} {}: EPR {} AUPRC ratio {} ({} s, {} CPU s)", name, m.name(), f3(s.epr()),
                        f3(s.auprcRatio()), f1(seconds), f1(cpu));
                rows.add(new Row(name, group(name), m.name(), s, seconds, cpu, prep.steps()));
            }
        }
        return rows;
    }

    /** CPU time of this process (all threads), or 0 where the JVM cannot tell. */
    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return Math.max(0, sun.getProcessCpuTime());
        }
        return 0;
    }

    /** Prints the per-dataset table, group medians with the published ones, and pearson-floor violations. */
    public static void printReport(List<Row> rows, PublishedScores published, PrintStream out) {
        List<String> models = rows.stream().map(Row::model).distinct().toList();
        out.println("| dataset | model | EPR | AUPRC ratio | AUROC | seconds | CPU seconds "
                + "| published grnboost2 EPR / AUPRC ratio / s |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            Scores s = r.scores();
            String pub = published.get(r.dataset(), "grnboost2")
                    .map(p -> f3(p.epr()) + " / " + f3(p.auprcRatio()) + " / " + f1(p.seconds())).orElse("–");
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", r.dataset(), r.model(),
                    f3(s.epr()), f3(s.auprcRatio()), f3(s.auroc()), f1(r.seconds()), f1(r.cpuSeconds()), pub);
        }
        out.println();
        printMedians(rows, models, published, out);
        out.println();
        printFloor(rows, models, published, out);
    }

    private static void printMedians(List<Row> rows, List<String> models, PublishedScores published,
                                     PrintStream out) {
        List<String> tools = published.tools();
        StringBuilder head = new StringBuilder("| group |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String m : models) {
            head.append(' ').append(m).append(" |");
            rule.append("---|");
        }
        for (String t : tools) {
            head.append(" published ").append(t).append(" |");
            rule.append("---|");
        }
        out.println("Medians per group: EPR / AUPRC ratio (n sets). Published medians are over the same sets, from"
                + " the README's per-set table.");
        out.println();
        out.println(head);
        out.println(rule);
        for (String g : GROUPS) {
            List<String> sets = rows.stream().filter(r -> r.group().equals(g)).map(Row::dataset).distinct().toList();
            if (sets.isEmpty()) {
                continue;
            }
            StringBuilder line = new StringBuilder("| " + g + " |");
            for (String m : models) {
                List<Scores> s = rows.stream().filter(r -> r.group().equals(g) && r.model().equals(m))
                        .map(Row::scores).toList();
                line.append(' ').append(medianCell(s.stream().mapToDouble(Scores::epr).toArray(),
                        s.stream().mapToDouble(Scores::auprcRatio).toArray())).append(" |");
            }
            for (String t : tools) {
                List<PublishedScores.Published> p = sets.stream().map(d -> published.get(d, t).orElse(null))
                        .filter(x -> x != null).toList();
                line.append(' ').append(medianCell(p.stream().mapToDouble(PublishedScores.Published::epr).toArray(),
                        p.stream().mapToDouble(PublishedScores.Published::auprcRatio).toArray())).append(" |");
            }
            out.println(line);
        }
    }

    private static void printFloor(List<Row> rows, List<String> models, PublishedScores published,
                                   PrintStream out) {
        List<String> violations = new ArrayList<>();
        Map<String, Scores> pearson = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.model().equals("pearson")) {
                pearson.put(r.dataset(), r.scores());
            }
        }
        for (Row r : rows) {
            if (r.model().equals("pearson")) {
                continue;
            }
            double epr;
            double apr;
            String which;
            if (pearson.containsKey(r.dataset())) {
                epr = pearson.get(r.dataset()).epr();
                apr = pearson.get(r.dataset()).auprcRatio();
                which = "pearson";
            } else {
                var p = published.get(r.dataset(), "pearson");
                if (p.isEmpty()) {
                    continue;
                }
                epr = p.get().epr();
                apr = p.get().auprcRatio();
                which = "published pearson";
            }
            // compare at the printed precision, so that a tie in the table is not reported as a loss
            boolean lowEpr = Math.round(r.scores().epr() * 1000) < Math.round(epr * 1000);
            boolean lowApr = Math.round(r.scores().auprcRatio() * 1000) < Math.round(apr * 1000);
            if (lowEpr || lowApr) {
                violations.add(String.format(Locale.ROOT, "- %s on %s: EPR %s vs %s %s, AUPRC ratio %s vs %s",
                        r.model(), r.dataset(), f3(r.scores().epr()), which, f3(epr), f3(r.scores().auprcRatio()),
                        f3(apr)));
            }
        }
        out.println("Pearson-floor violations (EPR or AUPRC ratio below pearson on the same set): "
                + (violations.isEmpty() ? "none" : violations.size()));
        violations.forEach(out::println);
    }

    private static String medianCell(double[] epr, double[] apr) {
        if (epr.length == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f / %.2f (n=%d)", Medians.median(epr), Medians.median(apr), epr.length);
    }

    /** One row of the reference check: our scores of the stored GRNBoost2 predictions against the published ones. */
    public record RefCheck(String dataset, Scores scores, PublishedScores.Published published) {
        /** True when EPR and AUPRC ratio agree with the published numbers to three decimals. */
        public boolean agrees() {
            return published != null && Math.round(scores.epr() * 1000) == Math.round(published.epr() * 1000)
                    && Math.round(scores.auprcRatio() * 1000) == Math.round(published.auprcRatio() * 1000);
        }
    }

    /**
     * Scores each dataset's {@code reference_grnboost2.tsv.gz} and compares with the README's grnboost2 column:
     * the check that {@link Evaluation} computes what the published numbers mean.
     */
    public static List<RefCheck> refCheck(Path root) {
        PublishedScores published = PublishedScores.read(root.resolve("README.md"));
        List<RefCheck> out = new ArrayList<>();
        for (Path d : datasets(root)) {
            Path ref = d.resolve("reference_grnboost2.tsv.gz");
            if (!Files.isRegularFile(ref)) {
                continue;
            }
            Truth truth = Evaluation.readTruth(d.resolve("truth.csv"));
            List<Edge> pred = Evaluation.readPredictions(ref);
            String name = d.getFileName().toString();
            out.add(new RefCheck(name, Evaluation.score(pred, truth),
                    published.get(name, "grnboost2").orElse(null)));
        }
        return out;
    }

    /** Prints the reference check as a Markdown table with a closing count of agreements. */
    public static void printRefCheck(List<RefCheck> rows, PrintStream out) {
        out.println("| dataset | candidates | true | EPR | published EPR | AUPRC ratio | published AUPRC ratio | AUROC "
                + "| agrees to 3 decimals |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        int agree = 0;
        int compared = 0;
        for (RefCheck r : rows) {
            Scores s = r.scores();
            boolean has = r.published() != null;
            compared += has ? 1 : 0;
            agree += has && r.agrees() ? 1 : 0;
            out.printf(Locale.ROOT, "| %s | %d | %d | %.4f | %s | %.4f | %s | %.3f | %s |%n", r.dataset(),
                    s.nCandidates(), s.nTrue(), s.epr(), has ? f3(r.published().epr()) : "–", s.auprcRatio(),
                    has ? f3(r.published().auprcRatio()) : "–", s.auroc(), has ? r.agrees() ? "yes" : "NO" : "–");
        }
        out.println();
        out.println("Agreement: " + agree + " of " + compared + " sets with published numbers.");
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
