package io.scgrn.models.sim;

import io.scgrn.models.Edge;
import io.scgrn.models.GrnModel;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.atac.AtacAnalysis;
import io.scgrn.models.atac.AtacInformedModel;
import io.scgrn.models.atac.AtacResult;
import io.scgrn.models.atac.AtacSettings;
import io.scgrn.models.atac.CellStates;
import io.scgrn.models.atac.ChromatinSignals;
import io.scgrn.models.atac.GeneLocus;
import io.scgrn.models.atac.GenomicInterval;
import io.scgrn.models.atac.Metacells;
import io.scgrn.models.atac.MotifTable;
import io.scgrn.models.atac.MultiomeData;
import io.scgrn.models.atac.PeakGeneLink;
import io.scgrn.models.calibration.DecoyCalibration;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;
import io.scgrn.models.motif.MotifDatabase;
import io.scgrn.models.motif.MotifMatrix;
import io.scgrn.models.motif.MotifScan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Multiome accuracy with and without motif information, against the naive baseline (a benchmark, not a test).
 *
 * <p>For each simulator setting and seed: a simulation whose TFs carry JASPAR motifs and a genome FASTA with planted
 * sites ({@link SimulatedGenome}); then, scored by BEELINE EPR against the true edges:
 * <ul>
 *   <li>RNA-only: the RNA model on the prepared RNA;</li>
 *   <li>naive(table): |Pearson r| of the log-normalised RNA × [the TF has a hit of the simulator's motif table in a
 *       peak within 100 kb of the gene's TSS];</li>
 *   <li>scgrn+table: the RNA model wrapped by the ATAC prior built from the simulator's table ({@code --motifs});</li>
 *   <li>naive(scan): the baseline from a scan of the genome FASTA with the bundled JASPAR (any hit at p ≤ 1e-4);</li>
 *   <li>scgrn+genome: the ATAC prior from the scan ({@code --genome}), for each scoring of the hits in
 *       {@code -Dvariants=max,OFFSET:SCALE,...} ("max": −log10 p scaled by the largest; default: the pipeline's);</li>
 *   <li>scgrn no-motif: the ATAC prior from TF-expression/accessibility correlation (applied with floor 0.5).</li>
 * </ul>
 *
 * <p>With {@code -Dconfigs=...} it composes the networks as {@code scgrn infer} does ({@link #configs}); with
 * {@code -Ddiag=true} it also prints, per simulation, the per-TF motif-activity diagnosis
 * ({@link #activityDiagnosis}).
 *
 * <pre>java -cp CP [-Dvariants=...] io.scgrn.models.sim.MotifScanAccuracy MODEL CELLS GENES PEAKS
 *     TYPES:GATED:CONFOUNDING:SEED ...</pre>
 */
public final class MotifScanAccuracy {
    private MotifScanAccuracy() {
    }

    public static void main(String[] args) throws Exception {
        if (!System.getProperty("configs", "").isEmpty()) {
            configs(args);
            return;
        }
        String model = args[0];
        int cells = Integer.parseInt(args[1]);
        int genes = Integer.parseInt(args[2]);
        int peaks = Integer.parseInt(args[3]);
        int tfs = Math.max(10, genes / 10);
        System.out.printf(Locale.ROOT, "model=%s cells=%d genes=%d tfs=%d peaks=%d%n", model, cells, genes, tfs,
                peaks);
        StringBuilder head = new StringBuilder("| types | gated | confounding | seed | RNA-only | naive(table) | "
                + "scgrn+table | naive(scan) | corr prior (floor 0.5) |");
        StringBuilder rule = new StringBuilder("|---|---|---|---|---|---|---|---|---|");
        for (String v : VARIANTS) {
            head.append(" scgrn+genome ").append(v).append(" |");
            rule.append("---|");
        }
        head.append(" scgrn+table coupling 0 |");
        rule.append("---|");
        for (String sh : SHARES) {
            head.append(" states ").append(sh).append(" no-motif | states ").append(sh).append(" +table |");
            rule.append("---|---|");
            for (String v : VARIANTS) {
                head.append(" states ").append(sh).append(" +genome ").append(v).append(" |");
                rule.append("---|");
            }
        }
        System.out.println(head);
        System.out.println(rule);
        for (int a = 4; a < args.length; a++) {
            String[] f = args[a].split(":");
            SimulationConfig cfg = SimSpec.config(cells, genes, peaks, args[a]);
            double[] r = run(model, cfg);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT,
                    "| %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f |", f[0], f[1], f[2], f[3], r[0], r[1],
                    r[2], r[3], r[4]));
            for (int v = 5; v < r.length; v++) {
                row.append(String.format(Locale.ROOT, " %.2f |", r[v]));
            }
            System.out.println(row);
        }
    }

    /** Evidence scorings of the scan compared: "max" (scaled by the largest −log10 p) or "offset:scale". */
    static final List<String> VARIANTS = List.of(System.getProperty("variants",
            MotifScan.PEAK_OFFSET + ":" + MotifScan.PEAK_SCALE).split(","));

    /** Shares of the within-state correlation blended into the RNA ranking ({@code -Dshares=0.5,...}). */
    static final List<String> SHARES = System.getProperty("shares", "").isEmpty() ? List.of()
            : List.of(System.getProperty("shares").split(","));

    /**
     * A simulation whose TFs carry bundled motifs, with its genome FASTA (motifs planted in the peaks) and truth files
     * written to a new temporary folder.
     */
    record GenomeSim(MotifDatabase db, Simulation sim, Path dir, Path fasta) {
        static GenomeSim of(SimulationConfig cfg) throws IOException {
            MotifDatabase db = MotifDatabase.bundled();
            Map<String, MotifMatrix> motifs = SimulatedGenome.tfNames(db, cfg.tfs(), cfg.seed());
            Simulation sim = MultiomeSimulator.simulate(cfg, new ArrayList<>(motifs.keySet()));
            Path dir = Files.createTempDirectory("msa");
            Path fasta = dir.resolve("genome.fa");
            SimulatedGenome.write(sim, motifs, fasta, cfg.seed());
            sim.writeTruth(dir);
            return new GenomeSim(db, sim, dir, fasta);
        }

        /** The simulator's motif-hit table ({@code motifs.tsv}), on {@code data}'s peaks. */
        MotifTable table(MultiomeData data) throws IOException {
            return MotifTable.read(dir.resolve("motifs.tsv"), data.peakNames(), data.peaks());
        }

        /** The bundled JASPAR motifs of the simulation's TFs scanned in {@code data}'s peaks at the default p. */
        MotifScan.Result scan(MultiomeData data) throws IOException {
            return MotifScan.run(fasta, data.peaks(), MotifScan.forTfs(db, sim.tfs()), MotifScan.DEFAULT_P, null,
                    null);
        }

        /** Deletes the genome FASTA and its index (the large files of the temporary folder). */
        void deleteGenome() throws IOException {
            Files.deleteIfExists(fasta);
            Files.deleteIfExists(Path.of(fasta + ".fai"));
        }
    }

    /** EPRs: RNA-only, naive(table), scgrn+table, naive(scan), scgrn no-motif, scgrn+genome per variant. */
    static double[] run(String modelName, SimulationConfig cfg) throws Exception {
        GenomeSim gs = GenomeSim.of(cfg);
        Simulation sim = gs.sim();
        MultiomeBenchmark.Start start = MultiomeBenchmark.Start.of(sim, modelName, cfg.seed());
        MultiomeData data = start.data();
        Truth truth = start.truth();
        Network rna = start.rna();
        AtacSettings settings = start.settings();
        double floor = settings.effectiveFloor(true).getAsDouble();

        MotifTable table = gs.table(data);
        MotifScan.Result scan = gs.scan(data);
        MotifTable scannedBinary = MotifScan.toMotifTable(scan, sim.tfs());

        AtacResult withTable = AtacAnalysis.run(data, sim.tfs(), table, settings, Progress.NONE);
        AtacResult withCorr = AtacAnalysis.run(data, sim.tfs(), null, settings, Progress.NONE);
        Network t = AtacInformedModel.combine(rna, withTable.prior(), withTable.informativeTargets(), floor);
        Network c = AtacInformedModel.combine(rna, withCorr.prior(), withCorr.informativeTargets(), 0.5);
        double[] out = new double[6 + VARIANTS.size() + SHARES.size() * (2 + VARIANTS.size())];
        AtacResult withTable0 = AtacAnalysis.run(data, sim.tfs(), table, settings.withCoupling(0), Progress.NONE);
        out[5 + VARIANTS.size()] = epr(AtacInformedModel.combine(rna, withTable0.prior(),
                withTable0.informativeTargets(), floor), truth);
        List<Edge> stateEdges = SHARES.isEmpty() ? List.of()
                : CellStates.withinStateCorrelation(data, sim.tfs(),
                        CellStates.states(data, CellStates.DEFAULT_STATES,
                                settings));
        List<Network> blends = new ArrayList<>();
        for (int i = 0; i < SHARES.size(); i++) {
            Network b = AtacInformedModel.blend(rna, stateEdges, Double.parseDouble(SHARES.get(i)));
            blends.add(b);
            int o = 6 + VARIANTS.size() + i * (2 + VARIANTS.size());
            out[o] = epr(b, truth);
            out[o + 1] = epr(AtacInformedModel.combine(b, withTable.prior(), withTable.informativeTargets(), floor),
                    truth);
        }
        out[0] = epr(rna, truth);
        out[1] = epr(naive(data, sim.tfs(), table), truth);
        out[2] = epr(t, truth);
        out[3] = epr(naive(data, sim.tfs(), scannedBinary), truth);
        out[4] = epr(c, truth);
        for (int v = 0; v < VARIANTS.size(); v++) {
            MotifTable scanned;
            if (VARIANTS.get(v).equals("max")) {
                scanned = scannedBinary;
            } else {
                String[] os = VARIANTS.get(v).split(":");
                scanned = MotifScan.toMotifTable(scan, sim.tfs(), data.peaks(), Double.parseDouble(os[0]),
                        Double.parseDouble(os[1]));
            }
            // offset:scale:coupling: the TF-peak coupling share for this variant (default: the settings')
            String[] os = VARIANTS.get(v).split(":");
            AtacSettings vs = os.length > 2 ? settings.withCoupling(Double.parseDouble(os[2])) : settings;
            AtacResult withScan = AtacAnalysis.run(data, sim.tfs(), scanned, vs.resolvePriorPower(true),
                    Progress.NONE);
            Network g = AtacInformedModel.combine(rna, withScan.prior(), withScan.informativeTargets(), floor);
            out[5 + v] = epr(g, truth);
            for (int i = 0; i < SHARES.size(); i++) {
                out[6 + VARIANTS.size() + i * (2 + VARIANTS.size()) + 2 + v] = epr(AtacInformedModel.combine(
                        blends.get(i), withScan.prior(), withScan.informativeTargets(), floor), truth);
            }
        }
        gs.deleteGenome();
        return out;
    }

    /**
     * The pipeline's own composition (as {@code scgrn infer} does it: within-state blend, then the prior with the
     * effective floor) for each configuration of {@code -Dconfigs=NAME=k=v,k=v;NAME=...} ({@code --atac-param}
     * names, plus {@code paths=tgn} (which of table, genome, no motif to run), {@code binary=1} (table scores set to
     * 1), {@code scan=OFFSET:SCALE} (whole-peak scoring of the scan), {@code mc=0|1} (count every motif of a TF
     * in that scoring), {@code prior-to-model=0} (the prior only re-weights the RNA-only network; default 1: it
     * also reaches the base model, {@link #pipeline}) and {@code decoys=1} (the run exactly as {@code scgrn infer}
     * makes it, with its q-value decoy genes: {@link #asInfer})), with a motif table, with the genome scan and with no motif; beside RNA-only, naive(table)
     * and naive(scan). Prints one row per simulation and, per
     * configuration, the medians, the ratios of medians and the medians of per-simulation ratios of the three bars.
     */
    static void configs(String[] args) throws Exception {
        String model = args[0];
        int cells = Integer.parseInt(args[1]);
        int genes = Integer.parseInt(args[2]);
        int peaks = Integer.parseInt(args[3]);
        int tfs = Math.max(10, genes / 10);
        List<String> names = new ArrayList<>();
        List<Map<String, String>> params = new ArrayList<>();
        for (String c : System.getProperty("configs").split(";")) {
            int eq = c.indexOf('=');
            names.add(c.substring(0, eq));
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (String kv : c.substring(eq + 1).split(",")) {
                if (!kv.isBlank()) {
                    String[] f = kv.split("=");
                    m.put(f[0], f[1]);
                }
            }
            params.add(m);
        }
        System.out.printf(Locale.ROOT, "model=%s cells=%d genes=%d tfs=%d peaks=%d configs=%s%n", model, cells, genes,
                tfs, peaks, System.getProperty("configs"));
        StringBuilder head = new StringBuilder("| types | gated | conf. | seed | RNA-only | naive(table) | naive(scan) |");
        for (String n : names) {
            head.append(' ').append(n).append(" table | ").append(n).append(" genome | ").append(n)
                    .append(" no motif |");
        }
        head.append(" RNA-only + decoys |");
        System.out.println(head);
        System.out.println("|---".repeat(8 + 3 * names.size()) + "|");
        List<double[]> rows = new ArrayList<>();
        for (int a = 4; a < args.length; a++) {
            String[] f = args[a].split(":");
            SimulationConfig cfg = SimSpec.config(cells, genes, peaks, args[a]);
            double[] r = runConfigs(model, cfg, params);
            rows.add(r);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %s | %s |", f[0], f[1],
                    f[2], f[3]));
            for (double v : r) {
                row.append(String.format(Locale.ROOT, " %.2f |", v));
            }
            System.out.println(row);
        }
        StringBuilder med = new StringBuilder("| **median** | | | |");
        for (int c = 0; c < rows.get(0).length; c++) {
            final int cc = c;
            med.append(String.format(Locale.ROOT, " %.2f |", median(rows.stream().mapToDouble(r -> r[cc]).toArray())));
        }
        System.out.println(med);
        System.out.println();
        System.out.println("| config | table ÷ naive(table) | genome ÷ naive(table) | no motif ÷ RNA-only |");
        System.out.println("|---|---|---|---|");
        for (int i = 0; i < names.size(); i++) {
            int o = 3 + 3 * i;
            // with decoys the no-motif path is compared with RNA-only as scgrn infer runs it (with decoys too)
            int rnaCol = params.get(i).containsKey("decoys") && params.get(i).get("decoys").equals("1")
                    ? rows.get(0).length - 1 : 0;
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", names.get(i), bar(rows, o, 1),
                    bar(rows, o + 1, 1), bar(rows, o + 2, rnaCol));
        }
    }

    /** {@link ChromatinSignals} of the simulation as the ATAC step computes them (its metacells and links). */
    static ChromatinSignals.Signals chromatinSignals(MultiomeData data, List<String> tfs, AtacSettings s) {
        Metacells meta = AtacAnalysis.metacells(data, s);
        List<PeakGeneLink> links = AtacAnalysis.links(data, meta, s);
        int[] tfIdx = tfs.stream().distinct().mapToInt(data.genes()::indexOf).filter(i -> i >= 0).toArray();
        return ChromatinSignals.of(meta, data.nGenes(), data.nPeaks(), links, tfIdx);
    }

    /** "ratio of medians (median of per-simulation ratios; range)". */
    private static String bar(List<double[]> rows, int num, int den) {
        double rom = median(rows.stream().mapToDouble(r -> r[num]).toArray())
                / median(rows.stream().mapToDouble(r -> r[den]).toArray());
        double[] per = rows.stream().mapToDouble(r -> r[num] / r[den]).toArray();
        double lo = java.util.Arrays.stream(per).min().orElse(Double.NaN);
        double hi = java.util.Arrays.stream(per).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%.2f× (%.2f×; %.2f–%.2f)", rom, median(per), lo, hi);
    }

    /** Median (mean of the middle two for an even count). */
    static double median(double[] v) {
        double[] s = java.util.Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * EPRs: RNA-only, naive(table), naive(scan), then per configuration table, genome, no motif; last, RNA-only with
     * the q-value decoys ({@code decoys=1}).
     */
    static double[] runConfigs(String modelName, SimulationConfig cfg, List<Map<String, String>> configs)
            throws Exception {
        GenomeSim gs = GenomeSim.of(cfg);
        Simulation sim = gs.sim();
        // -Dnoplain=true: the RNA-only network without decoys (first column, NaN then) is not run; for runs whose
        // configurations all have decoys=1, where nothing else uses it
        MultiomeBenchmark.Start start = MultiomeBenchmark.Start.of(sim, modelName, cfg.seed(),
                !Boolean.getBoolean("noplain"));
        if (Boolean.getBoolean("memo")) {
            // -Dmemo=true: the base model's networks remembered by their input (the same deterministic run once)
            start = start.withBase(new Memo(start.base()), start.rna());
        }
        if (Boolean.getBoolean("screen")) {
            // -Dscreen=true: the RNA-only network is the base model run with the q-value decoys (as scgrn infer
            // runs it), so that prior-to-model=0 configurations re-weight the ranking the pipeline starts from at
            // the cost of one run of the model per simulation (a screen of the composition, not the pipeline)
            start = start.withBase(start.base(), withDecoys(start, start.base()));
        }
        MultiomeData data = start.data();
        Truth truth = start.truth();
        Network rna = start.rna();
        MotifTable table = gs.table(data);
        MotifScan.Result scan = gs.scan(data);
        MotifTable scanned = MotifScan.toMotifTable(scan, sim.tfs(), data.peaks());
        if (Boolean.getBoolean("diag")) {
            activityDiagnosis(sim, data, scanned, table);
        }
        if (Boolean.getBoolean("bindiag")) {
            // per TF: scan-scored (peak, TF) pairs by score bin, planted (in the simulator's table) or chance
            for (String tf : new java.util.TreeSet<>(sim.tfs())) {
                int[] pl = new int[5];
                int[] ch = new int[5];
                for (Map.Entry<Integer, Map<String, Double>> e : scanned.hits().entrySet()) {
                    Double v = e.getValue().get(tf);
                    if (v != null && v > 0) {
                        int bin = v >= 1 ? 4 : (int) (v * 4);
                        boolean planted = table.hits().getOrDefault(e.getKey(), Map.of()).containsKey(tf);
                        (planted ? pl : ch)[bin]++;
                    }
                }
                long inTable = table.hits().values().stream().filter(m -> m.containsKey(tf)).count();
                System.out.printf(Locale.ROOT, "bindiag | %s | table %d | planted %s | chance %s |%n", tf, inTable,
                        java.util.Arrays.toString(pl), java.util.Arrays.toString(ch));
            }
        }
        if (Boolean.getBoolean("nulldiag")) {
            competeDiagnosis(sim, scanned, MotifScan.toMotifTable(scan, sim.tfs(), data.peaks(), true));
        }
        // the last column: RNA-only run as scgrn infer runs it (with decoys), NaN unless a configuration has decoys=1
        double[] out = new double[4 + 3 * configs.size()];
        Map<String, Network> noMotifCache = new HashMap<>();
        out[out.length - 1] = Double.NaN;
        out[0] = rna == null ? Double.NaN : epr(rna, truth);
        out[1] = epr(naive(data, sim.tfs(), table), truth);
        out[2] = epr(naive(data, sim.tfs(), MotifScan.toMotifTable(scan, sim.tfs())), truth);
        if (Boolean.getBoolean("rbstats")) {
            // round 11c: label-free statistics of the simulation the pipeline computes (the ATAC step's cell states,
            // the TFs' between-state share over them, ChromatinSignals of its metacells and links)
            AtacSettings s0 = start.settings();
            int[] states = CellStates.states(data, s0.states(), s0);
            ChromatinSignals.Signals cs = chromatinSignals(data, sim.tfs(), s0);
            System.out.printf(Locale.ROOT, "rbstats seed %d: states %d, tf between-state share %.3f, coupling tail %.3f,"
                    + " beyond-TF gain %.3f, chromatin share %.3f%n", cfg.seed(),
                    java.util.Arrays.stream(states).distinct().count(), tfBetweenShare(data, sim.tfs(), states),
                    cs.couplingTail(), cs.beyondTfGain(), cs.share());
        }
        for (int i = 0; i < configs.size(); i++) {
            Map<String, String> p = new java.util.HashMap<>(configs.get(i));
            String paths = p.containsKey("paths") ? p.remove("paths") : "tgn";
            MotifTable t = p.remove("binary") != null ? binary(table) : table;
            // tfall=1: the table path without motif information (every TF a candidate on every peak, score 1)
            if (p.remove("tfall") != null) {
                t = allTfs(data.nPeaks(), sim.tfs());
            }
            String sc = p.remove("scan");
            String mcs = p.remove("mc");
            boolean mc = mcs == null ? MotifScan.PER_TF_MOTIFS : mcs.equals("1");
            if (sc == null && mcs != null) {
                sc = MotifScan.PEAK_OFFSET + ":" + MotifScan.PEAK_SCALE;
            }
            MotifTable g = sc == null ? scanned : MotifScan.toMotifTable(scan, sim.tfs(), data.peaks(),
                    Double.parseDouble(sc.split(":")[0]), Double.parseDouble(sc.split(":")[1]), mc);
            // prior-to-model=0: the prior re-weights the RNA-only network after the fact (rounds 3-5's composition)
            // instead of also reaching the base model's options; the same for models that ignore a prior (pearson)
            String ptm = p.remove("prior-to-model");
            boolean toModel = ptm == null || ptm.equals("1");
            // decoys=1: the whole run as scgrn infer makes it, on the genes plus its q-value decoys (below)
            boolean decoys = "1".equals(p.remove("decoys"));
            // m.NAME=VALUE: the base model's parameter NAME (e.g. m.within=mix for crowd), for this configuration
            Map<String, String> modelParams = new java.util.HashMap<>(start.options().params());
            for (String k : List.copyOf(p.keySet())) {
                if (k.startsWith("m.")) {
                    modelParams.put(k.substring(2), p.remove(k));
                }
            }
            MultiomeBenchmark.Start st = start;
            if (!modelParams.equals(start.options().params())) {
                var o = start.options();
                st = new MultiomeBenchmark.Start(start.data(), start.truth(), start.rna(), start.settings(),
                        start.base(), start.x(), start.tfs(), new io.scgrn.models.InferenceOptions(o.seed(),
                        o.device(), modelParams, o.prior()));
            }
            // rnabase=W (round 11c, diagnosis): the motif paths' RNA base is the base model's rank percentile blended
            // with plain |Pearson r|'s at share W wherever the chromatin share lies (W = 1: the |r| ranking alone);
            // since round 11e the product's own option, --atac-param rna-pearson=W rna-pearson-below=1
            String rb = p.remove("rnabase");
            if (rb != null) {
                p.put("rna-pearson", rb);
                p.put("rna-pearson-below", "1");
            }
            Map<String, String> atacParams = new java.util.HashMap<>(p);
            atacParams.remove("nblend");
            // readout=A (screen): the no-motif network's rank blended (share A) with the TF's expression against the
            // target's linked-peak accessibility within cell states (readoutEdges)
            String readout = (String) atacParams.remove("readout");
            // sshare=C (screen): the state share set from the data, min(1, C · s), s the TFs' between-state share of
            // variance over the joint cell states (how much of the regulators' expression the cell types hold)
            String sshare = (String) atacParams.remove("sshare");
            // sscale=C (round 9): the state share set from the co-expression inflation as
            // state-share-from=confounding sets it, at scale C (AtacSettings.confoundingShare)
            String sscale = (String) atacParams.remove("sscale");
            AtacSettings s = AtacSettings.fromParams(atacParams, cfg.seed());
            if (s.scanCompete()) {
                // scan-compete=1 (round 10b): each TF's whole-peak p-values re-calibrated by its near-threshold hit rate
                g = sc == null ? MotifScan.toMotifTable(scan, sim.tfs(), data.peaks(), true)
                        : MotifScan.toMotifTable(scan, sim.tfs(), data.peaks(), Double.parseDouble(sc.split(":")[0]),
                                Double.parseDouble(sc.split(":")[1]), mc, true);
            }
            if (sscale != null) {
                double infl = CellStates.coexpressionInflation(data, sim.tfs(), CellStates.states(data, s.states(), s));
                s = s.withStateShare(AtacSettings.confoundingShare(infl, Double.parseDouble(sscale)));
                System.out.printf(Locale.ROOT, "sscale %s seed %d: inflation %.3f, state share %.3f%n", sscale,
                        cfg.seed(), infl, s.stateShare());
            }
            // ctail=T[,cgain=G] (round 10): the state share set from the chromatin as state-share-from=chromatin
            // sets it, at tail scale T and gain scale G (AtacSettings.chromatinShare; G absent = 0, the gain unused)
            String ctail = (String) atacParams.remove("ctail");
            String cgain = (String) atacParams.remove("cgain");
            if (ctail != null) {
                ChromatinSignals.Signals cs = chromatinSignals(data, sim.tfs(), s);
                s = s.withStateShare(AtacSettings.chromatinShare(cs.couplingTail(), cs.beyondTfGain(),
                        Double.parseDouble(ctail), cgain == null ? 0 : Double.parseDouble(cgain)));
                System.out.printf(Locale.ROOT, "ctail %s cgain %s seed %d: tail %.3f, gain %.3f, state share %.3f%n",
                        ctail, cgain, cfg.seed(), cs.couplingTail(), cs.beyondTfGain(), s.stateShare());
            }
            if (sshare != null) {
                double b = tfBetweenShare(data, sim.tfs(), CellStates.states(data, s.states(), s));
                s = s.withStateShare(Math.min(1, Double.parseDouble(sshare) * b));
                System.out.printf(Locale.ROOT, "sshare %s: between-state share %.3f, state share %.3f%n", sshare, b,
                        s.stateShare());
            }
            if (decoys) {
                if (Double.isNaN(out[out.length - 1])) {
                    // once per simulation: it does not depend on the configuration
                    out[out.length - 1] = epr(withDecoys(start, start.base()), truth);
                }
                boolean gap = Boolean.getBoolean("gap");
                String tag = cfg.seed() + " " + i;
                if (paths.contains("t")) {
                    Network n = asInfer(st, sim.tfs(), t, s);
                    out[3 + 3 * i] = epr(n, truth);
                    if (gap) {
                        gap(tag + " table", n, st, sim.tfs(), t, s, truth, repressors(sim));
                    }
                } else {
                    out[3 + 3 * i] = Double.NaN;
                }
                if (paths.contains("g")) {
                    Network n = asInfer(st, sim.tfs(), g, s.resolvePriorPower(true));
                    out[4 + 3 * i] = epr(n, truth);
                    if (gap) {
                        gap(tag + " genome", n, start, sim.tfs(), g, s.resolvePriorPower(true), truth,
                                repressors(sim));
                    }
                } else {
                    out[4 + 3 * i] = Double.NaN;
                }
                if (paths.contains("n")) {
                    String key = st.options().params() + " " + s;
                    Network n = noMotifCache.get(key);
                    if (n == null) {
                        n = asInfer(st, sim.tfs(), null, s);
                        noMotifCache.put(key, n);
                    }
                    if (readout != null) {
                        n = AtacInformedModel.blend(n, readoutEdges(data, sim.tfs(), s), Double.parseDouble(readout));
                    }
                    out[5 + 3 * i] = epr(n, truth);
                    if (gap) {
                        gap(tag + " nomotif", n, start, sim.tfs(), null, s, truth, repressors(sim));
                    }
                } else {
                    out[5 + 3 * i] = Double.NaN;
                }
                continue;
            }
            out[3 + 3 * i] = paths.contains("t") ? epr(pipeline(start, sim.tfs(), t, s, toModel), truth) : Double.NaN;
            out[4 + 3 * i] = paths.contains("g") ? epr(pipeline(start, sim.tfs(), g, s.resolvePriorPower(true),
                    toModel), truth)
                    : Double.NaN;
            // nblend=A: the no-motif network's rank blended with the correlation prior's (share A; screen only)
            String nb = p.get("nblend");
            out[5 + 3 * i] = !paths.contains("n") ? Double.NaN : nb == null
                    ? epr(pipeline(start, sim.tfs(), null, s, toModel), truth)
                    : epr(AtacInformedModel.blend(pipeline(start, sim.tfs(), null, s, toModel),
                            AtacAnalysis.run(start.data(), sim.tfs(), null, s, Progress.NONE).prior(),
                            Double.parseDouble(nb)), truth);
        }
        gs.deleteGenome();
        return out;
    }

    /**
     * Per TF ({@code -Dnulldiag=true}, round 10b): scored hit peaks and their summed score, and how many of them the
     * TF truly binds (simulator truth, for the diagnosis only), for the shipped scan scoring and with
     * {@code scan-compete=1}; then the Spearman correlation of the score mass's change with the shipped bound share.
     */
    static void competeDiagnosis(Simulation sim, MotifTable shipped, MotifTable tfNull) {
        Set<String> bound = new HashSet<>();
        for (Simulation.PeakGeneTruth t : sim.peakGenes()) {
            for (String tf : t.tfs()) {
                bound.add(t.peak() + "\t" + tf);
            }
        }
        List<double[]> rows = new ArrayList<>();
        System.out.println("nulldiag | TF | hits | bound | score mass | bound mass | hits (null) | bound (null) | "
                + "score mass (null) | bound mass (null) |");
        for (String tf : new java.util.TreeSet<>(sim.tfs())) {
            double[] a = new double[8];
            for (int k = 0; k < 2; k++) {
                for (Map.Entry<Integer, Map<String, Double>> e : (k == 0 ? shipped : tfNull).hits().entrySet()) {
                    Double v = e.getValue().get(tf);
                    if (v != null && v > 0) {
                        boolean b = bound.contains(e.getKey() + "\t" + tf);
                        a[4 * k]++;
                        a[4 * k + 1] += b ? 1 : 0;
                        a[4 * k + 2] += v;
                        a[4 * k + 3] += b ? v : 0;
                    }
                }
            }
            rows.add(new double[] {a[6] / Math.max(1e-9, a[2]), a[3] / Math.max(1e-9, a[2])});
            System.out.printf(Locale.ROOT, "nulldiag | %s | %.0f | %.0f | %.1f | %.1f | %.0f | %.0f | %.1f | %.1f |%n",
                    tf, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
        }
        System.out.printf(Locale.ROOT, "nulldiag spearman(mass ratio, bound mass share) = %.2f%n",
                spearman(rows, 0, 1));
    }

    /**
     * Per TF ({@code -Ddiag=true}): hit peaks of the scan, the share of them the TF truly binds (simulator truth,
     * for the diagnosis only), its true edges, and the {@link MotifActivity} coupling and weight from the scan and
     * from the table; then the Spearman correlation of the scan weight with the true share.
     */
    static void activityDiagnosis(Simulation sim, MultiomeData data, MotifTable scanned, MotifTable table) {
        AtacSettings s = AtacSettings.defaults(1);
        io.scgrn.models.atac.Metacells meta = io.scgrn.models.atac.Metacells.build(data,
                s.metacellsFor(data.nCells()), s.metacellSize(), s.dims(), s.rnaWeight(), s.seed());
        float[][] cols = io.scgrn.models.numerics.Correlations.standardisedColumns(meta.rna(), meta.nMeta(),
                data.nGenes());
        Map<String, float[]> expr = new java.util.TreeMap<>();
        for (String tf : sim.tfs()) {
            int g = data.genes().indexOf(tf);
            if (g >= 0) {
                expr.put(tf, cols[g]);
            }
        }
        Map<String, Double> ws = io.scgrn.models.atac.MotifActivity.weights(meta.atac(), meta.nMeta(),
                data.nPeaks(), expr, scanned, s.minTfPeak(), s.seed());
        Map<String, Double> wt = io.scgrn.models.atac.MotifActivity.weights(meta.atac(), meta.nMeta(),
                data.nPeaks(), expr, table, 0, s.seed());
        Set<String> bound = new HashSet<>();
        for (Simulation.PeakGeneTruth t : sim.peakGenes()) {
            for (String tf : t.tfs()) {
                bound.add(t.peak() + "\t" + tf);
            }
        }
        Map<String, Integer> edges = new HashMap<>();
        sim.edges().forEach(e -> edges.merge(e.tf(), 1, Integer::sum));
        List<double[]> pairs = new ArrayList<>();
        System.out.println("diag | TF | scan hit peaks | bound share | true edges | weight(scan) | weight(table) |");
        for (String tf : expr.keySet()) {
            int hits = 0;
            int real = 0;
            for (Map.Entry<Integer, Map<String, Double>> e : scanned.hits().entrySet()) {
                Double v = e.getValue().get(tf);
                if (v != null && v >= s.minTfPeak()) {
                    hits++;
                    real += bound.contains(e.getKey() + "\t" + tf) ? 1 : 0;
                }
            }
            double share = hits > 0 ? (double) real / hits : 0;
            pairs.add(new double[] {ws.get(tf), share, edges.getOrDefault(tf, 0)});
            System.out.printf(Locale.ROOT, "diag | %s | %d | %.2f | %d | %.2f | %.2f |%n", tf, hits, share,
                    edges.getOrDefault(tf, 0), ws.get(tf), wt.get(tf));
        }
        System.out.printf(Locale.ROOT, "diag spearman(weight, bound share) = %.2f, (weight, true edges) = %.2f%n",
                spearman(pairs, 0, 1), spearman(pairs, 0, 2));
    }

    private static double spearman(List<double[]> rows, int a, int b) {
        double[] ra = ranks(rows.stream().mapToDouble(r -> r[a]).toArray());
        double[] rb = ranks(rows.stream().mapToDouble(r -> r[b]).toArray());
        double ma = java.util.Arrays.stream(ra).average().orElse(0);
        double mb = java.util.Arrays.stream(rb).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < ra.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static double[] ranks(double[] v) {
        Integer[] o = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = i;
        }
        java.util.Arrays.sort(o, (x, y) -> Double.compare(v[x], v[y]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[o[j + 1]] == v[o[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[o[k]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return r;
    }

    /**
     * Where the gap is ({@code -Dgap=true}; the simulator's truth used to look, not to choose): of the top K edges
     * (K = true edges, the EPR cut), how many are true and how many false ones carry a prior above 0; of the true
     * edges, how many have a prior above 0, and how many of those missing from the top K have none; and the EPR of
     * the prior alone (TF → gene pairs ranked by the prior, unsupported pairs last).
     */
    static void gap(String tag, Network n, MultiomeBenchmark.Start start, List<String> tfs, MotifTable motifs,
                    AtacSettings s, Truth truth, Set<String> repressors) {
        AtacResult res = AtacAnalysis.run(start.data(), tfs, motifs, s, Progress.NONE);
        Map<String, Double> prior = new HashMap<>();
        res.prior().forEach(e -> prior.merge(e.tf() + "\t" + e.target(), e.score(), Math::max));
        Set<String> truthGenes = new HashSet<>(truth.genes());
        Set<String> truthTfs = new HashSet<>(truth.sources());
        List<Edge> ranked = new ArrayList<>();
        for (Edge e : n.edges()) {
            if (truthTfs.contains(e.tf()) && truthGenes.contains(e.target()) && !e.tf().equals(e.target())) {
                ranked.add(e);
            }
        }
        ranked.sort(Network.RANKING);
        int k = truth.nTrue();
        int topTrue = 0;
        int topFalseLifted = 0;
        Set<String> top = new HashSet<>();
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            Edge e = ranked.get(i);
            top.add(e.tf() + "\t" + e.target());
            boolean t = truth.contains(e.tf(), e.target());
            topTrue += t ? 1 : 0;
            topFalseLifted += !t && prior.getOrDefault(e.tf() + "\t" + e.target(), 0.0) > 0 ? 1 : 0;
        }
        int trueSupported = 0;
        int repressorsSupported = 0;
        int repressorsTop = 0;
        int missedUnsupported = 0;
        int missedInformative = 0;
        for (String key : truth.edges()) {
            String[] f = key.split("\t");
            boolean sup = prior.getOrDefault(f[0] + "\t" + f[1], 0.0) > 0;
            trueSupported += sup ? 1 : 0;
            boolean rep = repressors.contains(f[0] + "\t" + f[1]);
            repressorsSupported += sup && rep ? 1 : 0;
            repressorsTop += rep && top.contains(f[0] + "\t" + f[1]) ? 1 : 0;
            if (!top.contains(f[0] + "\t" + f[1])) {
                missedUnsupported += sup ? 0 : 1;
                missedInformative += res.informativeTargets().contains(f[1]) ? 1 : 0;
            }
        }
        double priorEpr = res.prior().isEmpty() ? Double.NaN : epr(new Network(res.prior()), truth);
        System.out.printf(Locale.ROOT, "gap | %s | K %d | top-K true %d | top-K false with prior %d of %d"
                + " | true with prior %d | missed %d (no prior %d, informative target %d) | prior pairs %d"
                + " | prior-alone EPR %.2f | repressors %d: with prior %d, in top K %d |%n", tag, k, topTrue,
                topFalseLifted, k - topTrue, trueSupported, k - topTrue, missedUnsupported, missedInformative,
                prior.size(), priorEpr, repressors.size(), repressorsSupported, repressorsTop);
    }

    /** The simulation's repressive edges ("TF\tgene"). */
    static Set<String> repressors(Simulation sim) {
        Set<String> out = new HashSet<>();
        sim.edges().stream().filter(e -> e.sign() < 0).forEach(e -> out.add(e.tf() + "\t" + e.target()));
        return out;
    }

    /** Every TF on every peak, score 1: motif evidence that says nothing. */
    static MotifTable allTfs(int nPeaks, List<String> tfs) {
        Map<Integer, Map<String, Double>> out = new HashMap<>();
        Map<String, Double> all = new HashMap<>();
        tfs.forEach(tf -> all.put(tf, 1.0));
        for (int p = 0; p < nPeaks; p++) {
            out.put(p, all);
        }
        return new MotifTable(out);
    }

    /** The table with every score 1 (what the naive baseline uses of it). */
    static MotifTable binary(MotifTable t) {
        Map<Integer, Map<String, Double>> out = new HashMap<>();
        t.hits().forEach((p, m) -> {
            Map<String, Double> b = new HashMap<>();
            m.keySet().forEach(tf -> b.put(tf, 1.0));
            out.put(p, b);
        });
        return new MotifTable(out);
    }

    /**
     * The network {@code scgrn infer} returns ({@code AtacStep.Outcome.wrap(base).infer}): where the prior applies,
     * the base model runs again with the prior in its options (a model may use it: {@code crowd}'s learned term adds
     * the prior edges to its gene graph), then {@link AtacInformedModel#infer} blends and re-weights; where it does
     * not (no motif evidence), the base model runs without a prior, which is {@code start.rna()}. With
     * {@code toModel} false the prior only re-weights {@code start.rna()} (the composition of rounds 3–5; the same
     * network for a model that ignores its prior, such as {@code pearson}).
     */
    /**
     * Exactly what {@code scgrn infer} runs with the shipped defaults ({@code InferPipeline}: {@code AtacStep.Outcome
     * .wrap(base)} inside {@link DecoyCalibration#infer}): the wrapped model on the prepared genes plus the q-value
     * decoy genes, the network over the real genes. For a model whose score of a TF → gene pair depends on the other
     * genes ({@code crowd}: partial correlation given all genes, CLR over targets, the learned term's gene graph) the
     * decoys change the ranking; for {@code pearson} they only move the rank percentiles the prior multiplies.
     */
    static Network asInfer(MultiomeBenchmark.Start start, List<String> tfs, MotifTable motifs, AtacSettings s) {
        AtacResult res = AtacAnalysis.run(start.data(), tfs, motifs, s, Progress.NONE);
        if (motifs == null && s.stateShareFrom() != AtacSettings.StateShareFrom.FIXED) {
            System.out.printf(Locale.ROOT, "state-share-from=%s seed %d: state share applied %.4f%n",
                    s.stateShareFrom().param(), start.options().seed(), res.stateShare());
        }
        if (motifs != null && s.stateShareMotifs() != AtacSettings.StateShareMotifs.FIXED) {
            System.out.printf(Locale.ROOT, "state-share-motifs=%s seed %d: state share applied %.4f%n",
                    s.stateShareMotifs().param(), start.options().seed(), res.stateShare());
        }
        var floor = s.effectiveFloor(motifs != null);
        GrnModel m = floor.isEmpty() && res.stateShare() == 0 && res.cellStates() == null
                && res.smoothNeighbours() == null ? start.base()
                : new AtacInformedModel(start.base(), floor.isPresent() ? res.prior() : List.of(),
                        res.informativeTargets(), floor.orElse(Double.NaN), res.stateEdges(), res.stateShare())
                        .withCellStates(start.data().cells(), res.cellStates()).withPearsonShare(res.rnaPearson())
                        .withRnaSmoothing(start.data().cells(), res.smoothNeighbours())
                        .withStateCells(start.data().cells(), res.stateEdgeStates());
        if (res.rnaPearson() > 0 || s.rnaPearson() > 0) {
            System.out.printf(Locale.ROOT, "rna-pearson=%s below %s seed %d: |r| share applied %.2f%n", s.rnaPearson(),
                    s.rnaPearsonBelow(), start.options().seed(), res.rnaPearson());
        }
        return withDecoys(start, m);
    }

    /** Mean over the TFs of 1 − within-state SS / total SS of their log expression (0 for a constant TF). */
    static double tfBetweenShare(MultiomeData data, List<String> tfs, int[] state) {
        int n = data.nCells();
        int g = data.nGenes();
        float[] res = CellStates.residual(data.rna().clone(), n, g, state);
        double sum = 0;
        int k = 0;
        for (String tf : tfs.stream().distinct().toList()) {
            int t = data.genes().indexOf(tf);
            if (t < 0) {
                continue;
            }
            double mean = 0;
            for (int c = 0; c < n; c++) {
                mean += data.rna()[c * g + t];
            }
            mean /= n;
            double ss = 0;
            double within = 0;
            for (int c = 0; c < n; c++) {
                double d = data.rna()[c * g + t] - mean;
                ss += d * d;
                within += (double) res[c * g + t] * res[c * g + t];
            }
            sum += ss > 0 ? 1 - within / ss : 0;
            k++;
        }
        return k == 0 ? 0 : sum / k;
    }

    /** A model whose networks are remembered by their input (screens: one deterministic run, reused). */
    static final class Memo implements GrnModel {
        private final GrnModel base;
        private final Map<String, Network> seen = new HashMap<>();

        Memo(GrnModel base) {
            this.base = base;
        }

        @Override
        public String name() {
            return base.name();
        }

        @Override
        public Network infer(io.scgrn.models.ExpressionMatrix data, List<String> tfs,
                             io.scgrn.models.InferenceOptions options, Progress progress) {
            String key = data.genes().hashCode() + " " + java.util.Arrays.hashCode(data.values()) + " " + tfs + " "
                    + options.seed() + " " + new java.util.TreeMap<>(options.params()) + " " + options.prior()
                    + " " + java.util.Arrays.hashCode(options.cellStates());
            String dir = System.getProperty("memoDir");
            if (dir == null) {
                return seen.computeIfAbsent(key, k -> base.infer(data, tfs, options, progress));
            }
            // -DmemoDir=DIR: also on disk, so that a later run (another JVM) of the same input reuses it
            return seen.computeIfAbsent(key, k -> onDisk(Path.of(dir), k, () -> base.infer(data, tfs, options,
                    progress)));
        }

        /** The network stored under the key's digest in {@code dir}, or computed and stored (exact doubles). */
        private static Network onDisk(Path dir, String key, java.util.function.Supplier<Network> compute) {
            try {
                byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(
                        key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                Path f = dir.resolve(java.util.HexFormat.of().formatHex(d) + ".tsv");
                if (Files.exists(f)) {
                    List<Edge> edges = new ArrayList<>();
                    for (String line : Files.readAllLines(f)) {
                        String[] x = line.split("\t");
                        edges.add(new Edge(x[0], x[1], Double.parseDouble(x[2]), Integer.parseInt(x[3]),
                                Double.parseDouble(x[4]), Double.parseDouble(x[5])));
                    }
                    return new Network(edges);
                }
                Network n = compute.get();
                StringBuilder sb = new StringBuilder();
                for (Edge e : n.edges()) {
                    sb.append(e.tf()).append('\t').append(e.target()).append('\t').append(e.score()).append('\t')
                            .append(e.sign()).append('\t').append(e.stability()).append('\t').append(e.q())
                            .append('\n');
                }
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, "memo", ".part");
                Files.writeString(tmp, sb);
                Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                return n;
            } catch (IOException | java.security.NoSuchAlgorithmException e) {
                throw new java.io.UncheckedIOException(new IOException(e));
            }
        }
    }

    /**
     * The target's chromatin as a second readout of its transcription (screen only): per gene, the accessibility of
     * its linked peaks (each weighed by the settings' link weight, positive links) summed per metacell; TF
     * expression and that activity centred within the metacells' joint cell states; edges TF → gene by |r|.
     */
    static List<Edge> readoutEdges(MultiomeData data, List<String> tfs, AtacSettings s) {
        AtacResult res = AtacAnalysis.run(data, tfs, null, s.withStateShare(0), Progress.NONE);
        io.scgrn.models.atac.Metacells meta = io.scgrn.models.atac.Metacells.build(data,
                s.metacellsFor(data.nCells()), s.metacellSize(), s.dims(), s.rnaWeight(), s.seed());
        int m = meta.nMeta();
        int g = data.nGenes();
        int np = data.nPeaks();
        float[] act = new float[m * g];
        boolean[] has = new boolean[g];
        for (io.scgrn.models.atac.PeakGeneLink l : res.links()) {
            double w = l.r() > 0 ? s.linkWeightOf(l) : 0;
            if (w <= 0) {
                continue;
            }
            has[l.gene()] = true;
            for (int i = 0; i < m; i++) {
                act[i * g + l.gene()] += (float) (w * meta.atac()[i * np + l.peak()]);
            }
        }
        int[] ms = CellStates.metacellStates(meta.members(), CellStates.states(data, s.states(), s));
        float[][] a = io.scgrn.models.numerics.Correlations.standardisedColumns(
                CellStates.residual(act, m, g, ms), m, g);
        float[][] r = io.scgrn.models.numerics.Correlations.standardisedColumns(
                CellStates.residual(meta.rna().clone(), m, g, ms), m, g);
        List<Edge> out = new ArrayList<>();
        for (String tf : tfs.stream().distinct().toList()) {
            int t = data.genes().indexOf(tf);
            if (t < 0) {
                continue;
            }
            for (int j = 0; j < g; j++) {
                if (j == t || !has[j]) {
                    continue;
                }
                double c = io.scgrn.models.numerics.Correlations.dot(r[t], a[j]);
                out.add(new Edge(tf, data.genes().get(j), Math.abs(c), c >= 0 ? 1 : -1, Double.NaN));
            }
        }
        // a target without linked peaks: the chromatin says nothing, its pairs get the median score
        double med = median(out.stream().mapToDouble(Edge::score).toArray());
        for (String tf : tfs.stream().distinct().toList()) {
            int t = data.genes().indexOf(tf);
            for (int j = 0; t >= 0 && j < g; j++) {
                if (j != t && !has[j]) {
                    out.add(new Edge(tf, data.genes().get(j), med, 1, Double.NaN));
                }
            }
        }
        out.sort(Network.RANKING);
        return out;
    }

    /** {@code model} run as {@code InferPipeline} runs it: with the default q-value decoys, real genes kept. */
    static Network withDecoys(MultiomeBenchmark.Start start, GrnModel model) {
        return DecoyCalibration.infer(model, start.x(), start.tfs(), start.options(), Progress.NONE,
                DecoyCalibration.Settings.defaults()).network();
    }

    static Network pipeline(MultiomeBenchmark.Start start, List<String> tfs, MotifTable motifs, AtacSettings s,
                            boolean toModel) {
        AtacResult res = AtacAnalysis.run(start.data(), tfs, motifs, s, Progress.NONE);
        if (motifs == null && s.stateShareFrom() != AtacSettings.StateShareFrom.FIXED) {
            System.out.printf(Locale.ROOT, "state-share-from=%s seed %d: state share applied %.4f%n",
                    s.stateShareFrom().param(), start.options().seed(), res.stateShare());
        }
        if (motifs != null && s.stateShareMotifs() != AtacSettings.StateShareMotifs.FIXED) {
            System.out.printf(Locale.ROOT, "state-share-motifs=%s seed %d: state share applied %.4f%n",
                    s.stateShareMotifs().param(), start.options().seed(), res.stateShare());
        }
        var floor = s.effectiveFloor(motifs != null);
        if (toModel && floor.isPresent()) {
            return new AtacInformedModel(start.base(), res.prior(), res.informativeTargets(), floor.getAsDouble(),
                    res.stateEdges(), s.stateShare()).withPearsonShare(res.rnaPearson())
                    .infer(start.x(), start.tfs(), start.options(), Progress.NONE);
        }
        Network rna = start.rna();
        Network n = s.stateShare() > 0 ? AtacInformedModel.blend(rna, res.stateEdges(), s.stateShare()) : rna;
        return floor.isPresent() ? AtacInformedModel.combine(n, res.prior(), res.informativeTargets(),
                floor.getAsDouble()) : n;
    }

    private static double epr(Network n, Truth truth) {
        Scores s = Evaluation.score(n, truth);
        return s.epr();
    }

    /**
     * The naive baseline: |Pearson r| of log-normalised RNA (over all paired cells) × 1[the TF has a motif hit in a
     * peak within 100 kb of the gene's TSS]; pairs without such a hit are left out.
     */
    static Network naive(MultiomeData d, List<String> tfs, MotifTable motifs) {
        int nc = d.nCells();
        int ng = d.nGenes();
        float[][] z = new float[ng][];
        for (int g = 0; g < ng; g++) {
            double mean = 0;
            for (int c = 0; c < nc; c++) {
                mean += d.rna()[c * ng + g];
            }
            mean /= nc;
            double ss = 0;
            float[] col = new float[nc];
            for (int c = 0; c < nc; c++) {
                col[c] = (float) (d.rna()[c * ng + g] - mean);
                ss += col[c] * col[c];
            }
            double sd = Math.sqrt(ss);
            for (int c = 0; c < nc; c++) {
                col[c] = sd > 0 ? (float) (col[c] / sd) : 0;
            }
            z[g] = col;
        }
        Map<String, Integer> idx = new HashMap<>();
        for (int g = 0; g < ng; g++) {
            idx.putIfAbsent(d.genes().get(g), g);
        }
        // TF → peaks with a hit; gene → peaks within 100 kb of its TSS.
        Map<String, Set<Integer>> tfPeaks = new HashMap<>();
        motifs.hits().forEach((p, m) -> m.keySet().forEach(tf -> tfPeaks.computeIfAbsent(tf,
                k -> new HashSet<>()).add(p)));
        List<Edge> edges = new ArrayList<>();
        for (int g = 0; g < ng; g++) {
            String gene = d.genes().get(g);
            GeneLocus locus = d.loci().get(gene);
            if (locus == null) {
                continue;
            }
            Set<Integer> near = new HashSet<>();
            for (int p = 0; p < d.nPeaks(); p++) {
                GenomicInterval iv = d.peaks().get(p);
                long dist = locus.distanceTo(iv);
                if (dist >= 0 && dist <= 100_000) {
                    near.add(p);
                }
            }
            for (String tf : tfs) {
                Integer t = idx.get(tf);
                if (t == null || tf.equals(gene)) {
                    continue;
                }
                Set<Integer> hits = tfPeaks.getOrDefault(tf, Set.of());
                boolean any = false;
                for (int p : hits) {
                    if (near.contains(p)) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    continue;
                }
                double r = 0;
                float[] a = z[t];
                float[] b = z[g];
                for (int c = 0; c < nc; c++) {
                    r += a[c] * b[c];
                }
                edges.add(new Edge(tf, gene, Math.abs(r), r >= 0 ? 1 : -1, 1));
            }
        }
        edges.sort(Network.RANKING);
        return new Network(edges);
    }
}
