package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.Network;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Few-regulator benchmark driver (not a test): the regime of a cell type with few TFs among many genes. For every
 * BEELINE set of a benchmarks folder and every seed, keeps a seeded random {@code nTf} of the candidate TFs
 * ({@code tfs.txt} ∩ the data's genes; chosen WITHOUT the truth) as the TF list, all genes stay; the truth is
 * restricted to the kept TFs (its sources ∩ kept, edges from kept TFs) and scored with {@link Evaluation}.
 *
 * <p>Usage: {@code FewTfBench <benchmarkDir> <scores.tsv> [nTf [seeds [cand,cand,... [setRegex]]]]} (defaults 60,
 * "1,2,3", all of {@link #CANDIDATES}, every BEELINE set); rows already in the TSV are skipped. Prints the per-set table and how often each
 * candidate falls below {@code pearson} (EPR) on stdout.
 */
public final class FewTfBench {
    static final Map<String, String[]> CANDIDATES = new LinkedHashMap<>();

    static {
        CANDIDATES.put("pearson", new String[] {"pearson"});
        // crowd-stat: the statistical terms only (w-learned=0, the default until 09:50 UTC 2026-11-30); crowd: the
        // shipped default (with the learned auto-encoder term).
        CANDIDATES.put("crowd-stat", new String[] {"crowd", "w-learned=0"});
        CANDIDATES.put("crowd", new String[] {"crowd"});
        CANDIDATES.put("crowd-tfs95", new String[] {"crowd", "condition=tfs", "w-learned=0"});
        CANDIDATES.put("crowd-tfs50", new String[] {"crowd", "condition=tfs", "w-learned=0", "shrink=0.5"});
        CANDIDATES.put("crowd-tfs80", new String[] {"crowd", "condition=tfs", "w-learned=0", "shrink=0.8"});
        CANDIDATES.put("crowd+corr", new String[] {"crowd", "w-corr=1", "w-learned=0"});
        CANDIDATES.put("crowd-s99", new String[] {"crowd", "shrink=0.99", "w-learned=0"});
        CANDIDATES.put("crowd-s80", new String[] {"crowd", "shrink=0.8", "w-learned=0"});
        CANDIDATES.put("crowd-v", new String[] {"crowd", "pcor=values", "w-learned=0"});
        CANDIDATES.put("crowd-lw", new String[] {"crowd", "shrink=auto", "w-learned=0"});
        CANDIDATES.put("pcor-b95", new String[] {"crowd", "w-mi=0", "w-learned=0"});
        CANDIDATES.put("crowd-2pcor", new String[] {"crowd", "w-pcor=2", "w-learned=0"});
        // session 17: the learned term's weight doubled (not adopted: docs "the learned term's weight with three runs")
        CANDIDATES.put("crowd-wl2", new String[] {"crowd", "w-learned=2"});
        // session 23: TF pairs ordered by the data (direction=lag; the default in session 23 only)
        CANDIDATES.put("crowd-dirlag", new String[] {"crowd", "direction=lag"});
        // session 18: the dropout augmentation's mask from a pool (docs "the dropout augmentation's mask from a pool")
        CANDIDATES.put("crowd-pool", new String[] {"crowd", "da-draw=pool"});
        // session 18 (helper g18): crowd's other weights with w-learned=2 pinned (docs "crowd's other weights with the
        // learned term at 2"); crowd-g18-def = the 1:1:0:2 weights pinned, whatever the shipped default is
        CANDIDATES.put("crowd-g18-def", new String[] {"crowd", "w-pcor=1", "w-mi=1", "w-corr=0", "w-learned=2"});
        CANDIDATES.put("crowd-g18-mi0.5", new String[] {"crowd", "w-mi=0.5", "w-learned=2"});
        CANDIDATES.put("crowd-g18-mi1.5", new String[] {"crowd", "w-mi=1.5", "w-learned=2"});
        CANDIDATES.put("crowd-g18-pcor1.5", new String[] {"crowd", "w-pcor=1.5", "w-learned=2"});
        CANDIDATES.put("crowd-g18-pcor2", new String[] {"crowd", "w-pcor=2", "w-learned=2"});
        CANDIDATES.put("crowd-g18-corr0.25", new String[] {"crowd", "w-corr=0.25", "w-learned=2"});
        CANDIDATES.put("crowd-g18-corr0.5", new String[] {"crowd", "w-corr=0.5", "w-learned=2"});
        // session 25: PIDC's proportional unique contribution as a term (docs "a PIDC term (lead, session 25)")
        CANDIDATES.put("crowd-puc1", new String[] {"crowd", "w-puc=1"});
        CANDIDATES.put("crowd-puc2", new String[] {"crowd", "w-puc=2"});
        CANDIDATES.put("crowd-swap", new String[] {"crowd", "w-mi=0", "w-puc=1"});
        CANDIDATES.put("crowd-half", new String[] {"crowd", "w-mi=0.5", "w-puc=0.5"});
    }

    private FewTfBench() {
    }

    /** A seeded random {@code n} of the candidate TFs present in the data (sorted first: order-independent). */
    static List<String> keep(List<String> tfs, List<String> genes, int n, long seed) {
        Set<String> present = new HashSet<>(genes);
        List<String> c = new ArrayList<>(new TreeSet<>(tfs.stream().filter(present::contains).toList()));
        Collections.shuffle(c, new Random(seed));
        return List.copyOf(c.subList(0, Math.min(n, c.size())));
    }

    /** The truth restricted to the kept regulators. */
    static Truth restrict(Truth truth, List<String> kept) {
        Set<String> k = new HashSet<>(kept);
        List<String> sources = truth.sources().stream().filter(k::contains).toList();
        Set<String> edges = new HashSet<>();
        for (String e : truth.edges()) {
            if (k.contains(e.substring(0, e.indexOf('\t')))) {
                edges.add(e);
            }
        }
        return new Truth(sources, truth.genes(), edges);
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("dump") || args[0].equals("combine")) {
            terms(args);
            return;
        }
        Path root = Path.of(args[0]);
        Path tsv = Path.of(args[1]);
        int nTf = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        List<Long> seeds = (args.length > 3 ? List.of(args[3].split(",")) : List.of("1", "2", "3")).stream()
                .map(Long::parseLong).toList();
        List<String> which = args.length > 4 ? List.of(args[4].split(",")) : List.copyOf(CANDIDATES.keySet());
        List<String> lines = BenchFiles.rows(tsv);
        Set<String> done = BenchFiles.done(lines);
        List<String> sets = new ArrayList<>();
        try (var s = Files.list(root)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(x -> x.startsWith("beeline-"))
                    .filter(x -> x.matches(args.length > 5 ? args[5] : ".*"))
                    .sorted().forEach(sets::add);
        }
        for (String set : sets) {
            Path dir = root.resolve(set);
            ExpressionMatrix data = null;
            List<String> tfs = Files.readAllLines(dir.resolve("tfs.txt")).stream().map(String::trim)
                    .filter(x -> !x.isEmpty()).toList();
            Truth truth = Evaluation.readTruth(dir.resolve("truth.csv"));
            for (long seed : seeds) {
                String name = set + "/tf" + nTf + "s" + seed;
                if (which.stream().allMatch(c -> done.contains(name + "\t" + c))) {
                    continue;
                }
                data = data == null ? NnBench.readH5ad(dir.resolve("data.h5ad")) : data;
                List<String> kept = keep(tfs, data.genes(), nTf, seed);
                Truth t = restrict(truth, kept);
                for (String c : which) {
                    if (done.contains(name + "\t" + c)) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    Network net = LogoBench.infer(CANDIDATES.get(c), data, kept);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    Scores s = Evaluation.score(net, t);
                    String line = String.format(Locale.ROOT, "%s\t%s\t%.4f\t%.4f\t%.4f\t%.2f", name, c, s.epr(),
                            s.auprcRatio(), s.auroc(), secs);
                    System.err.println(line + "\t(true edges " + t.nTrue() + ")");
                    lines.add(line);
                    Files.write(tsv, lines);
                }
            }
        }
        report(tsv);
    }

    /**
     * The terms stored per few-TF variant (as TermBench's, with the kept TFs as the regulators); {@code
     * -Dfewtf.terms=a,b,...} adds or replaces them (e.g. a variant of the learned term).
     */
    static final List<String> TERMS = List.of(System.getProperty("fewtf.terms", "corr,pv,pr,mi,learned").split(","));

    /**
     * Stored-term mode, as {@link TermBench} for the full sets: {@code FewTfBench dump <benchmarkDir> <termDir>
     * [nTf [seeds [setRegex]]]} stores {@link #TERMS} of every variant under {@code termDir/<set>/tf<n>s<seed>}
     * (with {@code kept.txt}, and {@code learns.txt} from {@link GnnModel#learns}); {@code FewTfBench combine
     * <benchmarkDir> <termDir> <scores.tsv> name=term:w,...[;option=v...] ...} scores combinations exactly as
     * {@link TermBench#combined} (truth restricted to the kept TFs) and prints the table.
     */
    static void terms(String[] args) throws IOException {
        Path root = Path.of(args[1]);
        Path dir = Path.of(args[2]);
        if (args[0].equals("dump")) {
            int nTf = args.length > 3 ? Integer.parseInt(args[3]) : 60;
            List<Long> seeds = (args.length > 4 ? List.of(args[4].split(",")) : List.of("1", "2", "3")).stream()
                    .map(Long::parseLong).toList();
            for (String set : BenchFiles.sets(root, "beeline-.*")) {
                if (!set.matches(args.length > 5 ? args[5] : ".*")) {
                    continue;
                }
                ExpressionMatrix data = NnBench.readH5ad(root.resolve(set).resolve("data.h5ad"));
                List<String> tfs = Files.readAllLines(root.resolve(set).resolve("tfs.txt")).stream()
                        .map(String::trim).filter(x -> !x.isEmpty()).toList();
                for (long seed : seeds) {
                    Path sd = dir.resolve(set).resolve("tf" + nTf + "s" + seed);
                    Files.createDirectories(sd);
                    List<String> kept = keep(tfs, data.genes(), nTf, seed);
                    int[] tfIdx = io.scgrn.models.ModelInputs.tfIndices(data, kept);
                    int g = data.nGenes();
                    StringBuilder ti = new StringBuilder();
                    for (int t : tfIdx) {
                        ti.append(ti.length() == 0 ? "" : "\t").append(t);
                    }
                    Files.write(sd.resolve("meta.tsv"), List.of(String.join("\t", data.genes()), ti.toString()));
                    Files.write(sd.resolve("kept.txt"), kept);
                    Files.writeString(sd.resolve("learns.txt"), GnnModel.learns(data, new io.scgrn.models
                            .InferenceOptions(0, "cpu", Map.of("coexpr", "0"), List.of())) + "\n");
                    for (String term : TERMS) {
                        if (Files.exists(sd.resolve(term + ".f32"))) {
                            continue;
                        }
                        long t0 = System.nanoTime();
                        Network net = TermBench.infer(TermBench.TERMS.get(term), data, kept);
                        float[] score = new float[tfIdx.length * g];
                        float[] sign = new float[tfIdx.length * g];
                        NnSupport.place(net, data.genes(), tfIdx, score, sign);
                        TermBench.write(sd.resolve(term + ".f32"), score);
                        if (term.equals("pv")) {
                            TermBench.write(sd.resolve("sign.f32"), sign);
                        }
                        System.err.printf(Locale.ROOT, "%s/tf%ds%d\t%s\t%.2f s%n", set, nTf, seed, term,
                                (System.nanoTime() - t0) / 1e9);
                    }
                }
            }
            return;
        }
        Path tsv = Path.of(args[3]);
        Map<String, Map<String, Double>> specs = TermBench.specs(args, 4);
        List<String> lines = BenchFiles.rows(tsv);
        Set<String> done = BenchFiles.done(lines);
        for (String set : BenchFiles.sets(dir, ".*")) {
            Truth truth = Evaluation.readTruth(root.resolve(set).resolve("truth.csv"));
            for (String v : BenchFiles.sets(dir.resolve(set), ".*")) {
                Path sd = dir.resolve(set).resolve(v);
                if (!TERMS.stream().allMatch(t -> Files.exists(sd.resolve(t + ".f32")))) {
                    continue;
                }
                String name = set + "/" + v;
                List<String> meta = Files.readAllLines(sd.resolve("meta.tsv"));
                List<String> genes = List.of(meta.get(0).split("\t"));
                int[] tfIdx = java.util.Arrays.stream(meta.get(1).split("\t")).mapToInt(Integer::parseInt)
                        .toArray();
                boolean[] self = NnSupport.selfLoops(tfIdx, genes.size());
                Truth t = restrict(truth, Files.readAllLines(sd.resolve("kept.txt")));
                float[] sign = TermBench.read(sd.resolve("sign.f32"));
                Map<String, float[]> ranks = new java.util.HashMap<>();
                for (var spec : specs.entrySet()) {
                    if (done.contains(name + "\t" + spec.getKey())) {
                        continue;
                    }
                    float[] acc = TermBench.combined(root, set, sd, tfIdx, genes.size(), self, spec.getValue(), ranks,
                            false);
                    Scores s = Evaluation.score(NnSupport.network(genes, tfIdx, acc, sign, null), t);
                    lines.add(String.format(Locale.ROOT, "%s\t%s\t%.4f\t%.4f\t%.4f\t%.2f", name, spec.getKey(),
                            s.epr(), s.auprcRatio(), s.auroc(), 0.0));
                }
            }
        }
        Files.write(tsv, lines);
        report(tsv);
    }

    static void report(Path tsv) throws IOException {
        Map<String, Map<String, double[]>> bySet = new TreeMap<>();
        List<String> all = Files.readAllLines(tsv);
        for (String line : all.subList(1, all.size())) {
            String[] f = line.split("\t");
            bySet.computeIfAbsent(f[0], x -> new LinkedHashMap<>()).put(f[1],
                    new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
        }
        List<String> cands = new ArrayList<>(CANDIDATES.keySet());
        // candidates of the stored-term mode follow, in order of first appearance
        for (String line : all.subList(1, all.size())) {
            String c = line.split("\t")[1];
            if (!cands.contains(c)) {
                cands.add(c);
            }
        }
        cands.removeIf(c -> bySet.values().stream().anyMatch(m -> !m.containsKey(c)));
        StringBuilder h = new StringBuilder("| set (kept TFs, seed) |");
        cands.forEach(c -> h.append(' ').append(c).append(" |"));
        System.out.println(h);
        System.out.println("|---".repeat(cands.size() + 1) + "|");
        for (var e : bySet.entrySet()) {
            StringBuilder r = new StringBuilder("| " + e.getKey() + " |");
            double pe = e.getValue().get("pearson")[0];
            for (String c : cands) {
                double[] x = e.getValue().get(c);
                String m = x[0] < pe - 1e-9 ? "**" : "";
                r.append(String.format(Locale.ROOT, " %s%.2f%s / %.2f |", m, x[0], m, x[1]));
            }
            System.out.println(r);
        }
        StringBuilder b = new StringBuilder("| below pearson (EPR), of " + bySet.size() + " |");
        StringBuilder g = new StringBuilder("| geometric mean EPR / AUPRC r ratio to pearson |");
        for (String c : cands) {
            long below = bySet.values().stream().filter(m -> m.get(c)[0] < m.get("pearson")[0] - 1e-9).count();
            b.append(' ').append(below).append(" |");
            double le = bySet.values().stream().mapToDouble(m -> Math.log(m.get(c)[0] / m.get("pearson")[0]))
                    .average().orElse(Double.NaN);
            double la = bySet.values().stream().mapToDouble(m -> Math.log(m.get(c)[1] / m.get("pearson")[1]))
                    .average().orElse(Double.NaN);
            g.append(String.format(Locale.ROOT, " %.3f / %.3f |", Math.exp(le), Math.exp(la)));
        }
        System.out.println(b);
        System.out.println(g);
    }
}
