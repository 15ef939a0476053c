package io.scgrn.app.cli;

import io.scgrn.app.batch.ClusterBackend;
import io.scgrn.app.run.atac.AtacOptions;
import io.scgrn.app.errors.BadRequestException;
import io.scgrn.app.run.InferPipeline;
import io.scgrn.app.run.InferRequest;
import io.scgrn.app.run.InferResult;
import io.scgrn.app.run.ScgrnConfig;
import io.scgrn.models.Edge;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scgrn infer}: one file to a ranked TF → target network, regulons and a manifest. */
@Command(name = "infer", sortOptions = false,
        description = {"Infer a gene regulatory network (TF -> target) from a single-cell file.",
            "Writes network.tsv, network.arrow, regulons.tsv, result.h5ad and manifest.json into the output "
                    + "folder (with --groupby also groups/<group>/network.tsv and network_diff.tsv). Outputs "
                    + "appear all at once at the end: a failed or interrupted run leaves none."})
public final class InferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseMixin verbose;

    @Parameters(index = "0", paramLabel = "FILE", description = "Input .h5ad, .h5mu or 10x .h5 file.")
    Path input;

    @Option(names = {"-m", "--model"}, paramLabel = "NAME",
            description = "Model (default: the default model; see configs/scgrn-defaults.yaml).")
    String model;

    @ArgGroup(exclusive = true)
    Regulators regulators = new Regulators();

    static final class Regulators {
        @Option(names = "--tfs", paramLabel = "FILE",
                description = "Candidate regulators, one per line (or a CSV whose first column is the TF).")
        Path tfsFile;

        @Option(names = "--species", paramLabel = "human|mouse|auto",
                description = "Use the bundled TF list of this species (default: auto, from gene-name case).")
        String species;
    }

    @Option(names = "--groupby", paramLabel = "COL",
            description = "Also infer one network per category of this obs column, and their differences.")
    String groupby;

    @Option(names = "--layer", paramLabel = "NAME", description = "Use this layer (or 'raw' for raw.X) instead of X.")
    String layer;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", description = "Compute device (default: ${DEFAULT-VALUE}):"
            + " auto = a GPU when PyTorch can use one, else the CPU; gpu = fail with exit code 6 when none can be used"
            + " (docs/gpu.md).")
    String device = "auto";

    @Option(names = "--fdr", paramLabel = "Q",
            description = "Keep only edges whose q-value (estimated false-discovery rate, column q) is at most Q, "
                    + "0 < Q <= 1.")
    Double fdr;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Model hyper-parameter, repeatable (e.g. --param epochs=200).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--prep", paramLabel = "KEY=VALUE", description = "Preparation option, repeatable.")
    Map<String, String> prepParams = new LinkedHashMap<>();

    @Option(names = "--prior", paramLabel = "FILE", description = "Prior TF -> target edges (tf, target[, score]).")
    Path prior;

    @Option(names = "--train-edges", paramLabel = "FILE",
            description = "Known TF -> target edges for supervised link prediction (held-out edges are scored).")
    Path trainEdges;

    @Option(names = "--truth", paramLabel = "FILE",
            description = "True edges (CSV header Gene1,Gene2): score the network and record it in the manifest.")
    Path truth;

    @Option(names = "--rna-mod", paramLabel = "NAME", description = "Expression modality of a .h5mu / 10x file.")
    String rnaMod;

    @Option(names = "--atac-mod", paramLabel = "NAME", description = "Accessibility modality of a .h5mu file.")
    String atacMod;

    @Option(names = "--atac", paramLabel = "auto|on|off", description = "Use scATAC data (default: ${DEFAULT-VALUE}).")
    String atacMode = "auto";

    @Option(names = "--atac-file", paramLabel = "FILE",
            description = "scATAC peaks in a separate .h5ad (or .h5mu/10x), paired with FILE by cell barcode.")
    Path atacFile;

    @Option(names = "--genes", paramLabel = "GTF|BED",
            description = "Gene positions for peak-gene linking (default: the RNA var interval or chrom/start/end "
                    + "columns).")
    Path genesFile;

    @Option(names = "--motifs", paramLabel = "FILE",
            description = "TF binding evidence per peak: TSV with columns peak, tf[, score], or a peaks x TFs table. "
                    + "Without it, TF expression-accessibility correlation is used (weaker).")
    Path motifsFile;

    @Option(names = "--genome", paramLabel = "FASTA",
            description = "Genome FASTA (.fa, bgzip or gzip .fa.gz) of the peaks: scan the peaks' sequences for "
                    + "motifs (bundled JASPAR 2024 vertebrates unless --motif-db) and use the hits as TF binding "
                    + "evidence. The scan is cached in .scgrn-cache next to the output folder.")
    Path genomeFile;

    @Option(names = "--motif-db", paramLabel = "FILE", description = "Motif database for --genome: JASPAR or MEME "
            + "format (default: the bundled JASPAR 2024 CORE vertebrates non-redundant).")
    Path motifDb;

    @Option(names = "--motif-p", paramLabel = "P",
            description = "p-value threshold of a motif hit per position and strand (default: 1e-4).")
    double motifP = Double.NaN;

    @Option(names = "--atac-param", paramLabel = "KEY=VALUE",
            description = "Multiome option, repeatable: window, metacells, metacell-size, dims, rna-weight, "
                    + "p-threshold, min-corr, min-tf-peak, prior-floor.")
    Map<String, String> atacParams = new LinkedHashMap<>();

    @Option(names = "--top-targets", paramLabel = "N",
            description = "Most targets per regulon (default: ${DEFAULT-VALUE}).")
    int topTargets = InferRequest.DEFAULT_REGULON_TARGETS;

    @Option(names = "--no-h5ad", description = "Do not write result.h5ad.")
    boolean noH5ad;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Output folder (default: scgrn-out/<file name without extension>).")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file overriding the embedded defaults.")
    Path config;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "With --groupby: infer the groups' networks on a Spark cluster (spark://host:7077, "
                    + "local[N]); same networks as without it.")
    String spark;

    /** Builds the pipeline request from the options and the configuration's infer defaults. */
    InferRequest request(ScgrnConfig cfg) {
        String m = model != null ? model : cfg.get("infer.model", "default");
        String sp = regulators.species != null ? regulators.species : cfg.get("infer.species", "auto");
        return InferRequest.builder(input)
                .model("default".equals(m) ? null : m)
                .tfsFile(regulators.tfsFile)
                .species(regulators.tfsFile != null ? null : sp)
                .groupby(groupby)
                .layer(layer)
                .device(device)
                .fdr(fdr)
                .seed(seed)
                .params(params)
                .prepParams(prepParams)
                .prior(prior)
                .trainEdges(trainEdges)
                .truth(truth)
                .atac(new AtacOptions(atacMode, rnaMod, atacMod, atacFile, genesFile, motifsFile, atacParams)
                        .withGenome(genomeFile, motifDb, motifP))
                .topRegulonTargets(topTargets)
                .writeH5ad(!noH5ad)
                .outDir(out)
                .build();
    }

    @Override
    public Integer call() throws Exception {
        ScgrnConfig cfg = ScgrnConfig.load(config);
        InferRequest req = request(cfg);
        PrintWriter err = spec.commandLine().getErr();
        ProgressPrinter progress = ProgressPrinter.forConsole(err, quiet);
        // Ctrl-C: ask the pipeline to stop and wait for it to remove its temporary output before the JVM exits.
        CtrlC ctrlC = new CtrlC(progress);
        InferResult result;
        ClusterBackend.Cluster cluster = null;
        try {
            InferPipeline pipeline = new InferPipeline(cfg);
            if (spark != null) {
                cluster = ClusterBackend.find("spark").orElseThrow(() -> new BadRequestException(
                        "spark", "--spark needs the spark module: build it (mvn -B -DskipTests package) and run "
                        + "through app/bin/scgrn, which adds spark/target/lib for --spark"))
                        .connect(spark, "scgrn infer " + input.getFileName());
                pipeline = pipeline.withGroupInference(cluster.groupInference());
            }
            result = pipeline.execute(req, progress);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            ctrlC.close();
        }
        printSummary(result, spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    private void printSummary(InferResult r, PrintWriter out) {
        long total = r.timingsMs().values().stream().mapToLong(Long::longValue).sum();
        out.printf("%d cells x %d genes, %d TFs; model %s on %s; %d edges in %.1f s%n", r.nCells(), r.nGenes(),
                r.nTfs(), r.model(), r.device(), r.network().size(), total / 1000.0);
        long at05 = r.network().edges().stream().filter(e -> e.q() <= 0.05).count();
        if (r.network().edges().stream().anyMatch(e -> !Double.isNaN(e.q()))) {
            out.printf("edges at FDR 5 %%: %d, at 10 %%: %d (column q)%n", at05,
                    r.network().edges().stream().filter(e -> e.q() <= 0.10).count());
        }
        if (!r.groupNetworks().isEmpty()) {
            out.printf("groups: %s%n", String.join(", ", r.groupNetworks().keySet()));
        }
        if (!r.scores().isEmpty()) {
            out.printf("scores vs truth: %s%n", r.scores());
        }
        if (!quiet) {
            out.println("top edges:");
            out.println("  tf\ttarget\tscore\tsign");
            for (Edge e : r.network().top(10).edges()) {
                out.printf("  %s\t%s\t%.4g\t%+d%n", e.tf(), e.target(), e.score(), e.sign());
            }
        }
        out.printf("wrote %s%n", r.outDir());
        r.files().keySet().stream().filter(n -> !n.contains("/")).forEach(n -> out.printf("  %s%n", n));
        out.flush();
    }
}
