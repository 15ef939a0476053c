package io.scgrn.models.eval;

import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.numerics.RankingCurves;
import io.scgrn.models.table.TableReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * BEELINE metrics, exactly as {@code benchmarks/README.md} defines them.
 *
 * <ul>
 *   <li>Candidates: every (TF, gene) with TF among the truth's sources and gene among all truth genes (sources ∪
 *   targets), self-loops excluded. Predictions outside the candidates are ignored.</li>
 *   <li>Scores are taken by absolute value; a pair predicted twice keeps its larger |score|. Unscored candidates
 *   rank below every scored one and are tied with each other (this is how the published numbers were made:
 *   scikit-learn sees them as one threshold).</li>
 *   <li>EPR: precision of the top k (k = number of true edges; ties broken by (TF, target) in {@link String}
 *   order) divided by the density.</li>
 *   <li>AUPRC: step-wise average precision over distinct score thresholds, as
 *   {@code sklearn.metrics.average_precision_score}; AUPRC ratio = AUPRC / density.</li>
 *   <li>AUROC: trapezoidal over distinct thresholds (= Mann-Whitney with ties counted one half).</li>
 * </ul>
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** Scores a network (its edges' scores; sign is ignored) against a truth. */
    public static Scores score(Network predictions, Truth truth) {
        return score(predictions.edges(), truth);
    }

    /** Scores a list of predicted edges (any order; |score| is used) against a truth. */
    public static Scores score(List<Edge> predictions, Truth truth) {
        List<String> tfs = truth.sources();
        List<String> genes = truth.genes();
        if (truth.nTrue() == 0) {
            throw new ModelException("truth", "has no true edges (self-loops do not count)");
        }
        Map<String, Integer> tfIndex = index(tfs);
        Map<String, Integer> geneIndex = index(genes);
        int nGenes = genes.size();
        long nSlots = (long) tfs.size() * nGenes;
        if (nSlots > Integer.MAX_VALUE - 8) {
            throw new ModelException("truth", "too many candidate pairs: " + nSlots);
        }
        // slot = tf * nGenes + gene; both lists are sorted, so slot order is (TF, target) alphabetical order
        double[] score = new double[(int) nSlots];
        Arrays.fill(score, Double.NEGATIVE_INFINITY);
        for (Edge e : predictions) {
            Integer t = tfIndex.get(e.tf());
            Integer g = geneIndex.get(e.target());
            if (t == null || g == null || e.tf().equals(e.target())) {
                continue;
            }
            double s = Math.abs(e.score());
            if (Double.isNaN(s)) {
                throw new ModelException("score", "NaN score for " + e.tf() + " -> " + e.target());
            }
            int slot = t * nGenes + g;
            score[slot] = Math.max(score[slot], s);
        }
        int nCand = (int) truth.nCandidates();
        int[] slots = new int[nCand];
        boolean[] label = new boolean[(int) nSlots];
        int n = 0;
        for (int t = 0; t < tfs.size(); t++) {
            for (int g = 0; g < nGenes; g++) {
                if (tfs.get(t).equals(genes.get(g))) {
                    continue;
                }
                int slot = t * nGenes + g;
                slots[n++] = slot;
                label[slot] = truth.contains(tfs.get(t), genes.get(g));
            }
        }
        return compute(byDescendingScore(slots, n, score), score, label, truth.nTrue());
    }

    /**
     * The first {@code n} slots (ascending) by descending score ({@link Double#compare} order), ties in slot order:
     * what a stable comparator sort gives, from one primitive sort of (dense rank of the score, slot) keys.
     */
    static Integer[] byDescendingScore(int[] slots, int n, double[] score) {
        double[] distinct = new double[n];
        for (int i = 0; i < n; i++) {
            distinct[i] = score[slots[i]];
        }
        Arrays.sort(distinct);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || Double.compare(distinct[m - 1], distinct[i]) != 0) {
                distinct[m++] = distinct[i];
            }
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // rank among the distinct scores, highest first
            long rank = m - 1 - Arrays.binarySearch(distinct, 0, m, score[slots[i]]);
            keys[i] = rank << 32 | slots[i];
        }
        Arrays.sort(keys);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    private static Scores compute(Integer[] order, double[] score, boolean[] label, int nTrue) {
        int n = order.length;
        double density = (double) nTrue / n;
        int hitsAtK = 0;
        for (int i = 0; i < nTrue; i++) {
            hitsAtK += label[order[i]] ? 1 : 0;
        }
        double earlyPrecision = (double) hitsAtK / nTrue;
        RankingCurves.Areas areas = RankingCurves.areas(order, score, label);
        double ap = areas.averagePrecision();
        double auroc = areas.auroc();
        return new Scores(earlyPrecision / density, ap / density, auroc, ap, earlyPrecision, density, nTrue, n);
    }

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> m = new HashMap<>(names.size() * 2);
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), i);
        }
        return m;
    }

    /** Builds a truth from (TF, target) pairs, as {@link #readTruth} does from a file. */
    public static Truth truth(List<String[]> pairs) {
        TreeSet<String> sources = new TreeSet<>();
        TreeSet<String> genes = new TreeSet<>();
        Set<String> edges = new HashSet<>();
        for (String[] p : pairs) {
            sources.add(p[0]);
            genes.add(p[0]);
            genes.add(p[1]);
            if (!p[0].equals(p[1])) {
                edges.add(Truth.key(p[0], p[1]));
            }
        }
        return new Truth(new ArrayList<>(sources), new ArrayList<>(genes), edges);
    }

    /**
     * Reads a truth CSV: a header line (BEELINE's {@code Gene1,Gene2}) then one {@code TF,target} per line. Extra
     * columns are ignored; tabs are accepted instead of commas.
     *
     * @throws ModelException naming the file and line when the file is unreadable or a line has fewer than two
     *                        fields
     */
    public static Truth readTruth(Path file) {
        List<String[]> pairs = new ArrayList<>();
        try (TableReader r = TableReader.open(file, TableReader.Options.sniffed())) {
            if (r.next() == null) {
                throw new ModelException(file.toString(), "empty truth file (expected header Gene1,Gene2)");
            }
            for (TableReader.Row row; (row = r.next()) != null; ) {
                if (row.size() < 2 || row.field(0).isBlank() || row.field(1).isBlank()) {
                    throw new ModelException(file.toString(), "line " + row.line() + ": expected TF"
                            + r.delimiter().label() + "target, got '" + abbreviate(String.join(" ", row.fields()))
                            + "'");
                }
                pairs.add(new String[] {row.field(0), row.field(1)});
            }
        } catch (IOException e) {
            throw new ModelException(file.toString(), "cannot read truth file: " + e.getMessage(), e);
        }
        if (pairs.isEmpty()) {
            throw new ModelException(file.toString(), "truth file has no edges");
        }
        return truth(pairs);
    }

    /**
     * Reads predictions: a delimited text file (tab, or comma when the header has no tab; quoted fields; gzip
     * detected by content) whose header names the regulator column ({@code tf}, {@code source}, {@code regulator},
     * {@code TF} or {@code Gene1}), the target column ({@code target} or {@code Gene2}) and the score column
     * ({@code score}, {@code importance}, {@code weight} or {@code EdgeWeight}); an optional {@code sign} column is
     * kept.
     *
     * @return the edges in file order (stability NaN)
     * @throws ModelException naming the file and line on a missing column or an unparsable score
     */
    public static List<Edge> readPredictions(Path file) {
        List<Edge> out = new ArrayList<>();
        try (TableReader r = TableReader.open(file, TableReader.Options.sniffed())) {
            TableReader.Row header = r.next();
            if (header == null) {
                throw new ModelException(file.toString(), "empty prediction file (expected header tf, target, score)");
            }
            List<String> h = header.fields();
            int tfCol = TableReader.column(h, "tf", "source", "regulator", "gene1");
            int targetCol = TableReader.column(h, "target", "gene2");
            int scoreCol = TableReader.column(h, "score", "importance", "weight", "edgeweight");
            int signCol = TableReader.column(h, "sign");
            if (tfCol < 0 || targetCol < 0 || scoreCol < 0) {
                throw new ModelException(file.toString(), "header must name tf/source, target and score columns, got '"
                        + abbreviate(String.join(r.delimiter() == TableReader.Delimiter.TAB ? "\t" : ",", h)) + "'");
            }
            int need = Math.max(tfCol, Math.max(targetCol, Math.max(scoreCol, signCol))) + 1;
            for (TableReader.Row row; (row = r.next()) != null; ) {
                long lineNo = row.line();
                if (row.size() < need) {
                    throw new ModelException(file.toString(), "line " + lineNo + ": expected " + need + " fields, got "
                            + row.size());
                }
                double s;
                try {
                    s = Double.parseDouble(row.field(scoreCol));
                } catch (NumberFormatException e) {
                    throw new ModelException(file.toString(), "line " + lineNo + ": score '"
                            + abbreviate(row.field(scoreCol)) + "' is not a number");
                }
                if (Double.isNaN(s)) {
                    throw new ModelException(file.toString(), "line " + lineNo + ": score is NaN");
                }
                int sign = 0;
                if (signCol >= 0) {
                    String v = row.field(signCol);
                    sign = v.startsWith("-") ? -1 : v.isEmpty() || v.equals("0") ? 0 : 1;
                }
                out.add(new Edge(row.field(tfCol), row.field(targetCol), s, sign, Double.NaN));
            }
        } catch (IOException e) {
            throw new ModelException(file.toString(), "cannot read prediction file: " + e.getMessage(), e);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
