package io.scgrn.app.cli;

import io.scgrn.anndata.AnnDataException;
import io.scgrn.app.run.InferPipeline;
import io.scgrn.models.Edge;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;
import io.scgrn.models.prep.TfLists;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scgrn evaluate}: BEELINE scores of a predicted network against true edges. */
@Command(name = "evaluate", sortOptions = false,
        description = {"Score predicted edges against true edges with BEELINE's metrics: EPR (early precision "
                + "ratio), AUPRC ratio, AUROC, AUPRC and early precision.",
            "Candidates are every (TF, gene) pair with TF among the truth's sources and gene among the truth's "
                    + "genes, self-loops excluded; scores are used by absolute value."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseMixin verbose;

    @Option(names = "--pred", required = true, paramLabel = "EDGES",
            description = "Predicted edges: TSV/CSV with header tf|source, target, score (gzip ok), e.g. network.tsv.")
    Path pred;

    @Option(names = "--truth", required = true, paramLabel = "TRUTH.csv",
            description = "True edges: CSV with header Gene1,Gene2 (TF, target).")
    Path truth;

    @Option(names = "--tfs", paramLabel = "FILE",
            description = "Only score predictions whose regulator is in this list (one per line or CSV first column).")
    Path tfs;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        for (Path p : new Path[] {pred, truth, tfs}) {
            requireReadable(p);
        }
        Truth t = Evaluation.readTruth(truth);
        List<Edge> edges = Evaluation.readPredictions(pred);
        int before = edges.size();
        if (tfs != null) {
            Set<String> keep = new HashSet<>(TfLists.read(tfs));
            edges = edges.stream().filter(e -> keep.contains(e.tf())).toList();
        }
        Scores s = Evaluation.score(edges, t);
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> m = toMap(s);
        m.put("n_predictions", before);
        m.put("n_predictions_used", edges.size());
        if (json) {
            out.println(new JsonObject(m).encodePrettily());
        } else {
            out.printf(Locale.ROOT, "EPR             %.4f%n", s.epr());
            out.printf(Locale.ROOT, "AUPRC ratio     %.4f%n", s.auprcRatio());
            out.printf(Locale.ROOT, "AUROC           %.4f%n", s.auroc());
            out.printf(Locale.ROOT, "AUPRC           %.4f%n", s.auprc());
            out.printf(Locale.ROOT, "early precision %.4f%n", s.earlyPrecision());
            out.printf(Locale.ROOT, "density         %.4f  (%d true edges / %d candidates)%n", s.density(), s.nTrue(),
                    s.nCandidates());
            out.printf(Locale.ROOT, "predictions     %d%s%n", before,
                    tfs == null ? "" : " (" + edges.size() + " with a regulator from " + tfs + ")");
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The scores as snake_case keys, shared with the manifest and batch summaries. */
    public static Map<String, Object> toMap(Scores s) {
        // Same keys and order as InferPipeline.scoreMap, but the counts stay integers in evaluate's output.
        Map<String, Object> m = new LinkedHashMap<>(InferPipeline.scoreMap(s));
        m.put("n_true", s.nTrue());
        m.put("n_candidates", s.nCandidates());
        return m;
    }

    static void requireReadable(Path p) {
        if (p != null && !Files.isReadable(p)) {
            throw new AnnDataException(p, null, Files.exists(p) ? "not readable" : "no such file");
        }
    }
}
