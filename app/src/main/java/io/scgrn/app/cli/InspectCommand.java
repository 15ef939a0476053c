package io.scgrn.app.cli;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataException;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.MuData;
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
                + "density, obs/var columns, obsm/layers/uns keys.",
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

    @Option(names = "--stats", description = "Also read every value of X and report per-cell and per-gene totals, "
            + "detected counts and stored non-zeros (min, median, mean, max).")
    boolean stats;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            throw new AnnDataException(file, null, Files.exists(file) ? "not a regular file" : "no such file");
        }
        MuData md = AnnDataFiles.readAny(file);
        Map<String, Object> report = InspectReport.of(md);
        Map<String, Map<String, Object>> statsByMod = new LinkedHashMap<>();
        if (stats) {
            for (Map.Entry<String, AnnData> e : md.mod().entrySet()) {
                if (e.getValue().x() != null) {
                    statsByMod.put(e.getKey(), QcStats.of(e.getValue().x()).toMap());
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            if (stats) {
                @SuppressWarnings("unchecked")
                Map<String, Object> mods = (Map<String, Object>) report.get("modalities");
                statsByMod.forEach((k, v) -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> mod = (Map<String, Object>) mods.get(k);
                    mod.put("stats", v);
                });
            }
            out.println(toJson(report).encodePrettily());
        } else {
            out.print(InspectReport.text(report));
            statsByMod.forEach((k, v) -> out.print(QcStats.text(k, v)));
        }
        out.flush();
        return ExitCodes.OK;
    }

    static JsonObject toJson(Map<String, Object> m) {
        return new JsonObject(m);
    }
}
