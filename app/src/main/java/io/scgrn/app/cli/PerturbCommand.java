package io.scgrn.app.cli;

import io.scgrn.app.errors.BadRequestException;
import io.scgrn.app.run.PerturbPipeline;
import io.scgrn.app.run.PerturbRequest;
import io.scgrn.models.ModelException;
import io.scgrn.models.perturb.InSilicoPerturbation;
import io.scgrn.models.perturb.PerturbOptions;
import io.scgrn.models.perturb.Perturbation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scgrn perturb}: in-silico knock-out / over-expression of regulators, CellOracle-style. */
@Command(name = "perturb", sortOptions = false,
        description = {"Predict where cells go when regulators are knocked out or set to a level: per-group ridge "
                + "models of each target on its network regulators, the change propagated --steps times through "
                + "them, and the predicted shifts turned into transition arrows on the cells' 2-D embedding.",
            "Writes perturb.h5ad (X = expression used, layers/delta_X = predicted shift, obsm/X_perturb_vectors), "
                    + "genes.tsv, groups.tsv, arrows.tsv, cells.tsv and manifest.json, all at once at the end.",
            "Example: scgrn infer data.h5ad -o out && scgrn perturb data.h5ad --network out --ko GATA1 "
                    + "--groupby cell_type"})
public final class PerturbCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseMixin verbose;

    @Parameters(index = "0", paramLabel = "FILE", description = "The cells: .h5ad, .h5mu or 10x .h5.")
    Path input;

    @Option(names = {"-n", "--network"}, required = true, paramLabel = "DIR",
            description = "Output folder of scgrn infer on these cells (its network.tsv), or a network TSV.")
    Path network;

    @Option(names = "--ko", paramLabel = "TF", description = "Knock this regulator out (level 0). Repeatable.")
    List<String> ko = new ArrayList<>();

    @Option(names = "--set", paramLabel = "TF=VALUE",
            description = "Set this regulator to VALUE (log-normalised units, within its observed range). Repeatable; "
                    + "all perturbations apply together.")
    List<String> set = new ArrayList<>();

    @Option(names = "--groupby", paramLabel = "COL",
            description = "Fit one model per category of this obs column (default: one model for all cells).")
    String groupby;

    @Option(names = "--steps", paramLabel = "N", description = "Propagation steps (default: ${DEFAULT-VALUE}).")
    int steps = PerturbOptions.STEPS;

    @Option(names = "--max-regulators", paramLabel = "K",
            description = "Most regulators per target, best network edges first (default: ${DEFAULT-VALUE}).")
    int maxRegulators = PerturbOptions.defaults().maxRegulators();

    @Option(names = "--neighbours", paramLabel = "K",
            description = "Embedding neighbours per cell for the transitions, 30%% of them sampled (default: "
                    + "${DEFAULT-VALUE}).")
    int neighbours = PerturbOptions.defaults().neighbours();

    @Option(names = "--embedding", paramLabel = "KEY",
            description = "obsm key of the 2-D embedding (default: X_umap, X_tsne, X_draw_graph_fa or X_pca, "
                    + "else a PCA is computed).")
    String embedding;

    @Option(names = "--layer", paramLabel = "NAME", description = "Use this layer (or 'raw' for raw.X) instead of X.")
    String layer;

    @Option(names = "--rna-mod", paramLabel = "NAME", description = "Expression modality of a .h5mu / 10x file.")
    String rnaMod;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Output folder (default: scgrn-out/<file name>/perturb-<perturbations>).")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    PerturbRequest request() {
        List<Perturbation> ps = new ArrayList<>();
        try {
            ko.forEach(g -> ps.add(Perturbation.ko(g.trim())));
            for (String s : set) {
                ps.add(Perturbation.parse(s));
            }
        } catch (ModelException e) {
            throw new BadRequestException(set.isEmpty() ? "ko" : "set", e.getMessage().substring(
                    e.field().length() + 2));
        }
        return new PerturbRequest(input, network, ps, groupby, layer, rnaMod, embedding, steps, maxRegulators,
                neighbours, seed, out);
    }

    @Override
    public Integer call() {
        PerturbRequest req = request();
        PrintWriter err = spec.commandLine().getErr();
        ProgressPrinter progress = ProgressPrinter.forConsole(err, quiet);
        CtrlC ctrlC = new CtrlC(progress);
        PerturbPipeline.Result r;
        try {
            r = new PerturbPipeline().execute(req, progress);
        } finally {
            ctrlC.close();
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%s: %d cells x %d network genes, embedding %s, %.1f s%n", req.label(), r.nCells(), r.nGenes(),
                r.embeddingName(), r.seconds());
        o.println("groups (mean shift, arrow, moves to):");
        for (InSilicoPerturbation.GroupSummary g : r.groups()) {
            o.printf(Locale.ROOT, "  %s\t%d cells\t%.3g\t(%+.3f, %+.3f)\t%s%n", g.group(), g.cells(), g.meanShift(),
                    g.meanDx(), g.meanDy(), g.toGroup().isEmpty() ? "-" : g.toGroup()
                            + String.format(Locale.ROOT, " (%+.3f)", g.toFlow()));
        }
        o.println("genes that shift most (mean delta):");
        for (InSilicoPerturbation.GeneSummary g : r.topGenes()) {
            o.printf(Locale.ROOT, "  %s\t%+.4g%n", g.gene(), g.meanDelta());
        }
        o.printf("wrote %s%n", r.outDir());
        r.files().keySet().forEach(n -> o.printf("  %s%n", n));
        o.flush();
        return ExitCodes.OK;
    }
}
