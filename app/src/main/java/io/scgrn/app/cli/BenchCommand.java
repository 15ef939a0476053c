package io.scgrn.app.cli;

import io.scgrn.app.errors.BadRequestException;
import io.scgrn.models.Models;
import io.scgrn.models.bench.BenchmarkRunner;
import io.scgrn.models.bench.PublishedScores;
import io.scgrn.models.prep.PrepOptions;
import io.scgrn.models.ModelException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scgrn bench}: models × benchmark sets → one score table (graph-models' BenchmarkRunner). */
@Command(name = "bench", sortOptions = false,
        description = {"Run models over a folder of GRN benchmark sets and print EPR, AUPRC ratio, AUROC and "
                + "seconds per set and model, with group medians and the published scores from DIR/README.md.",
            "Each set is a sub-folder with data.h5ad (cells x genes), truth.csv (Gene1,Gene2) and tfs.txt."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseMixin verbose;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of benchmark sets.")
    Path dir;

    @Option(names = "--models", split = ",", paramLabel = "a,b,c",
            description = "Models to run (default: ${DEFAULT-VALUE}).")
    List<String> models = new ArrayList<>(List.of("pearson", "spearman", "grnboost"));

    @Option(names = "--sets", split = ",", paramLabel = "s1,s2",
            description = "Only sets whose folder name contains one of these.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Seed for every model (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "Hyper-parameter passed to every model, repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--prep", paramLabel = "KEY=VALUE", description = "Preparation option, repeatable.")
    Map<String, String> prep = new LinkedHashMap<>();

    @Option(names = "--ref-check", description = "Only score each set's reference_grnboost2.tsv.gz against the "
            + "published GRNBoost2 numbers (checks the metrics).")
    boolean refCheck;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new BadRequestException("DIR", dir + " is not a folder");
        }
        for (String m : models) {
            if (!Models.names().contains(m)) {
                throw new BadRequestException("models", "unknown model '" + m + "'; available: "
                        + String.join(", ", Models.names()));
            }
        }
        PrepOptions prepOptions;
        try {
            prepOptions = PrepOptions.fromParams(null, seed, prep);
        } catch (ModelException e) {
            throw new BadRequestException("prep", e.getMessage(), e);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            if (refCheck) {
                BenchmarkRunner.printRefCheck(BenchmarkRunner.refCheck(dir), ps);
            } else {
                ProgressPrinter progress = ProgressPrinter.forConsole(spec.commandLine().getErr(), quiet);
                try {
                    List<BenchmarkRunner.Row> rows = BenchmarkRunner.run(new BenchmarkRunner.BenchOptions(dir, models,
                            sets, seed, params, prepOptions), progress);
                    BenchmarkRunner.printReport(rows, PublishedScores.read(dir.resolve("README.md")), ps);
                } finally {
                    progress.finish();
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(buf.toString(StandardCharsets.UTF_8));
        out.flush();
        return ExitCodes.OK;
    }
}
