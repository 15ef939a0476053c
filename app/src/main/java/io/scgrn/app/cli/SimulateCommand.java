package io.scgrn.app.cli;

import io.scgrn.anndata.H5adWriter;
import io.scgrn.anndata.H5muWriter;
import io.scgrn.app.errors.BadRequestException;
import io.scgrn.models.ModelException;
import io.scgrn.models.motif.MotifDatabase;
import io.scgrn.models.motif.MotifMatrix;
import io.scgrn.models.sim.Counterfactual;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.SimulatedGenome;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;
import java.io.PrintWriter;
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
import picocli.CommandLine.Spec;

/** {@code scgrn simulate}: a multiome (RNA + ATAC) dataset from a known GRN, with its truth. */
@Command(name = "simulate", sortOptions = false,
        description = {"Simulate paired scRNA + scATAC data (.h5mu, modalities rna and atac) from a known TF -> target "
                + "network in which regulation needs the target's enhancer to be open.",
            "Next to the file it writes truth.csv (Gene1,Gene2 = TF,target), peak_gene_truth.tsv, tfs.txt, "
                    + "genes.bed (gene positions) and motifs.tsv (a simulated motif scan with false hits).",
            "Example: scgrn simulate --out sim/data.h5mu && scgrn infer sim/data.h5mu --tfs sim/tfs.txt "
                    + "--motifs sim/motifs.tsv --truth sim/truth.csv",
            "With a genome: scgrn simulate --out sim/data.h5mu --genome-out sim/genome.fa && scgrn infer "
                    + "sim/data.h5mu --tfs sim/tfs.txt --genome sim/genome.fa --truth sim/truth.csv"})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseMixin verbose;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.h5mu", description = "Output .h5mu file.")
    Path out;

    @Option(names = "--cells", paramLabel = "N", description = "Cells (default: ${DEFAULT-VALUE}).")
    int cells = 1000;

    @Option(names = "--genes", paramLabel = "G", description = "Genes, TFs included (default: ${DEFAULT-VALUE}).")
    int genes = 300;

    @Option(names = "--peaks", paramLabel = "P",
            description = "Peaks: promoters + enhancers + distractors (default: ${DEFAULT-VALUE}).")
    int peaks = 3000;

    @Option(names = "--tfs", paramLabel = "T", description = "TFs (default: ${DEFAULT-VALUE}).")
    int tfs = 30;

    @Option(names = "--cell-types", paramLabel = "K", description = "Cell types (default: ${DEFAULT-VALUE}).")
    int cellTypes = 4;

    @Option(names = "--dropout", paramLabel = "D",
            description = "Extra zero-inflation of RNA counts, 0..1 (default: ${DEFAULT-VALUE}).")
    double dropout = 0.1;

    @Option(names = "--gated-fraction", paramLabel = "F",
            description = "Fraction of edges whose enhancer is open only in some cell types (default: "
                    + "${DEFAULT-VALUE}).")
    double gatedFraction = 0.7;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--perturb", paramLabel = "TF=FACTOR",
            description = {"Also write the same cells' counterfactual RNA with this TF's expression multiplied by "
                    + "FACTOR (0 = knock-out), propagated through the true network: counterfactual.h5ad and "
                    + "counterfactual_truth.tsv next to the file. Repeatable (applied together)."})
    Map<String, Double> perturb = new LinkedHashMap<>();

    @Option(names = "--confounding", paramLabel = "C",
            description = "Scale of cell-type effects on expression, 0..10 (default: ${DEFAULT-VALUE}).")
    double confounding = 1.0;

    @Option(names = "--genome-out", paramLabel = "FILE.fa[.gz]",
            description = "Also write a genome FASTA (bgzip when .gz) with motif sites planted for the motif table's "
                    + "hits (true bindings and decoys), and planted_sites.tsv next to the data; TFs are then named "
                    + "after bundled JASPAR motifs, so 'scgrn infer DATA --genome FILE' scans them.")
    Path genomeOut;

    @Override
    public Integer call() {
        SimulationConfig cfg;
        try {
            cfg = new SimulationConfig(cells, genes, peaks, tfs, cellTypes, dropout, gatedFraction, seed,
                    confounding);
        } catch (ModelException e) {
            // A bad setting is a usage error (exit 2), not unsuitable data.
            throw new BadRequestException(e.field(), e.getMessage().substring(e.field().length() + 2));
        }
        Simulation sim;
        Counterfactual cf = null;
        Map<String, MotifMatrix> motifs = null;
        try {
            if (genomeOut != null) {
                motifs = SimulatedGenome.tfNames(MotifDatabase.bundled(), tfs, seed);
            }
            List<String> tfNames = motifs == null ? null : new ArrayList<>(motifs.keySet());
            if (perturb.isEmpty()) {
                sim = MultiomeSimulator.simulate(cfg, tfNames);
            } else {
                cf = Counterfactual.simulate(cfg, tfNames, perturb);
                sim = cf.original();
            }
        } catch (ModelException e) {
            throw new BadRequestException(e.field(), e.getMessage().substring(e.field().length() + 2));
        }
        Path file = out.toAbsolutePath();
        H5muWriter.write(file, sim.toMuData());
        sim.writeTruth(file.getParent());
        if (cf != null) {
            H5adWriter.write(file.getParent().resolve("counterfactual.h5ad"), cf.toAnnData());
            cf.writeTruth(file.getParent().resolve("counterfactual_truth.tsv"));
        }
        int planted = 0;
        if (genomeOut != null) {
            List<SimulatedGenome.Site> sites = SimulatedGenome.write(sim, motifs, genomeOut, seed);
            SimulatedGenome.writeSites(sites, sim.peaks(), file.getParent().resolve("planted_sites.tsv"));
            planted = sites.size();
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("%d cells x %d genes (%d TFs) + %d peaks, %d cell types; %d true edges (%d gated), %d enhancers%n",
                cells, genes, tfs, peaks, cellTypes, sim.edges().size(),
                sim.edges().stream().filter(Simulation.TrueEdge::gated).count(), sim.peakGenes().size());
        w.printf("wrote %s%n  and truth.csv, peak_gene_truth.tsv, tfs.txt, genes.bed, motifs.tsv in %s%n", file,
                file.getParent());
        if (cf != null) {
            w.printf("  and counterfactual.h5ad, counterfactual_truth.tsv (%s)%n", perturb);
        }
        if (genomeOut != null) {
            w.printf("wrote %s with %d planted motif sites (planted_sites.tsv)%n", genomeOut.toAbsolutePath(),
                    planted);
        }
        w.flush();
        return ExitCodes.OK;
    }
}
