package io.scgrn.models.nn;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.bench.PublishedScores;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;
import io.scgrn.models.numerics.Medians;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Leave-one-group-out (LOGO) benchmark driver for choosing the default model (not a test). Runs every candidate
 * configuration of {@link #CANDIDATES} on every set of a BEELINE-format benchmarks folder, then, for each group of
 * sets held out in turn, selects the candidate with the best criterion on the OTHER groups only and reports the
 * held-out group's scores.
 *
 * <p>Criterion (labels of the training groups only): for each training group, the median over its sets of
 * {@code (log(EPR / EPR_pearson) + log(AUPRCratio / AUPRCratio_pearson)) / 2}; the candidate with the largest
 * MEAN over the training groups wins (ties: the earlier candidate). A median over five groups ignores a collapse
 * on one or two of them; the mean does not. Groups: the BEELINE cell types (a cell type
 * with all its truths), curated, sergio, synthetic.
 *
 * <p>Usage: {@code LogoBench <benchmarkDir> <scores.tsv> [run [cand,cand,... [setRegex]]]}: with {@code run} the
 * candidates (all, or those named) are run on the sets (all, or those matching) and their per-set scores appended
 * to {@code scores.tsv} (rows already there are skipped); without it the tables are made from the file. Output:
 * markdown tables on stdout.
 */
public final class LogoBench {
    /** Candidate name → model and parameters (a small grid, documented in docs/benchmarks.md). */
    static final Map<String, String[]> CANDIDATES = new LinkedHashMap<>();

    static {
        CANDIDATES.put("pearson", new String[] {"pearson"});
        CANDIDATES.put("gnn", new String[] {"gnn"});
        CANDIDATES.put("gnn-stat", new String[] {"gnn", "coexpr=1"});
        CANDIDATES.put("crowd-v90", new String[] {"crowd", "pcor=values", "shrink=0.9", "w-learned=0"});
        CANDIDATES.put("crowd-r95", new String[] {"crowd", "pcor=ranks", "shrink=0.95", "w-learned=0"});
        CANDIDATES.put("crowd-b95", new String[] {"crowd", "pcor=both", "shrink=0.95", "w-learned=0"});
        CANDIDATES.put("crowd-v90+corr", new String[] {"crowd", "pcor=values", "shrink=0.9", "w-corr=1", "w-learned=0"});
        CANDIDATES.put("crowd-v90+2mi", new String[] {"crowd", "pcor=values", "shrink=0.9", "w-mi=2", "w-learned=0"});
        CANDIDATES.put("pcor-v90", new String[] {"crowd", "pcor=values", "shrink=0.9", "w-mi=0", "w-learned=0"});
        CANDIDATES.put("mi-clr", new String[] {"crowd", "w-pcor=0", "w-learned=0"});
        CANDIDATES.put("learned", new String[] {"crowd", "w-pcor=0", "w-mi=0", "w-learned=1"});
        CANDIDATES.put("crowd-b95+learned", new String[] {"crowd", "pcor=both", "shrink=0.95", "w-learned=1"});
        // Partial correlation given the other regulators only (condition=tfs); FewTfBench for the few-TF regime.
        CANDIDATES.put("crowd-tfs-b95", new String[] {"crowd", "condition=tfs", "shrink=0.95", "w-learned=0"});
        CANDIDATES.put("crowd-tfs-b80", new String[] {"crowd", "condition=tfs", "shrink=0.8", "w-learned=0"});
        CANDIDATES.put("crowd-tfs-b50", new String[] {"crowd", "condition=tfs", "shrink=0.5", "w-learned=0"});
        CANDIDATES.put("crowd-lw", new String[] {"crowd", "shrink=auto", "w-learned=0"});
        CANDIDATES.put("crowd-2pcor", new String[] {"crowd", "w-pcor=2", "w-learned=0"});
        // The tree-ensemble term (round 3; the weight grid with the learned term is TermBench's, from stored terms).
        CANDIDATES.put("trees50", new String[] {"crowd", "w-pcor=0", "w-mi=0", "w-learned=0", "w-tree=1"});
        CANDIDATES.put("crowd-b95+trees", new String[] {"crowd", "w-tree=1", "w-learned=0"});
        // RegDiffusion-style diffusion model alone (RegDiffusionModel; its crowd combination: RegDiffBench).
        CANDIDATES.put("regdiff", new String[] {"regdiff"});
    }

    static final List<String> GROUPS = List.of("beeline-hHEP", "beeline-mDC", "beeline-mHSC-GM", "curated", "sergio",
            "synthetic");
    static final List<String> PEERS = List.of("grnboost2", "genie3", "deepsem", "regdiffusion");

    private LogoBench() {
    }

    /** The LOGO group of a set: the BEELINE cell type, or the simulator family. */
    static String group(String set) {
        for (String g : GROUPS) {
            if (set.startsWith(g + "-")) {
                return g;
            }
        }
        throw new IllegalArgumentException("no group for " + set);
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path tsv = Path.of(args[1]);
        if (args.length > 2 && args[2].equals("run")) {
            run(root, tsv, args.length > 3 ? List.of(args[3].split(",")) : List.copyOf(CANDIDATES.keySet()),
                    args.length > 4 ? args[4] : ".*");
        }
        report(root, tsv, System.out);
    }

    /** Runs the named candidates on every set, appending to {@code tsv} and skipping (set, candidate) rows in it. */
    static void run(Path root, Path tsv, List<String> which, String setRegex) throws IOException {
        List<String> sets = BenchFiles.sets(root, setRegex);
        List<String> lines = BenchFiles.rows(tsv);
        Set<String> done = BenchFiles.done(lines);
        for (String set : sets) {
            if (which.stream().allMatch(c -> done.contains(set + "\t" + c))) {
                continue;
            }
            Path dir = root.resolve(set);
            ExpressionMatrix data = NnBench.readH5ad(dir.resolve("data.h5ad"));
            List<String> tfs = Files.readAllLines(dir.resolve("tfs.txt")).stream().map(String::trim)
                    .filter(x -> !x.isEmpty()).toList();
            Truth truth = Evaluation.readTruth(dir.resolve("truth.csv"));
            Map<String, Network> nets = new HashMap<>();
            for (Map.Entry<String, String[]> c : CANDIDATES.entrySet()) {
                if (!which.contains(c.getKey()) || done.contains(set + "\t" + c.getKey())) {
                    continue;
                }
                if (COMPOSITES.contains(c.getKey())) {
                    // One auto-encoder training per set serves the three candidates that use the learned term.
                    long t0 = System.nanoTime();
                    if (!nets.containsKey("learned")) {
                        for (String base : List.of("learned", "gnn-stat", "crowd-b95")) {
                            nets.put(base, infer(CANDIDATES.get(base), data, tfs));
                        }
                    }
                    Network net = composite(c.getKey(), nets);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    Scores s = Evaluation.score(net, truth);
                    String line = String.format(Locale.ROOT, "%s\t%s\t%.4f\t%.4f\t%.4f\t%.2f", set, c.getKey(),
                            s.epr(), s.auprcRatio(), s.auroc(), secs);
                    System.err.println(line);
                    lines.add(line);
                    Files.write(tsv, lines);
                    continue;
                }
                Map<String, String> params = new HashMap<>();
                for (int i = 1; i < c.getValue().length; i++) {
                    String[] kv = c.getValue()[i].split("=", 2);
                    params.put(kv[0], kv[1]);
                }
                long t0 = System.nanoTime();
                Network net = Models.byName(c.getValue()[0]).infer(data, tfs,
                        new InferenceOptions(0, "cpu", params, List.of()), Progress.NONE);
                double secs = (System.nanoTime() - t0) / 1e9;
                Scores s = Evaluation.score(net, truth);
                String line = String.format(Locale.ROOT, "%s\t%s\t%.4f\t%.4f\t%.4f\t%.2f", set, c.getKey(), s.epr(),
                        s.auprcRatio(), s.auroc(), secs);
                System.err.println(line);
                lines.add(line);
                Files.write(tsv, lines);
            }
        }
    }

    /** Candidates computed from one training of the auto-encoder (see {@link #composite}). */
    static final Set<String> COMPOSITES = Set.of("learned", "gnn", "crowd-b95+learned");

    static Network infer(String[] spec, ExpressionMatrix data, List<String> tfs) {
        return TermBench.infer(spec, data, tfs);
    }

    /**
     * The learned-term candidates from one training: {@code learned} = the rank of the gnn decoder logits
     * (GnnModel with coexpr=0); {@code gnn} = 0.5 learned + 0.5 gnn-stat, which is exactly GnnModel's default
     * score (rank average with coexpr 0.5); {@code crowd-b95+learned} = 2/3 crowd-b95 + 1/3 learned, exactly
     * CrowdModel with w-learned=1 (equal thirds of rank-scaled terms). All nets hold the same TF × gene pairs.
     */
    static Network composite(String name, Map<String, Network> nets) {
        List<Edge> l = nets.get("learned").edges();
        List<Edge> other = nets.get(name.equals("gnn") ? "gnn-stat" : "crowd-b95").edges();
        if (name.equals("learned")) {
            return nets.get("learned");
        }
        double wl = name.equals("gnn") ? 0.5 : 1.0 / 3;
        Map<String, Edge> byKey = new HashMap<>();
        for (Edge b : other) {
            byKey.put(b.tf() + "\t" + b.target(), b);
        }
        List<Edge> out = new ArrayList<>(l.size());
        for (Edge a : l) {
            Edge b = byKey.get(a.tf() + "\t" + a.target());
            out.add(new Edge(a.tf(), a.target(), (float) (wl * a.score() + (1 - wl) * b.score()),
                    b.sign(), Double.NaN));
        }
        return new Network(out);
    }

    record Cell(double epr, double apr) {
    }

    static void report(Path root, Path tsv, PrintStream out) throws IOException {
        Map<String, Map<String, Cell>> bySet = new TreeMap<>();
        List<String> all = Files.readAllLines(tsv);
        for (String line : all.subList(1, all.size())) {
            String[] f = line.split("\t");
            bySet.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1],
                    new Cell(Double.parseDouble(f[2]), Double.parseDouble(f[3])));
        }
        PublishedScores pub = PublishedScores.read(root.resolve("README.md"));
        // Candidates scored on every set; a partial run (a candidate still running) is left out of the tables.
        List<String> cands = new ArrayList<>(CANDIDATES.keySet());
        // Rows of other candidates (e.g. TermBench combinations) follow the grid, in order of first appearance.
        for (String line : all.subList(1, all.size())) {
            String c = line.split("\t")[1];
            if (!cands.contains(c)) {
                cands.add(c);
            }
        }
        cands.removeIf(c -> bySet.values().stream().noneMatch(m -> m.containsKey(c)));
        // -Dcands=REGEX shows only the matching candidates (and pearson).
        String keep = System.getProperty("cands");
        if (keep != null) {
            cands.removeIf(c -> !c.equals("pearson") && !c.matches(keep));
        }
        List<String> shown = List.copyOf(cands);
        cands.removeIf(c -> bySet.values().stream().anyMatch(m -> !m.containsKey(c)));
        String def = Models.DEFAULT_NAME;

        out.println("### Per set (EPR / AUPRC ratio)\n");
        StringBuilder h = new StringBuilder("| set | grnboost2 (README) | best other peer (README) |");
        for (String c : shown) {
            h.append(' ').append(c).append(" |");
        }
        out.println(h);
        out.println("|---".repeat(shown.size() + 3) + "|");
        for (var e : bySet.entrySet()) {
            StringBuilder r = new StringBuilder("| " + e.getKey() + " | ");
            r.append(pub.get(e.getKey(), "grnboost2").map(p -> f(p.epr()) + " / " + f(p.auprcRatio())).orElse("–"));
            r.append(" | ").append(bestPeerCell(pub, e.getKey())).append(" |");
            Cell p = e.getValue().get("pearson");
            for (String c : shown) {
                Cell x = e.getValue().get(c);
                String mark = x != null && p != null && x.epr < p.epr - 1e-9 ? "**" : "";
                r.append(' ').append(x == null ? "–" : mark + f(x.epr) + mark + " / " + f(x.apr)).append(" |");
                // (– : not run on this set)
            }
            out.println(r);
        }
        out.println("\n(**bold**: EPR below pearson on that set.)\n");

        out.println("### Per group: median EPR / AUPRC ratio\n");
        StringBuilder gh = new StringBuilder("| candidate |");
        for (String g : GROUPS) {
            gh.append(' ').append(g).append(" |");
        }
        out.println(gh.append(" sets below pearson (EPR) |"));
        out.println("|---".repeat(GROUPS.size() + 2) + "|");
        for (String c : cands) {
            StringBuilder r = new StringBuilder("| " + c + " |");
            for (String g : GROUPS) {
                r.append(' ').append(groupMedian(bySet, c, g, null)).append(" |");
            }
            long below = bySet.values().stream().filter(m -> m.get(c).epr < m.get("pearson").epr - 1e-9).count();
            out.println(r.append(' ').append(below).append(" |"));
        }
        for (String peer : PEERS) {
            StringBuilder r = new StringBuilder("| " + peer + " (README; its sets) |");
            for (String g : GROUPS) {
                double[][] v = peerValues(pub, bySet.keySet(), peer, g);
                r.append(' ').append(v[0].length == 0 ? "–" : f(median(v[0])) + " / " + f(median(v[1]))
                        + " (n=" + v[0].length + ")").append(" |");
            }
            out.println(r.append(" |"));
        }

        if (shown.contains("learned") && shown.contains("gnn") && shown.contains("crowd-b95+learned")) {
            out.println("\n### What the learned part adds (median EPR / AUPRC ratio per group)\n");
            out.println("| group | learned alone | gnn-stat → gnn (+ learned) | crowd-b95 → crowd-b95+learned |");
            out.println("|---|---|---|---|");
            for (String g : GROUPS) {
                boolean complete = bySet.entrySet().stream().filter(e -> group(e.getKey()).equals(g))
                        .allMatch(e -> e.getValue().keySet().containsAll(COMPOSITES));
                if (!complete) {
                    out.printf(Locale.ROOT, "| %s | not finished | | |%n", g);
                    continue;
                }
                out.printf(Locale.ROOT, "| %s | %s | %s → %s | %s → %s |%n", g,
                        groupMedian(bySet, "learned", g, null), groupMedian(bySet, "gnn-stat", g, null), groupMedian(bySet, "gnn", g, null),
                        groupMedian(bySet, "crowd-b95", g, null), groupMedian(bySet, "crowd-b95+learned", g, null));
            }
        }
        out.println("\n### Leave-one-group-out\n");
        out.println("| held-out group | selected on the other groups | held-out median EPR / AUPRC r | pearson"
                + " | default (" + def + ") | best peer on the held-out sets (README) | selected / best peer, on the"
                + " peer's sets |");
        out.println("|---|---|---|---|---|---|---|");
        for (String held : GROUPS) {
            String best = null;
            double bestCrit = Double.NEGATIVE_INFINITY;
            for (String c : cands) {
                if (c.equals("pearson")) {
                    continue;
                }
                double[] gm = GROUPS.stream().filter(g -> !g.equals(held))
                        .mapToDouble(g -> groupLogRatio(bySet, c, g)).toArray();
                double crit = mean(gm);
                if (crit > bestCrit + 1e-12) {
                    bestCrit = crit;
                    best = c;
                }
            }
            String sel = best;
            String peerCell = bestPeer(pub, bySet, held);
            double[] peerMed = bestPeerMedians(pub, bySet, held);
            String peerName = bestPeerName(pub, bySet, held);
            double[] selMed = peerName == null ? null : mediansOn(bySet, sel, held, s -> pub.get(s, peerName)
                    .isPresent());
            out.printf(Locale.ROOT, "| %s | %s (criterion %.3f) | %s | %s | %s | %s | %s |%n", held, sel, bestCrit,
                    groupMedian(bySet, sel, held, null), groupMedian(bySet, "pearson", held, null),
                    bySet.values().iterator().next().containsKey(defCandidate(def))
                            ? groupMedian(bySet, defCandidate(def), held, null) : "–",
                    peerCell, peerMed == null ? "–"
                            : f(selMed[0] / peerMed[0]) + " / " + f(selMed[1] / peerMed[1]));
        }
        String dc = defCandidate(def);
        if (cands.contains(dc)) {
            out.println("\n### The default against the 1.2× bar (medians on the best peer's own sets)\n");
            out.println("| group | best peer (README) | default (" + def + ") on the same sets | ratio EPR / AUPRC r"
                    + " | bar (≥ 1.2) met |");
            out.println("|---|---|---|---|---|");
            for (String g : GROUPS) {
                String peerName = bestPeerName(pub, bySet, g);
                if (peerName == null) {
                    out.printf(Locale.ROOT, "| %s | – | | | |%n", g);
                    continue;
                }
                double[] pm = bestPeerMedians(pub, bySet, g);
                double[] dm = mediansOn(bySet, dc, g, x -> pub.get(x, peerName).isPresent());
                double re = dm[0] / pm[0];
                double ra = dm[1] / pm[1];
                out.printf(Locale.ROOT, "| %s | %s | %s / %s | %s / %s | %s |%n", g, bestPeer(pub, bySet, g),
                        f(dm[0]), f(dm[1]), f(re), f(ra), re >= 1.2 && ra >= 1.2 ? "yes" : "no");
            }
        }
        out.println("\nCriterion of each candidate over ALL groups (mean, and median, of the group medians of the"
                + " mean log ratio vs pearson):\n");
        for (String c : cands) {
            double[] gm = GROUPS.stream().mapToDouble(g -> groupLogRatio(bySet, c, g)).toArray();
            out.printf(Locale.ROOT, "- %s: mean %.3f, median %.3f (per group %s)%n", c, mean(gm), median(gm), fmt(gm));
        }
    }

    /** The LOGO candidate that is the shipped default's configuration. */
    static String defCandidate(String def) {
        // -Ddefault=NAME: the row that stands for the default (e.g. a TermBench combination)
        return System.getProperty("default", def.equals("crowd") ? "crowd-b95+learned" : def);
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", x));
        }
        return b.toString();
    }

    static double groupLogRatio(Map<String, Map<String, Cell>> bySet, String c, String g) {
        double[] v = bySet.entrySet().stream().filter(e -> group(e.getKey()).equals(g)).mapToDouble(e -> {
            Cell x = e.getValue().get(c);
            Cell p = e.getValue().get("pearson");
            return (Math.log(x.epr / p.epr) + Math.log(x.apr / p.apr)) / 2;
        }).toArray();
        return median(v);
    }

    static double[] medians(Map<String, Map<String, Cell>> bySet, String c, String g) {
        double[] e = bySet.entrySet().stream().filter(x -> group(x.getKey()).equals(g))
                .mapToDouble(x -> x.getValue().get(c).epr).toArray();
        double[] a = bySet.entrySet().stream().filter(x -> group(x.getKey()).equals(g))
                .mapToDouble(x -> x.getValue().get(c).apr).toArray();
        return new double[] {median(e), median(a)};
    }

    /** Medians over the sets of g that pass {@code keep} (the sets a peer was run on). */
    static double[] mediansOn(Map<String, Map<String, Cell>> bySet, String c, String g,
                              Predicate<String> keep) {
        double[] e = bySet.entrySet().stream().filter(x -> group(x.getKey()).equals(g) && keep.test(x.getKey()))
                .mapToDouble(x -> x.getValue().get(c).epr).toArray();
        double[] a = bySet.entrySet().stream().filter(x -> group(x.getKey()).equals(g) && keep.test(x.getKey()))
                .mapToDouble(x -> x.getValue().get(c).apr).toArray();
        return new double[] {median(e), median(a)};
    }

    static String groupMedian(Map<String, Map<String, Cell>> bySet, String c, String g, Object unused) {
        double[] m = medians(bySet, c, g);
        return f(m[0]) + " / " + f(m[1]);
    }

    /** A peer's values on the sets of group g that it was run on: [epr[], apr[]]. */
    static double[][] peerValues(PublishedScores pub, Set<String> sets, String peer, String g) {
        List<double[]> v = new ArrayList<>();
        for (String s : sets) {
            if (group(s).equals(g)) {
                pub.get(s, peer).ifPresent(p -> v.add(new double[] {p.epr(), p.auprcRatio()}));
            }
        }
        return new double[][] {v.stream().mapToDouble(x -> x[0]).toArray(),
                v.stream().mapToDouble(x -> x[1]).toArray()};
    }

    /**
     * The best peer on the held-out group by median EPR over the sets it was run on, with its medians; only peers
     * run on at least half of the group's sets count (a peer on one set is not a group median).
     */
    static double[] bestPeerMedians(PublishedScores pub, Map<String, Map<String, Cell>> bySet, String g) {
        String p = bestPeerName(pub, bySet, g);
        if (p == null) {
            return null;
        }
        double[][] v = peerValues(pub, bySet.keySet(), p, g);
        return new double[] {median(v[0]), median(v[1])};
    }

    static String bestPeerName(PublishedScores pub, Map<String, Map<String, Cell>> bySet, String g) {
        long n = bySet.keySet().stream().filter(s -> group(s).equals(g)).count();
        String best = null;
        double bestEpr = Double.NEGATIVE_INFINITY;
        for (String peer : PEERS) {
            double[][] v = peerValues(pub, bySet.keySet(), peer, g);
            if (v[0].length * 2 >= n && median(v[0]) > bestEpr) {
                bestEpr = median(v[0]);
                best = peer;
            }
        }
        return best;
    }

    static String bestPeer(PublishedScores pub, Map<String, Map<String, Cell>> bySet, String g) {
        String p = bestPeerName(pub, bySet, g);
        if (p == null) {
            return "–";
        }
        double[][] v = peerValues(pub, bySet.keySet(), p, g);
        return p + " " + f(median(v[0])) + " / " + f(median(v[1])) + " (n=" + v[0].length + ")";
    }

    static String bestPeerCell(PublishedScores pub, String set) {
        String best = null;
        PublishedScores.Published bp = null;
        for (String peer : PEERS) {
            if (peer.equals("grnboost2")) {
                continue;
            }
            var p = pub.get(set, peer);
            if (p.isPresent() && (bp == null || p.get().epr() > bp.epr())) {
                bp = p.get();
                best = peer;
            }
        }
        return bp == null ? "–" : best + " " + f(bp.epr()) + " / " + f(bp.auprcRatio());
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double median(double[] v) {
        return Medians.median(v);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
