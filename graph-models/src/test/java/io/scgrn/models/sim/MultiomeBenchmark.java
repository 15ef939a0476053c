package io.scgrn.models.sim;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.atac.AtacAnalysis;
import io.scgrn.models.atac.AtacInformedModel;
import io.scgrn.models.atac.AtacResult;
import io.scgrn.models.atac.AtacSettings;
import io.scgrn.models.atac.MotifTable;
import io.scgrn.models.atac.MultiomeData;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;
import io.scgrn.models.prep.PrepOptions;
import io.scgrn.models.prep.Preparation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Multiome accuracy benchmark (not a test): for several simulator settings and seeds, the default RNA model on the
 * RNA of the paired cells vs the same model wrapped in {@link AtacInformedModel}, with motif evidence and with
 * correlation evidence only. Prints a Markdown table.
 *
 * <p>Run: {@code mvn -q -o -B -pl graph-models test-compile exec:java ...} or with the test class path:
 * {@code java -cp <test cp> io.scgrn.models.sim.MultiomeBenchmark [model] [seeds] [cells] [genes] [peaks]}.
 */
public final class MultiomeBenchmark {
    private MultiomeBenchmark() {
    }

    /** One simulator setting. */
    record Setting(int cellTypes, double dropout, double gated) {
    }

    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : Models.DEFAULT_NAME;
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int cells = args.length > 2 ? Integer.parseInt(args[2]) : 1500;
        int genes = args.length > 3 ? Integer.parseInt(args[3]) : 400;
        int peaks = args.length > 4 ? Integer.parseInt(args[4]) : 5000;
        int tfs = Math.max(10, genes / 10);
        List<Setting> settings = List.of(new Setting(4, 0.1, 0.7), new Setting(2, 0.1, 0.7),
                new Setting(6, 0.1, 0.7), new Setting(4, 0.3, 0.7), new Setting(4, 0.1, 0.3),
                new Setting(4, 0.1, 1.0));
        System.out.printf(Locale.ROOT, "model=%s cells=%d genes=%d tfs=%d peaks=%d seeds=%d%n", model, cells, genes,
                tfs, peaks, seeds);
        System.out.println("| types | dropout | gated | seed | RNA EPR | RNA AUPRC r | +ATAC motif EPR | AUPRC r "
                + "| +ATAC corr EPR | AUPRC r |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Setting s : settings) {
            for (int seed = 1; seed <= seeds; seed++) {
                Row r = run(model, new SimulationConfig(cells, genes, peaks, tfs, s.cellTypes(), s.dropout(),
                        s.gated(), seed));
                System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                        s.cellTypes(), s.dropout(), s.gated(), seed, r.rna.epr(), r.rna.auprcRatio(),
                        r.motif.epr(), r.motif.auprcRatio(), r.corr.epr(), r.corr.auprcRatio());
            }
        }
    }

    record Row(Scores rna, Scores motif, Scores corr) {
    }

    /**
     * What a multiome benchmark starts from (shared with {@link MotifScanAccuracy}): the simulation's paired
     * modalities, its true edges, the model's RNA-only network and the default ATAC settings for the seed; and what
     * produced that network (the model, the prepared RNA, its TFs and the options), so that the model can be run
     * again with the ATAC prior in its options as {@code scgrn infer} does ({@link AtacInformedModel#infer}).
     */
    record Start(MultiomeData data, Truth truth, Network rna, AtacSettings settings, GrnModel base, ExpressionMatrix x,
                 List<String> tfs, InferenceOptions options) {
        static Start of(Simulation sim, String modelName, long seed) {
            return of(sim, modelName, seed, true);
        }

        /** As {@link #of(Simulation, String, long)}; with {@code rnaOnly} false the RNA-only network is not run (null). */
        static Start of(Simulation sim, String modelName, long seed, boolean rnaOnly) {
            SimSpec.Paired paired = SimSpec.Paired.of(sim);
            var md = paired.md();
            MultiomeData data = paired.data();
            // The model sees the RNA as the pipeline prepares it (io.scgrn.models.prep defaults), on the same cells.
            var prepared = Preparation.prepare(md.mod().get("rna"), sim.tfs(),
                    PrepOptions.defaults());
            ExpressionMatrix x = prepared.matrix();
            List<String[]> pairs = new ArrayList<>();
            sim.edges().forEach(e -> pairs.add(new String[] {e.tf(), e.target()}));
            Truth truth = Evaluation.truth(pairs);
            InferenceOptions opts = new InferenceOptions(seed, "cpu", Map.of(), List.of());
            GrnModel base = Models.byName(modelName);
            Network rna = rnaOnly ? base.infer(x, prepared.tfs(), opts, Progress.NONE) : null;
            return new Start(data, truth, rna, AtacSettings.defaults(seed), base, x, prepared.tfs(), opts);
        }

        /** The same data, truth and settings with another base model and its RNA-only network. */
        Start withBase(GrnModel model, Network rnaOnly) {
            return new Start(data, truth, rnaOnly, settings, model, x, tfs, options);
        }
    }

    static Row run(String modelName, SimulationConfig cfg) throws Exception {
        Simulation sim = MultiomeSimulator.simulate(cfg);
        Start start = Start.of(sim, modelName, cfg.seed());
        MultiomeData data = start.data();
        Truth truth = start.truth();
        Network rna = start.rna();
        AtacSettings settings = start.settings();
        Path dir = Files.createTempDirectory("mb");
        sim.writeTruth(dir);
        MotifTable motifs = MotifTable.read(dir.resolve("motifs.tsv"), data.peakNames(), data.peaks());
        AtacResult withMotifs = AtacAnalysis.run(data, sim.tfs(), motifs, settings, Progress.NONE);
        // -DskipCorr=true leaves out the correlation-only variant (its columns then repeat RNA-only).
        AtacResult withCorr = Boolean.getBoolean("skipCorr") ? null
                : AtacAnalysis.run(data, sim.tfs(), null, settings, Progress.NONE);
        // Correlation-only evidence is not applied by default (AtacSettings.effectiveFloor); it is measured here
        // with floor 0.5 (or -DfloorCorr) to document why.
        double fm = Double.parseDouble(System.getProperty("floorMotif",
                Double.toString(settings.effectiveFloor(true).getAsDouble())));
        double fc = Double.parseDouble(System.getProperty("floorCorr", "0.5"));
        Network m = AtacInformedModel.combine(rna, withMotifs.prior(), withMotifs.informativeTargets(), fm);
        Network c = withCorr == null ? rna
                : AtacInformedModel.combine(rna, withCorr.prior(), withCorr.informativeTargets(), fc);
        return new Row(Evaluation.score(rna, truth), Evaluation.score(m, truth), Evaluation.score(c, truth));
    }
}
