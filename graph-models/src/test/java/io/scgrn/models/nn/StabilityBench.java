package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.Sampling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark driver (not a test): edge stability of each of crowd's terms under resampling of the cells, a label-free
 * reliability candidate. The cells are split into two disjoint seeded halves; each term ({@code pcor}, {@code mi},
 * {@code learned}: crowd with only that term's weight) is computed on each half, and its stability is (a) the share
 * of its top {@code g} edges (g = genes) found in both halves and (b) the Pearson correlation of its rank-scaled
 * scores between the halves. Written per variant to {@code outDir/<set>[_variant]-stab.tsv} (term, top overlap, rank
 * correlation, seconds) for {@code TermBench combine ...;stab=γ}.
 *
 * <p>Usage: {@code StabilityBench <benchmarkDir> <termDir> <outDir> [terms [setRegex]]}: every directory under
 * {@code termDir} with a {@code meta.tsv} (a set, or a few-TF variant {@code <set>/tf60s1} with {@code kept.txt}).
 */
public final class StabilityBench {
    static final Map<String, String[]> TERMS = Map.of(
            "pcor", new String[] {"w-mi=0", "w-learned=0"},
            "mi", new String[] {"w-pcor=0", "w-learned=0"},
            "learned", new String[] {"w-pcor=0", "w-mi=0"});

    private StabilityBench() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path termDir = Path.of(args[1]);
        Path out = Path.of(args[2]);
        List<String> terms = List.of((args.length > 3 ? args[3] : "pcor,mi,learned").split(","));
        String regex = args.length > 4 ? args[4] : ".*";
        Files.createDirectories(out);
        for (String set : BenchFiles.sets(termDir, regex)) {
            Path sd = termDir.resolve(set);
            List<Path> variants = new ArrayList<>();
            if (Files.exists(sd.resolve("meta.tsv"))) {
                variants.add(sd);
            } else {
                for (String v : BenchFiles.sets(sd, ".*")) {
                    variants.add(sd.resolve(v));
                }
            }
            ExpressionMatrix data = null;
            for (Path vd : variants) {
                String key = vd.equals(sd) ? set : set + "_" + vd.getFileName();
                Path file = out.resolve(key + "-stab.tsv");
                if (Files.exists(file)) {
                    continue;
                }
                data = data == null ? NnBench.readH5ad(root.resolve(set).resolve("data.h5ad")) : data;
                List<String> tfs = Files.exists(vd.resolve("kept.txt")) ? Files.readAllLines(vd.resolve("kept.txt"))
                        : Files.readAllLines(root.resolve(set).resolve("tfs.txt")).stream().map(String::trim)
                        .filter(x -> !x.isEmpty()).toList();
                boolean learns = Boolean.parseBoolean(Files.readString(vd.resolve("learns.txt")).trim());
                List<String> lines = new ArrayList<>();
                for (String term : terms) {
                    if (term.equals("learned") && !learns) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    double[] st = stability(data, tfs, TERMS.get(term), 0);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    String line = String.format(Locale.ROOT, "%s\t%.5f\t%.5f\t%.2f", term, st[0], st[1], secs);
                    System.err.println(key + "\t" + line);
                    lines.add(line);
                }
                Files.write(file, lines);
            }
        }
    }

    /** [top-g overlap, rank correlation] of one term between two disjoint seeded halves of the cells. */
    static double[] stability(ExpressionMatrix data, List<String> tfs, String[] params, long seed) {
        int n = data.nCells();
        int[] perm = Sampling.permutation(n, new Random(seed + 11));
        int[] a = Arrays.copyOf(perm, n / 2);
        int[] b = Arrays.copyOfRange(perm, n / 2, n);
        Arrays.sort(a);
        Arrays.sort(b);
        int[] tfIdx = io.scgrn.models.ModelInputs.tfIndices(data, tfs);
        int g = data.nGenes();
        boolean[] self = NnSupport.selfLoops(tfIdx, g);
        float[] sa = NnSupport.rankScale(term(CrowdModel.rows(data, a), tfs, tfIdx, params), self);
        float[] sb = NnSupport.rankScale(term(CrowdModel.rows(data, b), tfs, tfIdx, params), self);
        int top = Math.min(g, sa.length - tfIdx.length);
        boolean[] inA = topMask(sa, self, top);
        boolean[] inB = topMask(sb, self, top);
        int both = 0;
        for (int i = 0; i < inA.length; i++) {
            both += inA[i] && inB[i] ? 1 : 0;
        }
        double[] d = new double[sb.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = sb[i];
        }
        return new double[] {(double) both / top, RankEnsemble.pearson(sa, d, self)};
    }

    private static boolean[] topMask(float[] s, boolean[] self, int top) {
        Integer[] order = new Integer[s.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Float.compare(s[y], s[x]));
        boolean[] m = new boolean[s.length];
        for (int q = 0, taken = 0; q < order.length && taken < top; q++) {
            if (!self[order[q]]) {
                m[order[q]] = true;
                taken++;
            }
        }
        return m;
    }

    private static float[] term(ExpressionMatrix data, List<String> tfs, int[] tfIdx, String[] params) {
        Map<String, String> p = new HashMap<>();
        for (String kv : params) {
            String[] x = kv.split("=", 2);
            p.put(x[0], x[1]);
        }
        Network net = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", p, List.of()), Progress.NONE);
        float[] s = new float[tfIdx.length * data.nGenes()];
        NnSupport.place(net, data.genes(), tfIdx, s, null);
        return s;
    }
}
