package io.scgrn.models.bench;

import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs models over a folder of benchmark datasets and prints one Markdown table.
 */
public final class BenchmarkRunner {
    private BenchmarkRunner() {
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

    /** One row of the reference check: our scores of the stored GRNBoost2 predictions against the published ones. */
    public record RefCheck(String dataset, Scores scores, PublishedScores.Published published) {
        /** True when EPR and AUPRC ratio agree with the published numbers to three decimals. */
        public boolean agrees() {
            return published != null && round3(scores.epr()) == round3(published.epr())
                    && round3(scores.auprcRatio()) == round3(published.auprcRatio());
        }
    }

    static long round3(double v) {
        return Math.round(v * 1000);
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

    static void printRefCheck(List<RefCheck> rows, PrintStream out) {
        out.println("| dataset | candidates | true | EPR | published EPR | AUPRC ratio | published AUPRC ratio | AUROC "
                + "| agrees to 3 decimals |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (RefCheck r : rows) {
            Scores s = r.scores();
            out.printf(Locale.ROOT, "| %s | %d | %d | %.4f | %s | %.4f | %s | %.3f | %s |%n", r.dataset(),
                    s.nCandidates(), s.nTrue(), s.epr(), r.published() == null ? "–" : fmt(r.published().epr()),
                    s.auprcRatio(), r.published() == null ? "–" : fmt(r.published().auprcRatio()), s.auroc(),
                    r.published() == null ? "–" : r.agrees() ? "yes" : "NO");
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : "/work/shared/benchmarks");
        printRefCheck(refCheck(root), System.out);
    }
}
