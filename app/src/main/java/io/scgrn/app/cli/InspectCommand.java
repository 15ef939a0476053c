package io.scgrn.app.cli;

import io.scgrn.anndata.AnnDataException;
import io.scgrn.anndata.MatrixBlocks;
import io.scgrn.anndata.QcStats;
import io.scgrn.anndata.Summaries;
import io.scgrn.anndata.Summary;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scgrn inspect}: what is in a .h5ad / .h5mu / 10x .h5 file. */
@Command(name = "inspect", sortOptions = false,
        description = {"Summarise a .h5ad, .h5mu or 10x .h5 file: shape per modality, X encoding, dtype and "
                + "density, obs/var columns, layers/obsm/varm/obsp/varp/uns keys, encoding versions. Matrices are "
                + "described from metadata, so any file size works.",
            "With --json the summary is one JSON object with n_obs, n_vars and modalities {name: {...}}."})
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseMixin verbose;

    @Parameters(index = "0", paramLabel = "FILE", description = "File to inspect.")
    Path file;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--stats", description = "Also stream every value of each X (in blocks of rows: bounded memory) "
            + "and report per-cell and per-gene totals, detected (non-zero) counts and stored entries: min, "
            + "median, mean, max.")
    boolean stats;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            throw new AnnDataException(file, null, Files.exists(file) ? "not a regular file" : "no such file");
        }
        Summary summary = Summaries.summarizeFile(file);
        Map<String, Object> report = InspectReport.of(summary);
        Map<String, Map<String, Object>> statsByMod = stats ? stats(summary) : Map.of();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            if (stats) {
                report.put("stats", statsByMod);
            }
            out.println(new JsonObject(report).encodePrettily());
        } else {
            out.print(InspectReport.text(report));
            statsByMod.forEach((k, v) -> out.print(InspectReport.statsText(k, v)));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** One streamed pass per matrix: each modality's X, or the whole feature matrix of a 10x file. */
    private Map<String, Map<String, Object>> stats(Summary s) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (s.kind().startsWith("10x")) {
            String path = MatrixBlocks.mainMatrixPath(file);
            try (MatrixBlocks b = MatrixBlocks.open(file, path)) {
                out.put("matrix", InspectReport.stats(path, QcStats.compute(b, QcStats.DEFAULT_BLOCK_ROWS)));
            }
            return out;
        }
        for (Summary.Modality m : s.modalities()) {
            if (m.x() == null) {
                continue;
            }
            String path = "h5ad".equals(s.kind()) ? "/X" : "/mod/" + m.name() + "/X";
            try (MatrixBlocks b = MatrixBlocks.open(file, path)) {
                out.put(m.name(), InspectReport.stats(path, QcStats.compute(b, QcStats.DEFAULT_BLOCK_ROWS)));
            }
        }
        return out;
    }
}
