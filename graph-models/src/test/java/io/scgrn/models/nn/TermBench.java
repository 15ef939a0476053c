package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;
import io.scgrn.models.numerics.Sampling;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Benchmark driver (not a test) for choosing crowd's terms and weights without re-running the terms: {@code dump}
 * computes each term of {@link #TERMS} once per set and stores its TF × gene score matrix; {@code combine} scores
 * weighted rank means of stored terms exactly as {@link CrowdModel} combines them (rank-scale each term over all
 * TF × gene pairs, self-loops 0, weighted mean; sign of the values' partial correlation) and appends rows in
 * {@link LogoBench}'s TSV format, so {@code LogoBench <dir> <tsv>} prints the per-set, per-group and LOGO tables.
 *
 * <p>Usage: {@code TermBench dump <benchmarkDir> <termDir> [term,term,... [setRegex]]};
 * {@code TermBench combine <benchmarkDir> <termDir> <scores.tsv> name=term:w,term:w[;option=v...] ...} (options:
 * {@link #combined}).
 */
public final class TermBench {
    /** Term name → model and parameters; the stored matrix is the network's score per (TF, target). */
    static final Map<String, String[]> TERMS = new LinkedHashMap<>();

    static {
        TERMS.put("corr", new String[] {"crowd", "w-corr=1", "w-pcor=0", "w-mi=0", "w-learned=0"});
        // within=off: the plain partial correlation (round 7 made crowd mix in its within-state twin by default)
        TERMS.put("pv", new String[] {"crowd", "pcor=values", "w-mi=0", "w-learned=0", "within=off"});
        TERMS.put("pr", new String[] {"crowd", "pcor=ranks", "w-mi=0", "w-learned=0", "within=off"});
        TERMS.put("mi", new String[] {"crowd", "w-pcor=0", "w-learned=0"});
        // crowd's learned term with crowd's defaults: since round 4 (a9b) trained with da=0.1; terms stored before
        // that (round 3's learned, learned50s*) are the plain auto-encoder (da=0, gs1.. below)
        TERMS.put("learned", new String[] {"crowd", "w-pcor=0", "w-mi=0", "w-learned=1"});
        TERMS.put("tb50", new String[] {"grnboost", "learning-rate=0.1", "max-trees=50", "early-stop-window=0"});
        TERMS.put("gb", new String[] {"grnboost"});
        // the RegDiffusion-style model (helper a1) as a term
        TERMS.put("regdiff", new String[] {"regdiff"});
        // the learned term trained for 50 epochs (a third of the default), with three seeds
        for (int seed = 0; seed < 3; seed++) {
            TERMS.put("learned50s" + seed, new String[] {"crowd", "w-pcor=0", "w-mi=0", "w-learned=1", "epochs=50",
                "seed=" + seed});
        }
        // round 4 (helper a9b): variants of the learned term, the gnn auto-encoder's logits alone (coexpr=0)
        TERMS.put("g300", new String[] {"gnn", "coexpr=0", "epochs=300"});
        TERMS.put("gk20", new String[] {"gnn", "coexpr=0", "k=20"});
        TERMS.put("gk5", new String[] {"gnn", "coexpr=0", "k=5"});
        TERMS.put("gm05", new String[] {"gnn", "coexpr=0", "mask=0.5"});
        TERMS.put("gda10", new String[] {"gnn", "coexpr=0", "da=0.1"});
        TERMS.put("gda30", new String[] {"gnn", "coexpr=0", "da=0.3"});
        // second seed of the plain learned term and of da=0.1: separates the augmentation from seed noise
        TERMS.put("gs1", new String[] {"gnn", "coexpr=0", "seed=1"});
        TERMS.put("gda10s1", new String[] {"gnn", "coexpr=0", "da=0.1", "seed=1"});
        for (int seed = 1; seed < 3; seed++) {
            TERMS.put("gda20s" + seed, new String[] {"gnn", "coexpr=0", "da=0.2", "seed=" + seed});
            TERMS.put("gda30s" + seed, new String[] {"gnn", "coexpr=0", "da=0.3", "seed=" + seed});
        }
        for (int seed = 3; seed < 5; seed++) {
            TERMS.put("gs" + seed, new String[] {"gnn", "coexpr=0", "seed=" + seed});
            TERMS.put("gda10s" + seed, new String[] {"gnn", "coexpr=0", "da=0.1", "seed=" + seed});
        }
        // round 6 speed (helper s9): crowd's shipped learned term (gda10s*, da=0.1) trained 100 epochs, not 150
        for (int seed = 0; seed < 7; seed++) {
            TERMS.put("learnedda100s" + seed, new String[] {"gnn", "coexpr=0", "da=0.1", "epochs=100",
                "seed=" + seed});
        }
        // round 7 (helper a9d): crowd's shipped learned term (da=0.1, 150 epochs) for seeds 0-6 (0-4 are stored in
        // /tmp/lead-terms as learnedda0..4), and the same trained 50 epochs (learnedE50s*): members of the K-run
        // ensembles (crowd's learned-runs), combined as "learnedda0+learnedda1+learnedda2" (mean of rank scalings)
        for (int seed = 0; seed < 7; seed++) {
            TERMS.put("learnedda" + seed, new String[] {"gnn", "coexpr=0", "da=0.1", "seed=" + seed});
            TERMS.put("learnedE50s" + seed, new String[] {"gnn", "coexpr=0", "da=0.1", "epochs=50", "seed=" + seed});
            TERMS.put("learnedE75s" + seed, new String[] {"gnn", "coexpr=0", "da=0.1", "epochs=75", "seed=" + seed});
        }
        // round 8 (helper a9h): the same runs trained as ONE batched model (GnnEnsemble, crowd's learned-runs):
        // learnedBs<j> = slice j of a 7-run batch seeded 0 = the batched run of seed j (a slice does not depend on
        // its batch); ensembles combined as "learnedBs0+learnedBs1+learnedBs2"
        for (int seed = 0; seed < 7; seed++) {
            TERMS.put("learnedBs" + seed, new String[] {"gnn-batch", "coexpr=0", "da=0.1", "runs=7", "slice=" + seed});
        }
        // round 9 (helper a9j): crowd's shipped learned term bagged: run seed trains on a share f of the cells drawn
        // from its seed (crowd's learned-bag; f = 0.5 -> learnedBag50s*, 0.67 -> learnedBag67s*), scored from all
        // cells; ensembles combined as "learnedBag50s0+learnedBag50s1+learnedBag50s2"
        for (int seed = 0; seed < 7; seed++) {
            TERMS.put("learnedBag50s" + seed, new String[] {"gnn", "coexpr=0", "da=0.1", "bag=0.5", "seed=" + seed});
            TERMS.put("learnedBag67s" + seed, new String[] {"gnn", "coexpr=0", "da=0.1", "bag=0.67", "seed=" + seed});
            // addendum (family G'): scored from the bag's features as well (crowd's learned-bag-scores=bag)
            TERMS.put("learnedBagS67s" + seed, new String[] {"gnn", "coexpr=0", "da=0.1", "bag=0.67", "bag-scores=bag",
                "seed=" + seed});
            TERMS.put("learnedBagS80s" + seed, new String[] {"gnn", "coexpr=0", "da=0.1", "bag=0.8", "bag-scores=bag",
                "seed=" + seed});
        }
        // seed 7: the G'4f67 ensemble of seeds 4..7 (a confirmation on s = 4)
        TERMS.put("learnedBagS67s7", new String[] {"gnn", "coexpr=0", "da=0.1", "bag=0.67", "bag-scores=bag",
            "seed=7"});
        TERMS.put("gda20", new String[] {"gnn", "coexpr=0", "da=0.2"});
        TERMS.put("gs2", new String[] {"gnn", "coexpr=0", "seed=2"});
        TERMS.put("gda10s2", new String[] {"gnn", "coexpr=0", "da=0.1", "seed=2"});
        TERMS.put("rdda10", new String[] {"regdiff", "da=0.1"});
        TERMS.put("gcorr", new String[] {"gnn", "coexpr=0", "graph=corr"});
        // random-forest-like: a negligible learning rate fits every tree to the target itself (bagged, deeper trees)
        TERMS.put("rf50", new String[] {"grnboost", "learning-rate=0.000001", "max-depth=5", "subsample=0.7",
            "max-trees=50", "early-stop-window=0"});
        // round 7 (helper a9e): crowd's statistical terms on the expression centred within k label-free cell states
        // (WithinStates; "states=k" is read by infer, not by the model)
        for (int k : new int[] {4, 8}) {
            TERMS.put("wpv" + k, new String[] {"crowd", "pcor=values", "w-mi=0", "w-learned=0", "within=off",
                "states=" + k});
            TERMS.put("wpr" + k, new String[] {"crowd", "pcor=ranks", "w-mi=0", "w-learned=0", "within=off",
                "states=" + k});
            TERMS.put("wmi" + k, new String[] {"crowd", "w-pcor=0", "w-learned=0", "states=" + k});
            TERMS.put("wr" + k, new String[] {"crowd", "w-corr=1", "w-pcor=0", "w-mi=0", "w-learned=0",
                "states=" + k});
        }
        // round 7b (helper a9f): the states (k = 4) as the lowest-inertia clustering of 4 k-means++ starts, seeds 0-2
        for (int seed = 0; seed < 3; seed++) {
            String sfx = seed == 0 ? "" : "s" + seed;
            TERMS.put("wpv4n4" + sfx, new String[] {"crowd", "pcor=values", "w-mi=0", "w-learned=0", "within=off",
                "states=4", "starts=4", "seed=" + seed});
            TERMS.put("wpr4n4" + sfx, new String[] {"crowd", "pcor=ranks", "w-mi=0", "w-learned=0", "within=off",
                "states=4", "starts=4", "seed=" + seed});
        }
        // round 8 (helper a9i): the partial correlation on kNN-smoothed expression (CellStates.knnSmooth, k cells;
        // "knn=k" is read by infer, not by the model)
        for (int k : new int[] {5, 15}) {
            TERMS.put("spv" + k, new String[] {"crowd", "pcor=values", "w-mi=0", "w-learned=0", "within=off",
                "knn=" + k});
            TERMS.put("spr" + k, new String[] {"crowd", "pcor=ranks", "w-mi=0", "w-learned=0", "within=off",
                "knn=" + k});
        }
        // round 8: crowd's MI with the zeros in their own bin (mi-zeros=own); grouped with mi into one term "mi"
        TERMS.put("mi0", new String[] {"crowd", "w-pcor=0", "w-learned=0", "mi-zeros=own"});
        // the same states (k = 4) from two other seeds of the PCA and k-means: how much the states' draw matters
        for (int seed = 1; seed < 3; seed++) {
            TERMS.put("wpv4s" + seed, new String[] {"crowd", "pcor=values", "w-mi=0", "w-learned=0", "within=off",
                "states=4", "seed=" + seed});
            TERMS.put("wpr4s" + seed, new String[] {"crowd", "pcor=ranks", "w-mi=0", "w-learned=0", "within=off",
                "states=4", "seed=" + seed});
        }
    }

    static {
        // round 12 (helper a9p): the statistical terms as they were stored before gated DPI became crowd's default
        // (session 10): crowd's post=dpi post-gate=within now also runs inside each term's own crowd run where the
        // within-state gate opens (curated, synthetic, sergio-DS4/DS5), which changed those sets' stored corr, pv,
        // pr and mi and so D10 and `pearson` there; post=off keeps the terms the raw inputs that combined()
        // post-processes itself (@pdpi, @pgate)
        for (String t : new String[] {"corr", "pv", "pr", "mi", "wpv4", "wpr4", "wpv8", "wpr8", "wmi4", "wmi8",
            "wr4", "wr8", "mi0"}) {
            String[] a = TERMS.get(t);
            String[] b = Arrays.copyOf(a, a.length + 1);
            b[a.length] = "post=off";
            TERMS.put(t, b);
        }
    }

    static {
        // round 11b (helper a9o): crowd's values' partial correlation from B complementary pairs of half-samples of
        // the cells (crowd's pcor-stability=B, stability-mode=mean|pairmin; seed 0): pvs<B>m / pvs<B>p. post=off:
        // the term alone, as pv was stored (before gated DPI became crowd's default). pvchk: pv again, to check that
        // this harness still stores what pv holds.
        for (int b : new int[] {2, 4, 8}) {
            for (String mode : new String[] {"mean", "pairmin"}) {
                TERMS.put("pvs" + b + mode.charAt(0), new String[] {"crowd", "pcor=values", "w-mi=0", "w-learned=0",
                    "within=off", "post=off", "pcor-stability=" + b, "stability-mode=" + mode});
            }
        }
        TERMS.put("pvchk", new String[] {"crowd", "pcor=values", "w-mi=0", "w-learned=0", "within=off", "post=off"});
    }

    static {
        // round 17 (helper st17): crowd's full default output (every default on), a baseline column computed from
        // the same dump as the terms the learned combiner reads (bench/lsim.py)
        TERMS.put("crowd", new String[] {"crowd"});
    }

    static {
        // round 10 (helper a9k): crowd's statistical terms with the activity term (C10h's options, no learned term),
        // to check that "pv:0.5,pr:0.5,mi:1;gate=1;agreement=1;wmix=4;wgate=0.5;act=0.5;actk=10;actclr=1" is crowd's
        TERMS.put("actC10hStat", new String[] {"crowd", "w-learned=0", "w-activity=0.5", "activity-k=10",
            "activity-context=clr"});
    }

    private TermBench() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[1]);
        Path dir = Path.of(args[2]);
        if (args[0].equals("gatestats")) {
            // round 12: TermBench gatestats <benchmarkDir> <termDir> name=spec: the blend gate's statistics per set
            Map<String, Map<String, Double>> specs = specs(args, 3);
            for (String set : BenchFiles.sets(root, System.getProperty("sets", ".*"))) {
                Path sd = dir.resolve(set);
                if (!Files.exists(sd.resolve("meta.tsv"))) {
                    continue;
                }
                List<String> meta = Files.readAllLines(sd.resolve("meta.tsv"));
                int g = meta.get(0).split("\t").length;
                int[] tfIdx = Arrays.stream(meta.get(1).split("\t")).mapToInt(Integer::parseInt).toArray();
                boolean[] self = NnSupport.selfLoops(tfIdx, g);
                for (var spec : specs.entrySet()) {
                    Map<String, float[]> ranks = new HashMap<>();
                    float[] pre = combined(root, set, sd, tfIdx, g, self, spec.getValue(), ranks, false);
                    double[] v = gateStats(root, set, sd, tfIdx, g, self, pre, "x", ranks);
                    System.out.printf(Locale.ROOT, "%s\t%s\t%.4f\t%.4f\t%.4f%n", set, spec.getKey(), v[0], v[1],
                            v[2]);
                }
            }
            return;
        }
        if (args[0].equals("dump")) {
            dump(root, dir, args.length > 3 ? List.of(args[3].split(",")) : List.copyOf(TERMS.keySet()),
                    args.length > 4 ? args[4] : ".*");
        } else {
            Map<String, Map<String, Double>> specs = specs(args, 4);
            combine(root, dir, Path.of(args[3]), specs);
        }
    }

    /**
     * Combination specs from {@code args[from..]}: {@code name=term:w,term:w[;option=v...]} → term → weight, options
     * stored as {@code @option} (see {@link #combined}).
     */
    static Map<String, Map<String, Double>> specs(String[] args, int from) {
        Map<String, Map<String, Double>> specs = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            String[] nv = args[i].split("=", 2);
            Map<String, Double> w = new LinkedHashMap<>();
            String[] parts = nv[1].split(";");
            for (String tw : parts[0].split(",")) {
                String[] p = tw.split(":");
                w.put(p[0], p.length > 1 ? Double.parseDouble(p[1]) : 1.0);
            }
            for (int q = 1; q < parts.length; q++) {
                String[] ov = parts[q].split("=", 2);
                w.put("@" + ov[0], Double.parseDouble(ov[1]));
            }
            specs.put(nv[0], w);
        }
        return specs;
    }

    static void dump(Path root, Path out, List<String> terms, String regex) throws IOException {
        for (String set : BenchFiles.sets(root, regex)) {
            Path sd = out.resolve(set);
            Files.createDirectories(sd);
            if (terms.stream().allMatch(t -> Files.exists(sd.resolve(t + ".f32")))) {
                continue;
            }
            Path dir = root.resolve(set);
            ExpressionMatrix data = NnBench.readH5ad(dir.resolve("data.h5ad"));
            List<String> tfs = Files.readAllLines(dir.resolve("tfs.txt")).stream().map(String::trim)
                    .filter(x -> !x.isEmpty()).toList();
            int[] tfIdx = ModelInputs.tfIndices(data, tfs);
            int g = data.nGenes();
            List<String> meta = new ArrayList<>();
            meta.add(String.join("\t", data.genes()));
            StringBuilder ti = new StringBuilder();
            for (int t : tfIdx) {
                ti.append(ti.length() == 0 ? "" : "\t").append(t);
            }
            meta.add(ti.toString());
            Files.write(sd.resolve("meta.tsv"), meta);
            for (String term : terms) {
                if (Files.exists(sd.resolve(term + ".f32"))) {
                    continue;
                }
                long t0 = System.nanoTime();
                Network net;
                try {
                    net = infer(TERMS.get(term), data, tfs);
                } catch (io.scgrn.models.ModelException e) {
                    // crowd's learned term alone where the auto-encoder does not train: crowd drops the term there,
                    // so an all-zero term stands in (as for the batched slices)
                    if (!term.startsWith("learned")) {
                        throw e;
                    }
                    net = null;
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                float[] score = new float[tfIdx.length * g];
                float[] sign = new float[tfIdx.length * g];
                if (net != null) {
                    NnSupport.place(net, data.genes(), tfIdx, score, sign);
                }
                write(sd.resolve(term + ".f32"), score);
                if (term.equals("pv")) {
                    write(sd.resolve("sign.f32"), sign);
                }
                System.err.printf(Locale.ROOT, "%s\t%s\t%.2f s%n", set, term, secs);
                Files.writeString(sd.resolve(term + ".secs"), String.format(Locale.ROOT, "%.2f%n", secs));
            }
        }
    }

    /**
     * Like {@link LogoBench#infer}, with {@code seed=N} in the spec as the run's seed (default 0) and
     * {@code states=k}: the model runs on the data centred within k cell states ({@link WithinStates}).
     */
    static Network infer(String[] spec, ExpressionMatrix data, List<String> tfs) {
        Map<String, String> params = new HashMap<>();
        for (int i = 1; i < spec.length; i++) {
            String[] kv = spec[i].split("=", 2);
            params.put(kv[0], kv[1]);
        }
        if (spec[0].equals(BATCH)) {
            return batchSlice(params, data, tfs);
        }
        long seed = Long.parseLong(params.getOrDefault("seed", "0"));
        params.remove("seed");
        String states = params.remove("states");
        String knn = params.remove("knn");
        if (knn != null) {
            data = new ExpressionMatrix(io.scgrn.models.atac.CellStates.knnSmooth(data.values(), data.nCells(),
                    data.nGenes(), Integer.parseInt(knn), WithinStates.DIMS, seed), data.cells(), data.genes());
        }
        int starts = Integer.parseInt(params.getOrDefault("starts", "1"));
        params.remove("starts");
        if (states != null) {
            data = WithinStates.of(data, Integer.parseInt(states), seed, starts).residual();
        }
        return Models.byName(spec[0]).infer(data, tfs, new InferenceOptions(seed, "cpu", params, List.of()),
                Progress.NONE);
    }

    /** Pseudo-model of a TermBench spec: one slice of a {@link GnnEnsemble} batch. */
    static final String BATCH = "gnn-batch";
    private static Object[] lastBatch;

    /**
     * Slice {@code slice} of a {@code runs}-run {@link GnnEnsemble} batch seeded {@code seed} (default 0), as a
     * network whose scores are gnn's ({@code coexpr=0}: the rank scaling of the logits); the batch is trained once
     * per (data, TFs, runs, seed) and its slices kept for the next call.
     */
    private static synchronized Network batchSlice(Map<String, String> params, ExpressionMatrix data,
                                                   List<String> tfs) {
        // -Dbatch.runs=K trains a smaller batch (its slices are the same: a slice does not depend on its batch)
        int runs = Integer.getInteger("batch.runs", Integer.parseInt(params.remove("runs")));
        params.remove("runs");
        int slice = Integer.parseInt(params.remove("slice"));
        long seed = Long.parseLong(params.getOrDefault("seed", "0"));
        params.remove("seed");
        String key = runs + "/" + seed + "/" + params;
        if (lastBatch == null || lastBatch[0] != data || !lastBatch[1].equals(tfs) || !lastBatch[2].equals(key)) {
            float[][] l = GnnEnsemble.logits(data, tfs, new InferenceOptions(seed, "cpu", params, List.of()), runs,
                    Progress.NONE);
            lastBatch = new Object[] {data, List.copyOf(tfs), key, l};
        }
        float[][] logits = (float[][]) lastBatch[3];
        int[] tfIdx = ModelInputs.tfIndices(data, tfs);
        boolean[] self = NnSupport.selfLoops(tfIdx, data.nGenes());
        // where nothing trains, gnn's network is the partial correlation; such terms drop out of the
        // combinations (learns.txt), so an all-zero term stands in
        float[] score = logits == null ? new float[tfIdx.length * data.nGenes()]
                : NnSupport.rankScale(logits[slice], self);
        return NnSupport.network(data.genes(), tfIdx, score, null, null);
    }

    static void write(Path p, float[] v) throws IOException {
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p)))) {
            o.writeInt(v.length);
            for (float x : v) {
                o.writeFloat(x);
            }
        }
    }

    static float[] read(Path p) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(p)))) {
            float[] v = new float[in.readInt()];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readFloat();
            }
            return v;
        }
    }

    static void combine(Path root, Path dir, Path tsv, Map<String, Map<String, Double>> specs) throws IOException {
        List<String> lines = BenchFiles.rows(tsv);
        Set<String> done = BenchFiles.done(lines);
        // -Dr2=true: also the label-free held-out R² of every combination, to <tsv>.r2
        Path r2File = Path.of(tsv + ".r2");
        List<String> r2 = Boolean.getBoolean("r2")
                ? (Files.exists(r2File) ? new ArrayList<>(Files.readAllLines(r2File)) : new ArrayList<>()) : null;
        for (String set : BenchFiles.sets(root, System.getProperty("sets", ".*"))) {
            Path sd = dir.resolve(set);
            if (!Files.exists(sd.resolve("meta.tsv"))) {
                continue;
            }
            List<String> meta = Files.readAllLines(sd.resolve("meta.tsv"));
            List<String> genes = List.of(meta.get(0).split("\t"));
            int[] tfIdx = Arrays.stream(meta.get(1).split("\t")).mapToInt(Integer::parseInt).toArray();
            boolean[] self = NnSupport.selfLoops(tfIdx, genes.size());
            Truth truth = Evaluation.readTruth(root.resolve(set).resolve("truth.csv"));
            float[] sign = read(sd.resolve("sign.f32"));
            Map<String, float[]> ranks = new HashMap<>();
            float[] z = null;
            for (var spec : specs.entrySet()) {
                if (done.contains(set + "\t" + spec.getKey())
                        || !spec.getValue().keySet().stream().filter(t -> !t.startsWith("@"))
                        .allMatch(t -> Arrays.stream(t.split("~")[0].split("\\+"))
                                .allMatch(m -> Files.exists(sd.resolve(m + ".f32"))))) {
                    continue;
                }
                float[] acc = combined(root, set, sd, tfIdx, genes.size(), self, spec.getValue(), ranks,
                        spec.getKey().endsWith("@geo"));
                if (r2 != null) {
                    if (z == null) {
                        z = NnSupport.standardise(NnBench.readH5ad(root.resolve(set).resolve("data.h5ad")));
                    }
                    double[] q = heldOutR2(z, z.length / genes.size(), genes.size(), tfIdx, acc);
                    r2.add(String.format(Locale.ROOT, "%s\t%s\t%.5f\t%.5f", set, spec.getKey(), q[0], q[1]));
                }
                Scores s = Evaluation.score(NnSupport.network(genes, tfIdx, acc, sign, null), truth);
                String line = String.format(Locale.ROOT, "%s\t%s\t%.4f\t%.4f\t%.4f\t%.2f", set, spec.getKey(),
                        s.epr(), s.auprcRatio(), s.auroc(), 0.0);
                System.err.println(line);
                lines.add(line);
            }
            Files.write(tsv, lines);
            if (r2 != null) {
                Files.write(r2File, r2);
            }
        }
    }

    /** Terms that form one evidence group in CrowdModel (the two rank scalings of the partial correlation). */
    static final Map<String, String> GROUP = Map.of("pv", "pcor", "pr", "pcor", "wpv4", "wp4", "wpr4", "wp4",
            "wpv8", "wp8", "wpr8", "wp8", "wpv4s1", "wp4s1", "wpr4s1", "wp4s1", "wpv4s2", "wp4s2",
            "wpr4s2", "wp4s2");

    /**
     * One combination of stored terms as {@link CrowdModel} computes it ({@link RankEnsemble}). {@code spec}: term →
     * weight, plus options as keys starting with {@code @}: {@code @power} p, {@code @agreement} (1 = on),
     * {@code @hub}, {@code @trank} (target-rank), {@code @ctx} (context) blend weights, and {@code @gate} (1: terms
     * named {@code learned*} drop out where {@link GnnModel#learns} says the auto-encoder does not train, as in
     * CrowdModel), {@code @rel} γ (weights × max(0, reliability gain)^γ, {@link TermReliability}; {@code @relk} its k).
     * Terms of one {@link #GROUP} are averaged (by their weights) into one term first. Last, {@code @pclr},
     * {@code @pdpi} or {@code @pnd} b post-processes the combination as crowd's {@code post} with {@code post-share}
     * b ({@link ScorePostprocess}; {@code @peps} ε, {@code @pbeta} β), with {@code @pgate} 1 only where crowd's
     * within-state gate opens (crowd's {@code post-gate=within}); {@code @twithin} 1 keeps terms named {@code tb*}
     * (the tree term) and {@code @ktree} only where that gate opens (crowd's {@code tree-gate=within}).
     */
    static float[] combined(Path root, String set, Path sd, int[] tfIdx, int g, boolean[] self,
                            Map<String, Double> spec, Map<String, float[]> ranks, boolean geo) throws IOException {
        double pblend = spec.getOrDefault("@pblend", 0.0);
        if (pblend > 0) {
            // round 12 (helper a9p): |Pearson r| (the stored term corr) blended into the final ranking at share
            // @pblend (RankEnsemble.blend of the two rank scalings, as the multiome paths' rna-pearson), only where
            // the label-free gate statistic @pbstat (1 wshare: crowd's between-state share, 4 states; 2 infl: the
            // inflation of TF x gene r^2 by the states; 3 agree: Spearman rho of |r| with the combination) is
            // above (@pbdir 1) or below (@pbdir -1) the threshold @pbt; @pbstat 0: everywhere. The combination
            // without the blend is computed once per set (cached in ranks under its spec).
            Map<String, Double> base = new LinkedHashMap<>();
            spec.forEach((k, v) -> {
                if (!k.startsWith("@pb")) {
                    base.put(k, v);
                }
            });
            String key = "#" + base;
            float[] pre = ranks.get(key);
            if (pre == null) {
                pre = combined(root, set, sd, tfIdx, g, self, base, ranks, geo);
                ranks.put(key, pre);
            }
            int stat = (int) Math.round(spec.getOrDefault("@pbstat", 0.0));
            if (stat > 0) {
                double v = gateStats(root, set, sd, tfIdx, g, self, pre, key, ranks)[stat - 1];
                double t = spec.getOrDefault("@pbt", 0.0);
                boolean open = spec.getOrDefault("@pbdir", 1.0) > 0 ? v > t : v < t;
                if (!open) {
                    return pre;
                }
            }
            float[] r = ranks.computeIfAbsent("#corr", k -> {
                try {
                    return NnSupport.rankScale(read(sd.resolve("corr.f32")), self);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return RankEnsemble.blend(NnSupport.rankScale(pre, self), r, pblend, self);
        }
        Map<String, float[]> groupRank = new LinkedHashMap<>();
        Map<String, Double> groupW = new LinkedHashMap<>();
        boolean gate = spec.getOrDefault("@gate", 0.0) > 0;
        // @twithin=1 (round 11, helper a9n; crowd's tree-gate=within): terms named tb* (the tree term) drop out where
        // the within-state gate is closed (the share @pgate reads: @wmix states, 4 if unset, seed 0)
        boolean treesOut = spec.getOrDefault("@twithin", 0.0) > 0 && betweenShare(root, set, sd, tfIdx,
                (int) Math.round(spec.getOrDefault("@wmix", 4.0)), 0, 1) <= CrowdModel.WITHIN_GATE;
        for (var tw : spec.entrySet()) {
            if (tw.getKey().startsWith("@")) {
                continue;
            }
            if (gate && tw.getKey().startsWith("learned") && !learns(root, set, sd)) {
                continue;
            }
            if (treesOut && tw.getKey().startsWith("tb")) {
                continue;
            }
            float[] r = ranks.get(tw.getKey());
            if (r == null) {
                // term~clr: the stored term context-normalised as in CLR before ranking
                String base = tw.getKey().split("~")[0];
                if (base.contains("+")) {
                    // a+b+c (round 7): one term, the mean of the members' rank scalings (crowd's learned-runs)
                    List<float[]> runs = new ArrayList<>();
                    for (String m : base.split("\\+")) {
                        runs.add(read(sd.resolve(m + ".f32")));
                    }
                    r = CrowdModel.meanRankScale(runs, self);
                } else {
                    float[] raw = read(sd.resolve(base + ".f32"));
                    if (tw.getKey().endsWith("~clr")) {
                        raw = CrowdModel.clr(raw, tfIdx, g);
                    }
                    r = NnSupport.rankScale(raw, self);
                    if (tw.getKey().endsWith("~dpi") || tw.getKey().endsWith("~dpih")) {
                        // round 10, post hoc: ARACNE's DPI (ε = 0) on this one term's ranks before the combination,
                        // its indirect edges dropped (~dpi) or halved (~dpih), then ranked again
                        boolean[] ind = ScorePostprocess.indirect(r, tfIdx, g, self, 0);
                        float keep = tw.getKey().endsWith("~dpih") ? 0.5f : 0f;
                        for (int i = 0; i < r.length; i++) {
                            r[i] = ind[i] ? keep * r[i] : r[i];
                        }
                        r = NnSupport.rankScale(r, self);
                    }
                }
                ranks.put(tw.getKey(), r);
            }
            // pvs* (round 11b): the stability version of pv, in pv's place in the pcor group
            String grp = tw.getKey().equals("mi0") ? "mi" : tw.getKey().startsWith("pvs") ? "pcor"
                    : GROUP.getOrDefault(tw.getKey(), tw.getKey());
            float[] acc = groupRank.computeIfAbsent(grp, k -> new float[self.length]);
            for (int i = 0; i < acc.length; i++) {
                acc[i] += (float) (tw.getValue() * r[i]);
            }
            groupW.merge(grp, tw.getValue(), Double::sum);
        }
        List<float[]> terms = new ArrayList<>();
        double[] w = new double[groupW.size()];
        int k = 0;
        for (var e : groupW.entrySet()) {
            float[] acc = groupRank.get(e.getKey());
            for (int i = 0; i < acc.length; i++) {
                acc[i] /= e.getValue();
            }
            terms.add(acc);
            w[k++] = e.getValue();
        }
        int wmix = (int) Math.round(spec.getOrDefault("@wmix", 0.0));
        if (wmix > 0) {
            // round 7 family G: the pcor term = (1 − s)·pcor + s·(within-state pcor), s = the TFs' between-state
            // share of variance (label-free)
            int q = new ArrayList<>(groupW.keySet()).indexOf("pcor");
            // @wseed=n: the states of seed n (terms wpv<k>s<n>, wpr<k>s<n>)
            int wseed = (int) Math.round(spec.getOrDefault("@wseed", 0.0));
            // @wstarts=n (round 7b, K): the states of n k-means++ starts (terms wpv<k>n<n>[s<seed>], ...)
            int wstarts = (int) Math.round(spec.getOrDefault("@wstarts", 1.0));
            String sfx = wmix + (wstarts == 1 ? "" : "n" + wstarts) + (wseed == 0 ? "" : "s" + wseed);
            float[] wp = NnSupport.rankScale(read(sd.resolve("wpv" + sfx + ".f32")), self);
            float[] wr = NnSupport.rankScale(read(sd.resolve("wpr" + sfx + ".f32")), self);
            double s = betweenShare(root, set, sd, tfIdx, wmix, wseed, wstarts);
            // @wgate=t: no mix where s <= t (round 7 addendum GT); @wpow=p: the mix share s^p (GS)
            double gateT = spec.getOrDefault("@wgate", -1.0);
            if (s <= gateT) {
                s = 0;
            }
            s = Math.pow(s, spec.getOrDefault("@wpow", 1.0));
            // @wrows=1 (round 7b, P): each regulator's row mixed at its own share s_i where s_i > wgate, no set gate
            double[] rowShare = spec.getOrDefault("@wrows", 0.0) > 0
                    ? regulatorShares(root, set, sd, tfIdx, wmix) : null;
            float[] p = terms.get(q);
            float[] mixed = new float[p.length];
            int g0 = p.length / tfIdx.length;
            for (int i = 0; i < p.length; i++) {
                double m = s;
                if (rowShare != null) {
                    m = rowShare[i / g0] > gateT ? rowShare[i / g0] : 0;
                }
                mixed[i] = (float) ((1 - m) * p[i] + m * (wp[i] + wr[i]) / 2);
            }
            terms.set(q, mixed);
            // @wmimix=1 (round 7b, M1): the MI term mixed with wmi<k> at the same (gated) share; 2 (M2): replaced
            // by wmi<k> where the gate opens
            int wmimix = (int) Math.round(spec.getOrDefault("@wmimix", 0.0));
            int qm = new ArrayList<>(groupW.keySet()).indexOf("mi");
            if (wmimix > 0 && qm >= 0 && s > 0) {
                double mm = wmimix == 2 ? 1 : s;
                float[] wmi = NnSupport.rankScale(read(sd.resolve("wmi" + wmix + ".f32")), self);
                float[] mi = terms.get(qm);
                float[] mixedMi = new float[mi.length];
                for (int i = 0; i < mi.length; i++) {
                    mixedMi[i] = (float) ((1 - mm) * mi[i] + mm * wmi[i]);
                }
                terms.set(qm, mixedMi);
            }
        }
        // round 8 (helper a9i), S: @smix=k, the pcor term := (1 − Z)·pcor + Z·(smoothed pcor, spv<k>/spr<k>), Z the
        // matrix's zero share (crowd's smooth=k)
        int smix = (int) Math.round(spec.getOrDefault("@smix", 0.0));
        int qp = new ArrayList<>(groupW.keySet()).indexOf("pcor");
        if (smix > 0 && qp >= 0) {
            double z = zeroShare(root, set, sd);
            if (z > 0) {
                float[] sp = NnSupport.rankScale(read(sd.resolve("spv" + smix + ".f32")), self);
                float[] sr = NnSupport.rankScale(read(sd.resolve("spr" + smix + ".f32")), self);
                float[] p = terms.get(qp);
                float[] mixed = new float[p.length];
                for (int i = 0; i < p.length; i++) {
                    mixed[i] = (float) ((1 - z) * p[i] + z * (sp[i] + sr[i]) / 2);
                }
                terms.set(qp, mixed);
            }
        }
        // round 8, D: @drop=c, the MI term's row of TF i moved towards the pcor term at share min(1, c·z_i)
        // (crowd's dropout=mi, dropout-scale=c); @droplearned=1 the learned term's too (dropout=mi-learned)
        double drop = spec.getOrDefault("@drop", 0.0);
        if (drop > 0 && qp >= 0) {
            double[] zt = tfZeroShares(root, set, sd, tfIdx);
            List<String> names = new ArrayList<>(groupW.keySet());
            for (int q = 0; q < names.size(); q++) {
                if (names.get(q).equals("mi")
                        || spec.getOrDefault("@droplearned", 0.0) > 0 && names.get(q).startsWith("learned")) {
                    terms.set(q, CrowdModel.dropoutMix(terms.get(q), terms.get(qp), zt, drop, g));
                }
            }
        }
        if (geo) {
            // weighted geometric mean of the ranks (round 3)
            double wSum = Arrays.stream(w).sum();
            float[] out = new float[self.length];
            for (int q = 0; q < terms.size(); q++) {
                for (int i = 0; i < out.length; i++) {
                    out[i] += (float) (w[q] / wSum * Math.log(Math.max(terms.get(q)[i], 1e-30)));
                }
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = self[i] ? 0 : (float) Math.exp(out[i]);
            }
            return out;
        }
        double relGamma = spec.getOrDefault("@rel", 0.0);
        double relSoft = spec.getOrDefault("@relsoft", 0.0);
        if (relGamma > 0 || relSoft > 0) {
            int relK = (int) Math.round(spec.getOrDefault("@relk", (double) CrowdModel.RELIABILITY_K));
            // @relbase=1: conditional on the top regulators by |Pearson r| (stored term corr)
            float[] base = spec.getOrDefault("@relbase", 0.0) > 0 ? read(sd.resolve("corr.f32")) : null;
            double[] gains = reliability(root, set, sd, tfIdx, new ArrayList<>(groupW.keySet()), terms, relK, base);
            if (spec.getOrDefault("@relstat", 0.0) > 0) {
                // crowd's reliability=on: only the statistical terms are re-weighted among themselves
                List<String> names = new ArrayList<>(groupW.keySet());
                boolean[] judged = new boolean[names.size()];
                for (int q = 0; q < judged.length; q++) {
                    judged[q] = !names.get(q).startsWith("learned");
                }
                w = TermReliability.judgedWeights(w, gains, judged, relSoft);
            } else {
                w = relSoft > 0 ? TermReliability.softWeights(w, gains, relSoft)
                        : TermReliability.weights(w, gains, relGamma);
            }
        }
        double stabGamma = spec.getOrDefault("@stab", 0.0);
        if (stabGamma > 0) {
            double[] st = stability(set, sd, new ArrayList<>(groupW.keySet()),
                    (int) Math.round(spec.getOrDefault("@stabm", 0.0)));
            w = TermReliability.weights(w, st, stabGamma);
        }
        boolean agreement = spec.getOrDefault("@agreement", 0.0) > 0;
        if (agreement && Boolean.getBoolean("showWeights")) {
            System.err.println(set + " agreement weights " + groupW.keySet() + " "
                    + Arrays.toString(RankEnsemble.agreementWeights(terms, w, self)));
        }
        float[] score = RankEnsemble.score(terms, w, agreement, spec.getOrDefault("@power", 1.0),
                spec.getOrDefault("@hub", 0.0), spec.getOrDefault("@trank", 0.0), spec.getOrDefault("@ctx", 0.0),
                tfIdx, g, self);
        // round 10 (helper a9k): @act=w (crowd's w-activity), @actk=k (activity-k), @actpass=1 (activity-pass=
        // statistical: the first pass without the learned* terms; else this combination): TfActivity's evidence
        double act = spec.getOrDefault("@act", 0.0);
        if (act > 0) {
            float[] pass = score;
            if (spec.getOrDefault("@actpass", 0.0) > 0) {
                Map<String, Double> stat = new LinkedHashMap<>();
                for (var e : spec.entrySet()) {
                    if (!e.getKey().startsWith("learned") && !e.getKey().startsWith("@act")) {
                        stat.put(e.getKey(), e.getValue());
                    }
                }
                pass = combined(root, set, sd, tfIdx, g, self, stat, ranks, false);
            }
            int actK = (int) Math.round(spec.getOrDefault("@actk", (double) CrowdModel.ACTIVITY_K));
            ExpressionMatrix data = DATA.computeIfAbsent(set,
                    s0 -> NnBench.readH5ad(root.resolve(s0).resolve("data.h5ad")));
            float[] z = Z.computeIfAbsent(set, s0 -> NnSupport.standardise(data));
            // @actwithin=1 (addendum W, crowd's activity-within=on): on the within-state residuals (4 states, seed 0)
            // where the within-state gate opens
            if (spec.getOrDefault("@actwithin", 0.0) > 0
                    && betweenShare(root, set, sd, tfIdx, 4, 0, 1) > CrowdModel.WITHIN_GATE) {
                z = Z.computeIfAbsent(set + "#within", s0 -> NnSupport.standardise(WithinStates.of(data, 4, 0, 1)
                        .residual()));
            }
            long t0 = System.nanoTime();
            // @actmix=1 (addendum M, crowd's activity-mix=on): the TF's mRNA and its activity combined
            // @actpcor=1 (addendum P, crowd's activity-evidence=pcor): cross-fitted partial correlation, shrink 0.95
            float[] ev = spec.getOrDefault("@actpcor", 0.0) > 0
                    ? TfActivity.partialEvidence(z, data.nCells(), g, tfIdx, pass, read(sd.resolve("sign.f32")), actK,
                    0.95)
                    : TfActivity.evidence(z, data.nCells(), g, tfIdx, pass, read(sd.resolve("sign.f32")), actK,
                    spec.getOrDefault("@actmix", 0.0) > 0);
            if (Boolean.getBoolean("showActivity")) {
                System.err.printf(Locale.ROOT, "%s activity k=%d %.3f s%n", sd, actK, (System.nanoTime() - t0) / 1e9);
            }
            if (spec.getOrDefault("@actclr", 0.0) > 0) {
                // addendum T' (crowd's activity-context=clr): CLR context normalisation of the evidence
                ev = CrowdModel.clr(ev, tfIdx, g);
            }
            if (spec.getOrDefault("@actonly", 0.0) > 0) {
                // the evidence alone, as a network (what the term ranks by itself)
                return NnSupport.rankScale(ev, self);
            }
            terms.add(NnSupport.rankScale(ev, self));
            w = Arrays.copyOf(w, w.length + 1);
            w[w.length - 1] = act;
            score = RankEnsemble.score(terms, w, agreement, spec.getOrDefault("@power", 1.0),
                    spec.getOrDefault("@hub", 0.0), spec.getOrDefault("@trank", 0.0), spec.getOrDefault("@ctx", 0.0),
                    tfIdx, g, self);
        }
        // @ktree=w (crowd's w-ktree), @rerank=a (tree-rerank), @treek=K (tree-k): CandidateTrees on the combination
        double ktree = treesOut ? 0 : spec.getOrDefault("@ktree", 0.0);
        double rerank = spec.getOrDefault("@rerank", 0.0);
        if (ktree > 0 || rerank > 0) {
            int treeK = (int) Math.round(spec.getOrDefault("@treek", 10.0));
            int[][] cand = CandidateTrees.candidates(score, tfIdx.length, g, self, treeK);
            float[] imp = candidateTrees(root, set, sd, tfIdx, cand, spec, treeK);
            // @tgate=1 (crowd's tree-gate=on): the tree term only where the trees out-predict a linear fit
            if (ktree > 0 && spec.getOrDefault("@tgate", 0.0) > 0
                    && nonlinearGain(root, set, sd, tfIdx, cand, spec, treeK) <= 0) {
                ktree = 0;
            }
            if (ktree > 0) {
                terms.add(NnSupport.rankScale(imp, self));
                w = Arrays.copyOf(w, w.length + 1);
                w[w.length - 1] = ktree;
                score = RankEnsemble.score(terms, w, agreement, spec.getOrDefault("@power", 1.0),
                        spec.getOrDefault("@hub", 0.0), spec.getOrDefault("@trank", 0.0),
                        spec.getOrDefault("@ctx", 0.0), tfIdx, g, self);
            }
            if (rerank > 0) {
                score = CandidateTrees.rerank(score, imp, cand, g, rerank);
            }
        }
        // crowd's post=clr|dpi|nd (ScorePostprocess) on the final combination: @pclr=b, @pdpi=b (@peps=ε),
        // @pnd=b (@pbeta=β), b the post-share
        // @pgate=1 (round 10b, helper a9m; crowd's post-gate=within): only where the within-state gate opens (the
        // share of @wmix states, 4 if unset, seed 0 > CrowdModel.WITHIN_GATE); elsewhere the combination as it is
        boolean postOpen = spec.getOrDefault("@pgate", 0.0) <= 0
                || betweenShare(root, set, sd, tfIdx, wmix > 0 ? wmix : 4, 0, 1) > CrowdModel.WITHIN_GATE;
        for (String m : new String[] {"clr", "dpi", "nd"}) {
            Double b = spec.get("@p" + m);
            if (b != null && postOpen) {
                score = ScorePostprocess.apply(score, tfIdx, g, self, new ScorePostprocess.Settings(m, b,
                        spec.getOrDefault("@peps", 0.0), spec.getOrDefault("@pbeta", 0.9)));
            }
        }
        return score;
    }

    /**
     * {@link CandidateTrees#importances} (seed 0) on the candidates of one combination, cached in memory and, with
     * {@code -Dktree.dir=DIR}, on disk, keyed by the set (variant), the combination without its tree options, and k.
     */
    static float[] candidateTrees(Path root, String set, Path sd, int[] tfIdx, int[][] cand, Map<String, Double> spec,
                                  int k) throws IOException {
        String variant = sd.getFileName().toString().equals(set) ? set : set + "_" + sd.getFileName();
        StringBuilder base = new StringBuilder();
        for (var e : new java.util.TreeMap<>(spec).entrySet()) {
            if (!Set.of("@ktree", "@rerank", "@treek").contains(e.getKey())) {
                base.append(e.getKey()).append(':').append(e.getValue()).append(',');
            }
        }
        String key = variant + "-" + Integer.toHexString(base.toString().hashCode()) + "-k" + k;
        float[] cached = TREES.get(key);
        if (cached != null) {
            return cached;
        }
        String dir = System.getProperty("ktree.dir");
        Path file = dir == null ? null : Path.of(dir).resolve(key + ".f32");
        if (file != null && Files.exists(file)) {
            float[] v = read(file);
            TREES.put(key, v);
            return v;
        }
        ExpressionMatrix data = DATA.computeIfAbsent(set, s -> NnBench.readH5ad(root.resolve(s).resolve("data.h5ad")));
        long t0 = System.nanoTime();
        float[] v = CandidateTrees.importances(data, tfIdx, cand, 0);
        System.err.printf(Locale.ROOT, "%s candidate trees k=%d %.2f s (%s)%n", key, k,
                (System.nanoTime() - t0) / 1e9, base);
        if (file != null) {
            Files.createDirectories(file.getParent());
            write(file, v);
        }
        TREES.put(key, v);
        return v;
    }

    private static final Map<String, float[]> TREES = new HashMap<>();
    private static final Map<String, Double> GATES = new HashMap<>();

    /** {@link CandidateTrees#nonlinearGain} (seed 0, crowd's target cap), cached like {@link #candidateTrees}. */
    static double nonlinearGain(Path root, String set, Path sd, int[] tfIdx, int[][] cand, Map<String, Double> spec,
                                int k) throws IOException {
        String variant = sd.getFileName().toString().equals(set) ? set : set + "_" + sd.getFileName();
        StringBuilder base = new StringBuilder();
        for (var e : new java.util.TreeMap<>(spec).entrySet()) {
            if (!Set.of("@ktree", "@rerank", "@treek", "@tgate").contains(e.getKey())) {
                base.append(e.getKey()).append(':').append(e.getValue()).append(',');
            }
        }
        String key = variant + "-" + Integer.toHexString(base.toString().hashCode()) + "-k" + k + "-gate";
        Double cached = GATES.get(key);
        if (cached != null) {
            return cached;
        }
        String dir = System.getProperty("ktree.dir");
        Path file = dir == null ? null : Path.of(dir).resolve(key + ".txt");
        if (file != null && Files.exists(file)) {
            double v = Double.parseDouble(Files.readString(file).trim().split("\t")[0]);
            GATES.put(key, v);
            return v;
        }
        ExpressionMatrix data = DATA.computeIfAbsent(set, s -> NnBench.readH5ad(root.resolve(s).resolve("data.h5ad")));
        long t0 = System.nanoTime();
        double v = CandidateTrees.nonlinearGain(data, tfIdx, cand, 0, CrowdModel.GATE_TARGETS);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "%s nonlinear gain k=%d %.5f %.2f s%n", key, k, v, secs);
        if (file != null) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.format(Locale.ROOT, "%.6f\t%.3f%n", v, secs));
        }
        GATES.put(key, v);
        return v;
    }

    /**
     * Round 12 (helper a9p): the blend gate's label-free statistics of a set (variant) and a combination
     * {@code pre}: {wshare, infl, agree}. wshare = {@link #betweenShare} (4 states, seed 0); infl = sum of r^2 over
     * TF x gene pairs (no self pairs) on the data / the same on the data centred within those 4 states (cached in
     * {@code infl4.txt}); agree = Spearman rho between |Pearson r| (stored term corr) and {@code pre} over the
     * non-self TF x gene pairs (cached in memory per combination).
     */
    static double[] gateStats(Path root, String set, Path sd, int[] tfIdx, int g, boolean[] self, float[] pre,
                              String key, Map<String, float[]> ranks) throws IOException {
        double ws = betweenShare(root, set, sd, tfIdx, 4, 0, 1);
        Path f = sd.resolve("infl4.txt");
        if (!Files.exists(f)) {
            ExpressionMatrix data = DATA.computeIfAbsent(set,
                    s -> NnBench.readH5ad(root.resolve(s).resolve("data.h5ad")));
            double a = sumR2(NnSupport.standardise(data), data.nCells(), g, tfIdx);
            ExpressionMatrix res = WithinStates.of(data, 4, 0, 1).residual();
            double w = sumR2(NnSupport.standardise(res), data.nCells(), g, tfIdx);
            Files.writeString(f, String.format(Locale.ROOT, "%.6f%n", w > 0 ? a / w : Double.NaN));
        }
        double infl = Double.parseDouble(Files.readString(f).trim());
        float[] ag = ranks.get("#agree" + key);
        if (ag == null) {
            float[] c = NnSupport.rankScale(read(sd.resolve("corr.f32")), self);
            float[] p = NnSupport.rankScale(pre, self);
            double mc = 0;
            double mp = 0;
            int m = 0;
            for (int i = 0; i < c.length; i++) {
                if (!self[i]) {
                    mc += c[i];
                    mp += p[i];
                    m++;
                }
            }
            mc /= m;
            mp /= m;
            double sxy = 0;
            double sxx = 0;
            double syy = 0;
            for (int i = 0; i < c.length; i++) {
                if (!self[i]) {
                    sxy += (c[i] - mc) * (p[i] - mp);
                    sxx += (c[i] - mc) * (c[i] - mc);
                    syy += (p[i] - mp) * (p[i] - mp);
                }
            }
            ag = new float[] {(float) (sxy / Math.sqrt(sxx * syy))};
            ranks.put("#agree" + key, ag);
        }
        return new double[] {ws, infl, ag[0]};
    }

    /** Sum of r^2 over TF x gene pairs (no self pairs) of standardised cells x genes values z. */
    static double sumR2(float[] z, int n, int g, int[] tfIdx) {
        float[][] col = new float[g][n];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                col[j][c] = z[c * g + j];
            }
        }
        double s = 0;
        for (int t : tfIdx) {
            float[] a = col[t];
            for (int j = 0; j < g; j++) {
                if (j == t) {
                    continue;
                }
                float[] b = col[j];
                double d = 0;
                for (int c = 0; c < n; c++) {
                    d += a[c] * b[c];
                }
                double r = d / n;
                s += r * r;
            }
        }
        return s;
    }

    /** {@link WithinStates#betweenShare} of the set's TFs over k states, cached in {@code wshare<k>[s<seed>].txt}. */
    static double betweenShare(Path root, String set, Path sd, int[] tfIdx, int k, int seed, int starts)
            throws IOException {
        Path f = sd.resolve("wshare" + k + (starts == 1 ? "" : "n" + starts) + (seed == 0 ? "" : "s" + seed) + ".txt");
        if (!Files.exists(f)) {
            ExpressionMatrix data = DATA.computeIfAbsent(set,
                    s -> NnBench.readH5ad(root.resolve(s).resolve("data.h5ad")));
            WithinStates.Result r = WithinStates.of(data, k, seed, starts);
            double v = WithinStates.betweenShare(data.values(), data.nCells(), data.nGenes(), r.state(), tfIdx);
            System.err.printf(Locale.ROOT, "%s between-state share k=%d %.4f%n", sd, k, v);
            Files.writeString(f, String.format(Locale.ROOT, "%.6f%n", v));
        }
        return Double.parseDouble(Files.readString(f).trim());
    }

    /** {@link CrowdModel#zeroShare} of the set's matrix, cached in {@code zshare.txt}. */
    static double zeroShare(Path root, String set, Path sd) throws IOException {
        Path f = sd.resolve("zshare.txt");
        if (!Files.exists(f)) {
            ExpressionMatrix data = DATA.computeIfAbsent(set,
                    s -> NnBench.readH5ad(root.resolve(s).resolve("data.h5ad")));
            Files.writeString(f, String.format(Locale.ROOT, "%.6f%n", CrowdModel.zeroShare(data)));
        }
        return Double.parseDouble(Files.readString(f).trim());
    }

    /** {@link CrowdModel#zeroShares} of the set's (variant's) TFs, cached in {@code ztf.txt}. */
    static double[] tfZeroShares(Path root, String set, Path sd, int[] tfIdx) throws IOException {
        Path f = sd.resolve("ztf.txt");
        if (!Files.exists(f)) {
            ExpressionMatrix data = DATA.computeIfAbsent(set,
                    s -> NnBench.readH5ad(root.resolve(s).resolve("data.h5ad")));
            StringBuilder b = new StringBuilder();
            for (double x : CrowdModel.zeroShares(data, tfIdx)) {
                b.append(String.format(Locale.ROOT, "%.6f%n", x));
            }
            Files.writeString(f, b);
        }
        return Files.readAllLines(f).stream().mapToDouble(Double::parseDouble).toArray();
    }

    /** {@link WithinStates#regulatorShares} over k states (seed 0, one start), cached in {@code wsharetf<k>.txt}. */
    static double[] regulatorShares(Path root, String set, Path sd, int[] tfIdx, int k) throws IOException {
        Path f = sd.resolve("wsharetf" + k + ".txt");
        if (!Files.exists(f)) {
            ExpressionMatrix data = DATA.computeIfAbsent(set,
                    s -> NnBench.readH5ad(root.resolve(s).resolve("data.h5ad")));
            WithinStates.Result r = WithinStates.of(data, k, 0);
            double[] v = WithinStates.regulatorShares(data.values(), data.nCells(), data.nGenes(), r.state(), tfIdx);
            StringBuilder b = new StringBuilder();
            for (double x : v) {
                b.append(String.format(Locale.ROOT, "%.6f%n", x));
            }
            Files.writeString(f, b);
        }
        return Files.readAllLines(f).stream().mapToDouble(Double::parseDouble).toArray();
    }

    private static final Map<String, double[]> GAINS = new HashMap<>();
    private static final Map<String, ExpressionMatrix> DATA = new HashMap<>();
    /** {@link NnSupport#standardise} of {@link #DATA}'s matrices (round 10's activity term). */
    private static final Map<String, float[]> Z = new HashMap<>();

    /**
     * {@link TermReliability#gains} of the (grouped) terms on the set's expression, cached in memory and, with
     * {@code -Drel.dir=DIR}, in {@code DIR/<set>[_variant]-<terms>-k<k>.tsv} (term, gain, seconds).
     */
    static double[] reliability(Path root, String set, Path sd, int[] tfIdx, List<String> names, List<float[]> terms,
                                int k, float[] base) throws IOException {
        String variant = sd.getFileName().toString().equals(set) ? set : set + "_" + sd.getFileName();
        String key = variant + "-" + String.join("+", names) + "-k" + k + (base == null ? "" : "-corrbase");
        double[] cached = GAINS.get(key);
        if (cached != null) {
            return cached;
        }
        String dir = System.getProperty("rel.dir");
        Path file = dir == null ? null : Path.of(dir).resolve(key + ".tsv");
        if (file != null && Files.exists(file)) {
            List<String> l = Files.readAllLines(file);
            double[] v = new double[names.size()];
            for (int q = 0; q < v.length; q++) {
                v[q] = Double.parseDouble(l.get(q).split("\t")[1]);
            }
            GAINS.put(key, v);
            return v;
        }
        ExpressionMatrix data = DATA.computeIfAbsent(set, s -> NnBench.readH5ad(root.resolve(s).resolve("data.h5ad")));
        long t0 = System.nanoTime();
        double[] v = TermReliability.gains(data, tfIdx, terms, k, 0, base);
        double secs = (System.nanoTime() - t0) / 1e9;
        List<String> out = new ArrayList<>();
        for (int q = 0; q < v.length; q++) {
            out.add(String.format(Locale.ROOT, "%s\t%.5f\t%.3f", names.get(q), v[q], secs));
        }
        System.err.println(key + " gains " + out);
        if (file != null) {
            Files.createDirectories(file.getParent());
            Files.write(file, out);
        }
        GAINS.put(key, v);
        return v;
    }

    /**
     * Split-half stability of each (grouped) term from {@link StabilityBench}'s file in {@code -Dstab.dir}
     * ({@code measure} 0: top-g overlap, 1: rank correlation); {@code learned*} terms read the {@code learned} row.
     */
    static double[] stability(String set, Path sd, List<String> names, int measure) throws IOException {
        String variant = sd.getFileName().toString().equals(set) ? set : set + "_" + sd.getFileName();
        Map<String, Double> m = new HashMap<>();
        for (String l : Files.readAllLines(Path.of(System.getProperty("stab.dir", "/tmp/a9/stab"))
                .resolve(variant + "-stab.tsv"))) {
            String[] f = l.split("\t");
            m.put(f[0], Double.parseDouble(f[1 + measure]));
        }
        double[] v = new double[names.size()];
        for (int q = 0; q < v.length; q++) {
            String t = names.get(q).startsWith("learned") ? "learned" : names.get(q);
            v[q] = m.get(t);
        }
        return v;
    }

    /** {@link GnnModel#learns} with the learned term's options, cached per set in {@code learns.txt}. */
    static boolean learns(Path root, String set, Path sd) throws IOException {
        Path f = sd.resolve("learns.txt");
        if (!Files.exists(f)) {
            ExpressionMatrix data = NnBench.readH5ad(root.resolve(set).resolve("data.h5ad"));
            boolean l = GnnModel.learns(data, new InferenceOptions(0, "cpu", Map.of("coexpr", "0"), List.of()));
            Files.writeString(f, l + "\n");
        }
        return Boolean.parseBoolean(Files.readString(f).trim());
    }

    /**
     * Label-free held-out criterion of a network: the cells are split in two halves (seeded), each target gene is
     * ridge-regressed on its regulators in the network on one half, and R² is measured on the other half.
     * [0]: each target's top {@link #K_LOCAL} TFs by score; [1]: the network's global top {@code 3 × genes} edges
     * (at most {@link #K_MAX} per target; a target without one scores 0). Mean over targets.
     */
    static double[] heldOutR2(float[] z, int n, int g, int[] tfIdx, float[] score) {
        int nt = tfIdx.length;
        int[] perm = Sampling.permutation(n, new Random(7));
        int ntr = n / 2;
        // global top edges
        int top = Math.min(3 * g, nt * g);
        Integer[] order = new Integer[nt * g];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(score[b], score[a]));
        List<List<Integer>> glob = new ArrayList<>();
        for (int j = 0; j < g; j++) {
            glob.add(new ArrayList<>());
        }
        for (int q = 0, taken = 0; q < order.length && taken < top; q++) {
            int t = order[q] / g;
            int j = order[q] % g;
            if (tfIdx[t] == j) {
                continue;
            }
            taken++;
            if (glob.get(j).size() < K_MAX) {
                glob.get(j).add(tfIdx[t]);
            }
        }
        double[] out = new double[2];
        for (int j = 0; j < g; j++) {
            final int jj = j;
            Integer[] ts = new Integer[nt];
            for (int t = 0; t < nt; t++) {
                ts[t] = t;
            }
            Arrays.sort(ts, (a, b) -> Float.compare(score[b * g + jj], score[a * g + jj]));
            List<Integer> loc = new ArrayList<>();
            for (int q = 0; q < nt && loc.size() < K_LOCAL; q++) {
                if (tfIdx[ts[q]] != j) {
                    loc.add(tfIdx[ts[q]]);
                }
            }
            out[0] += r2(z, n, g, perm, ntr, j, loc);
            out[1] += r2(z, n, g, perm, ntr, j, glob.get(j));
        }
        out[0] /= g;
        out[1] /= g;
        return out;
    }

    static final int K_LOCAL = 3;
    static final int K_MAX = 20;

    /** Held-out R² of a ridge fit of gene j on {@code feats}: trained on perm[0, ntr), scored on the rest. */
    private static double r2(float[] z, int n, int g, int[] perm, int ntr, int j, List<Integer> feats) {
        if (feats.isEmpty()) {
            return 0;
        }
        double[] y = new double[n];
        for (int c = 0; c < n; c++) {
            y[c] = z[c * g + j];
        }
        return CandidateTrees.ridgeR2(z, g, y, feats.stream().mapToInt(Integer::intValue).toArray(),
                Arrays.copyOfRange(perm, 0, ntr), Arrays.copyOfRange(perm, ntr, n));
    }
}
