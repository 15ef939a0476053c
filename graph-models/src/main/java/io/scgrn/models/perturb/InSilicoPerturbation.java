package io.scgrn.models.perturb;

import io.scgrn.models.CanonicalOrder;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.DenseOperator;
import io.scgrn.models.numerics.RandomizedSvd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * CellOracle-style in-silico perturbation of one dataset with one network.
 *
 * <ol>
 *   <li>Regulators of each target: its {@code maxRegulators} best-scoring network edges whose TF and target are
 *   both in the expression matrix (no self-loops); with {@code candidateQ} set, only edges with q ≤ it beyond
 *   the target's {@code minCandidates} best ({@link #regulators(List, List, int, double, int)}).</li>
 *   <li>Per group, a ridge model of each target on its regulators ({@link GroupModels}, penalty by GCV), fitted on
 *   kNN-smoothed expression ({@link FitRows}: each cell averaged with its nearest cells of the group in the top
 *   principal components, which removes the regulators' measurement noise), blended per target with one model
 *   pooled over all groups by {@link PoolingChoice} (rule "blend", the default).</li>
 *   <li>Per cell, the perturbation propagated {@code steps} times through its group's model
 *   ({@link Propagation}); the result is δ, cells × genes.</li>
 *   <li>With {@code totalEffect} w &gt; 0 (the default 0.35), δ blended per cell with the perturbation's total effect
 *   estimated by back-door adjustment on single cells ({@link TotalEffect}: each gene regressed on the perturbed
 *   genes and their {@code adjustParents} best network regulators, per group and pooled), weight w; w = 1 skips the
 *   direct fit.</li>
 *   <li>With {@code rankWeight} γ &gt; 0, each gene's shift × {@code rank^−γ}, rank the perturbed genes' best place
 *   among its candidate regulators in the network ({@link TargetWeights}).</li>
 *   <li>With {@code reachTop} &gt; 0 (off by default), each gene without a perturbed gene among its
 *   {@code reachTop} best network regulators keeps {@code reachShrink} of its shift ({@link TargetWeights#reach}).</li>
 *   <li>With {@code responseShrink} set (off by default), each gene's shift × a weight from a per-gene test of
 *   responding to the perturbed genes at all ({@link ResponseTest}).</li>
 *   <li>Cell vectors on the 2-D embedding (the one given, or the first two principal components of the
 *   expression, computed with the seed) and grid arrows ({@link TransitionField}): by default δ mapped through a
 *   local linear fit of the embedding ({@link TransitionField#projectedVectors}); the transition probabilities
 *   give the per-group flow, and the cell vectors too with arrows "transition". Neighbour differences are taken
 *   on expression averaged over each cell's 30 nearest embedding neighbours (CellOracle imputes likewise), for a
 *   random 30 % of its {@code neighbours} nearest (CellOracle's defaults: 200 neighbours, sampled fraction 0.3;
 *   the draw is seeded).</li>
 *   <li>Summaries per gene and per group.</li>
 * </ol>
 */
public final class InSilicoPerturbation {
    /** Nearest embedding neighbours averaged into each cell's smoothed expression. */
    static final int SMOOTH_NEIGHBOURS = 30;
    /** Share of the neighbours sampled for the transition probabilities (CellOracle: 0.3 of 200). */
    static final double SAMPLED_FRACTION = 0.3;
    /** Principal components through which δ is mapped onto the embedding for projected arrows. */
    static final int PROJECTION_PCS = 10;

    /** Regulator selection of regression "lasso": per group, BIC on the refit (docs/benchmarks.md, round 4). */
    static final GroupModels.Selection SELECTION = new GroupModels.Selection(true, 1, false, true);
    /**
     * BIC multiplier of each half's lasso in the stability selection ({@link PerturbOptions#stability}), and the
     * halves' rows taken as one group (not centred per group): the best of the tuned settings, though none beat
     * the default fit without selection (docs/benchmarks.md, "In-silico perturbation: round 6b").
     */
    static final double STABILITY_BIC = 0.5;
    /** See {@link #STABILITY_BIC}. */
    static final boolean STABILITY_BETWEEN = true;
    /** Exponent γ of the network-rank penalty factors ({@link #penaltyFactors}); γ = 1 measured no better. */
    static final double NETWORK_WEIGHT = 0;

    private InSilicoPerturbation() {
    }

    /**
     * What to perturb.
     *
     * @param x             cells × genes, log-normalised
     * @param groupOf       group index per cell (-1: no group; those cells only get the direct shift)
     * @param groups        group names
     * @param edges         the network (TF → target, score); edges with genes outside {@code x} are ignored
     * @param embedding     n × 2 embedding, row-major, or null to compute a PCA
     * @param embeddingName name of the embedding for the outputs
     * @param perturbations genes and levels, applied together
     */
    public record Input(ExpressionMatrix x, int[] groupOf, List<String> groups, List<Edge> edges, double[] embedding,
                        String embeddingName, List<Perturbation> perturbations) {
    }

    /** Per-gene summary: mean level, mean shift, mean |shift|, log2 ratio of mean linear expression. */
    public record GeneSummary(String gene, String role, double meanX, double meanDelta, double meanAbsDelta,
                              double log2fc, double[] groupMeanDelta) {
    }

    /**
     * Per-group summary: cells, mean ‖δ‖ per cell, mean transition vector, and where the cells move: the other group
     * receiving the most excess transition probability ({@code toFlow} &gt; 0) and the probability kept in the
     * group.
     */
    public record GroupSummary(String group, int cells, double meanShift, double meanDx, double meanDy,
                               double meanSpeed, String toGroup, double toFlow, double stayFlow) {
    }

    /**
     * The outcome.
     *
     * @param delta          cells × genes predicted shift δ (row-major, genes of {@code x})
     * @param embedding      n × 2 embedding used
     * @param embeddingName  its name ("X_umap", …, or "X_pca (computed)")
     * @param pcaLoadings    genes × 2 loadings when the embedding was computed here, else null
     * @param vectors        n × 2 cell transition vectors
     * @param arrows         grid arrows
     * @param genes          per-gene summary, in matrix gene order
     * @param groupSummaries per-group summary
     * @param models         the fitted models
     */
    public record Result(float[] delta, double[] embedding, String embeddingName, double[] pcaLoadings,
                         double[] vectors, List<TransitionField.Arrow> arrows, List<GeneSummary> genes,
                         List<GroupSummary> groupSummaries, GroupModels models) {
    }

    /**
     * Regulators per target: the {@code max} best-scoring edges into it (ties by TF name) whose genes are in
     * {@code genes}.
     */
    public static int[][] regulators(List<Edge> edges, List<String> genes, int max) {
        return regulators(edges, genes, max, Double.NaN, 0);
    }

    /**
     * Regulators per target from the network's own confidence: of the edges into it (best score first, ties by TF
     * name), those with q ≤ {@code maxQ}, and at least its {@code min} best-scoring edges whatever their q, so no
     * target is left without regulators; at most {@code max}. With {@code maxQ} NaN, or a network without q-values
     * (every q NaN: no null could be built), every edge qualifies, as {@link #regulators(List, List, int)}.
     *
     * @param maxQ largest q-value ({@code DecoyCalibration}'s, the {@code q} column of {@code scgrn infer}) of an
     *             edge kept beyond the first {@code min}
     * @param min  edges kept per target regardless of q (≤ {@code max})
     */
    public static int[][] regulators(List<Edge> edges, List<String> genes, int max, double maxQ, int min) {
        boolean byQ = !Double.isNaN(maxQ) && edges.stream().anyMatch(e -> !Double.isNaN(e.q()));
        Map<String, Integer> index = new HashMap<>();
        for (int g = 0; g < genes.size(); g++) {
            index.put(genes.get(g), g);
        }
        List<List<Edge>> in = new ArrayList<>();
        for (int g = 0; g < genes.size(); g++) {
            in.add(new ArrayList<>());
        }
        for (Edge e : edges) {
            Integer t = index.get(e.target());
            Integer r = index.get(e.tf());
            if (t != null && r != null && !t.equals(r) && Double.isFinite(e.score())) {
                in.get(t).add(e);
            }
        }
        int[][] out = new int[genes.size()][];
        for (int g = 0; g < genes.size(); g++) {
            List<Edge> l = in.get(g);
            l.sort(Comparator.comparingDouble((Edge e) -> -e.score()).thenComparing(Edge::tf));
            Set<Integer> regs = new LinkedHashSet<>();
            for (Edge e : l) {
                if (regs.size() >= max) {
                    break;
                }
                if (!byQ || regs.size() < min || e.q() <= maxQ) {
                    regs.add(index.get(e.tf()));
                }
            }
            out[g] = regs.stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** Runs the perturbation; phases "fit", "propagate", "transitions" are reported to {@code progress}. */
    public static Result run(Input in, PerturbOptions o, Progress progress) {
        // The fit's row sample and the neighbour draws go by cell position: run in the cells' canonical order (an
        // order of their own values) and put the per-cell outputs back in the file's order, so the same cells
        // stored in another order give the same prediction.
        ExpressionMatrix x = in.x();
        int[] order = CanonicalOrder.cellOrder(x);
        boolean identity = true;
        for (int i = 0; i < order.length && identity; i++) {
            identity = order[i] == i;
        }
        if (identity || in.groupOf().length != x.nCells()
                || (in.embedding() != null && in.embedding().length != 2L * x.nCells())) {
            return runInOrder(in, o, progress); // (mismatched inputs are reported there)
        }
        int n = order.length;
        int g = x.nGenes();
        float[] v = x.values();
        float[] pv = new float[v.length];
        List<String> cells = new ArrayList<>(n);
        int[] groupOf = new int[n];
        double[] emb = in.embedding() == null ? null : new double[2 * n];
        for (int i = 0; i < n; i++) {
            int c = order[i];
            System.arraycopy(v, c * g, pv, i * g, g);
            cells.add(x.cells().get(c));
            groupOf[i] = in.groupOf()[c];
            if (emb != null) {
                emb[2 * i] = in.embedding()[2 * c];
                emb[2 * i + 1] = in.embedding()[2 * c + 1];
            }
        }
        Result r = runInOrder(new Input(new ExpressionMatrix(pv, cells, x.genes()), groupOf, in.groups(), in.edges(),
                emb, in.embeddingName(), in.perturbations()), o, progress);
        // the shift (cells × genes, the largest array) is put back in place; the n × 2 arrays are copied
        float[] delta = r.delta();
        toFileOrder(delta, order, g);
        double[] embOut = new double[r.embedding().length];
        double[] vectors = new double[r.vectors().length];
        for (int i = 0; i < n; i++) {
            int c = order[i];
            System.arraycopy(r.embedding(), 2 * i, embOut, 2 * c, 2);
            System.arraycopy(r.vectors(), 2 * i, vectors, 2 * c, 2);
        }
        return new Result(delta, embOut, r.embeddingName(), r.pcaLoadings(), vectors, r.arrows(), r.genes(),
                r.groupSummaries(), r.models());
    }

    /**
     * Moves row i of {@code rows} (n × width, row-major) to row {@code order[i]}, in place, following the
     * permutation's cycles with two row buffers.
     *
     * @param order a permutation of 0..n-1
     */
    static void toFileOrder(float[] rows, int[] order, int width) {
        int n = order.length;
        boolean[] done = new boolean[n];
        float[] carry = new float[width];
        float[] next = new float[width];
        for (int s = 0; s < n; s++) {
            if (done[s] || order[s] == s) {
                done[s] = true;
                continue;
            }
            // carry row s along its cycle: each step saves the row it overwrites
            System.arraycopy(rows, s * width, carry, 0, width);
            int j = s;
            while (!done[j]) {
                done[j] = true;
                int t = order[j];
                System.arraycopy(rows, t * width, next, 0, width);
                System.arraycopy(carry, 0, rows, t * width, width);
                float[] swap = carry;
                carry = next;
                next = swap;
                j = t;
            }
        }
    }

    private static Result runInOrder(Input in, PerturbOptions o, Progress progress) {
        ExpressionMatrix x = in.x();
        int nC = x.nCells();
        int nG = x.nGenes();
        if (in.groupOf().length != nC) {
            throw new ModelException("groups", in.groupOf().length + " group labels for " + nC + " cells");
        }
        if (in.perturbations().isEmpty()) {
            throw new ModelException("perturbation", "nothing to perturb");
        }
        int[] pg = new int[in.perturbations().size()];
        double[] lv = new double[pg.length];
        for (int i = 0; i < pg.length; i++) {
            Perturbation p = in.perturbations().get(i);
            pg[i] = x.genes().indexOf(p.gene());
            if (pg[i] < 0) {
                throw new ModelException("perturbation", p.gene() + " is not among the expression matrix's genes");
            }
            lv[i] = p.value();
        }
        float[] v = x.values();
        boolean nonNegative = true;
        for (float f : v) {
            if (f < 0) {
                nonNegative = false;
                break;
            }
        }

        progress.phase("fit");
        // with indirectEps set, the edges the data-processing inequality calls indirect are not candidates: their
        // effect is to come through the propagation (IndirectEdges)
        List<Edge> edges = Double.isNaN(o.indirectEps()) ? in.edges()
                : IndirectEdges.drop(in.edges(), x.genes(), o.indirectEps(), o.indirectTfs());
        int[][] regs = regulators(edges, x.genes(), o.maxRegulators(), o.candidateQ(), o.minCandidates());
        if (!Double.isNaN(o.parentPcor())) {
            // the candidates a within-group partial correlation supports: a type marker that co-varies with the
            // target only through the groups drops out (WithinGroupParents)
            regs = WithinGroupParents.select(x, in.groupOf(), in.groups().size(), regs, o.parentPcor(),
                    o.minParents(), progress);
        }
        // one PCA serves the fit's neighbour search and the projected arrows
        RandomizedSvd.Result pcs = FitRows.pca(v, nC, nG, o.seed());
        double[] pcScores = pcs.scores();
        GroupModels.Selection selection = o.regression().equals("lasso") ? SELECTION : GroupModels.Selection.NONE;
        double wTotal = o.totalEffect();
        // the direct fit, propagated; skipped when the total effect alone is asked for
        // with a parent penalty, candidates without within-group evidence are shrunk more (pcorFactors)
        GroupModels models = wTotal >= 1 ? null : o.parentPenalty() > 0
                ? fit(in, o, regs, pcScores, selection, selection, NETWORK_WEIGHT, 1, "pcor", o.parentPenalty(), false,
                progress)
                : fit(in, o, regs, pcScores, selection, selection, NETWORK_WEIGHT, progress);
        GroupModels totalModels = null;
        if (wTotal > 0) {
            // the total effect of the perturbed genes, adjusted for their network parents and the group, on single
            // cells (TotalEffect); one propagation step reads only the perturbed genes' coefficients
            int[][] adjusted = TotalEffect.regressors(regs, pg, o.adjustParents());
            // its pooled model keeps totalBetween of the between-group co-variation (fit() reads fitBetween)
            totalModels = fit(in, o.withFitNeighbours(PerturbOptions.TOTAL_FIT_NEIGHBOURS)
                            .withBetween(o.totalBetween(), o.totalBetween()), adjusted, pcScores,
                    GroupModels.Selection.NONE, GroupModels.Selection.NONE, 0, progress);
        }

        progress.phase("propagate");
        double[] passOn = null;
        if (models != null && (o.pathDamping() < 1 || o.pathGate())) {
            // multi-step paths through other TFs damped, or gated by the regulator's own one-step shifts
            passOn = passOn(o.pathDamping(), o.pathGate() ? meanShift(models, pg, lv, nonNegative, v, in.groupOf(), nG)
                    : null, o.pathGate() ? meanShift(totalModels, pg, lv, nonNegative, v, in.groupOf(), nG) : null, nG);
        }
        float[] direct = models == null ? null : propagate(models, pg, lv, o.steps(), nonNegative, v, in.groupOf(),
                nG, passOn, progress);
        if (totalModels != null) {
            if (direct == null) {
                direct = propagate(totalModels, pg, lv, 1, nonNegative, v, in.groupOf(), nG, null, progress);
                models = totalModels;
            } else {
                TotalEffect.blend(direct, new Propagation(totalModels, pg, lv, 1, nonNegative), v, in.groupOf(), nG,
                        pg, wTotal, nonNegative);
            }
        }
        float[] delta = direct;
        if (o.marginal() > 0) {
            // blended before the transitions, so the per-cell shift, the summaries and the arrows all use it
            // correlations over the single cells: over the fit rows the smoothing makes them carry the fit's own
            // error, and they lost on the tuning simulations (docs/benchmarks.md, round 6c; PerturbDiag E:W:rows)
            double[][] rho = new double[pg.length][];
            for (int i = 0; i < pg.length; i++) {
                rho[i] = MarginalBlend.correlations(v, nG, pg[i]);
            }
            MarginalBlend.apply(delta, v, nG, pg, lv, rho, o.marginal(), nonNegative);
        }
        if (o.rankWeight() > 0) {
            // the genes the network does not rank the perturbed genes among the regulators of keep less of their
            // shift: after the propagation, so shifts arriving through other TFs are damped too (TargetWeights)
            TargetWeights.apply(delta, TargetWeights.weights(regs, pg, o.maxRegulators(), o.rankWeight()));
        }
        if (o.reachTop() > 0) {
            // genes without a perturbed gene among their reachTop best network regulators keep reachShrink of their
            // shift (off by default; docs/benchmarks.md, round 15)
            TargetWeights.apply(delta, TargetWeights.reach(regs, pg, o.reachTop(), o.reachShrink()));
        }
        if (!Double.isNaN(o.responseShrink())) {
            // genes that fail the label-free test of responding to the perturbed genes at all keep only
            // responseShrink of their shift (ResponseTest: within-group partial correlation on the single cells)
            double[] q = ResponseTest.qValues(v, nG, in.groupOf(), in.groups().size(), regs, pg, o.adjustParents());
            TargetWeights.apply(delta, ResponseTest.weights(q, o.responseQ(), o.responseShrink()));
        }

        progress.phase("transitions");
        double[] emb = in.embedding();
        String embName = in.embeddingName();
        double[] loadings = null;
        if (emb == null) {
            RandomizedSvd.Result svd = RandomizedSvd.compute(new DenseOperator(v, nC, nG,
                    DenseOperator.columnMeans(v, nC, nG)), 2, 10, 2, o.seed());
            emb = svd.scores();
            if (svd.k() < 2) {
                emb = pad2(emb, nC);
            }
            loadings = svd.v();
            embName = "X_pca (computed)";
        }
        if (emb.length != 2 * nC) {
            throw new ModelException("embedding", "has " + emb.length / 2 + " rows for " + nC + " cells");
        }
        // genes that shift anywhere: the correlation is taken over them
        boolean[] shifts = new boolean[nG];
        for (int i = 0; i < delta.length; i++) {
            if (delta[i] != 0) {
                shifts[i % nG] = true;
            }
        }
        int[] shiftGenes = IntStream.range(0, nG).filter(g -> shifts[g]).toArray();
        int k = Math.min(o.neighbours(), nC - 1);
        int[] knn = Knn2d.neighbours(emb, k);
        int ks = Math.min(k, SMOOTH_NEIGHBOURS);
        progress.fraction(0.3);
        // As CellOracle (which imputes first), neighbour differences are taken on kNN-smoothed expression: single
        // cells' differences are mostly sampling noise. Smoothed columns are kept only for the m genes that shift
        // (n × m); the shift is read in place (a copy of its columns was the largest allocation at 100k cells).
        int m = shiftGenes.length;
        float[] smooth = new float[nC * m];
        IntStream.range(0, nC).parallel().forEach(c -> {
            for (int a = 0; a < m; a++) {
                double s = v[c * nG + shiftGenes[a]];
                for (int t = 0; t < ks; t++) {
                    s += v[knn[c * k + t] * nG + shiftGenes[a]];
                }
                smooth[c * m + a] = (float) (s / (ks + 1));
            }
        });
        int[] identity = IntStream.range(0, m).toArray();
        int kt = Math.max(1, (int) Math.ceil(SAMPLED_FRACTION * k));
        int[] sampled = sample(knn, nC, k, kt, o.seed());
        TransitionField.Cells cells = TransitionField.cellVectors(smooth, m, identity, delta, nG, shiftGenes, emb,
                sampled, kt, o.sigma(), in.groupOf(), in.groups().size());
        double[] vectors = cells.vectors();
        if (o.arrows().equals("projection")) {
            vectors = TransitionField.projectedVectors(delta, nG, pcScores, pcs.v(), pcs.k(),
                    Math.min(PROJECTION_PCS, pcs.k()), emb, knn, k);
        }
        List<TransitionField.Arrow> arrows = TransitionField.grid(emb, vectors, o.grid(), o.smooth());
        progress.fraction(1);

        List<GeneSummary> genes = geneSummaries(x, delta, in.groupOf(), in.groups().size(), pg, regs);
        List<GroupSummary> groups = groupSummaries(in, delta, nG, cells, vectors);
        return new Result(delta, emb, embName, loadings, vectors, arrows, genes, groups, models);
    }

    /**
     * Each gene's share of its propagated shift passed on to its targets ({@link Propagation}): {@code damping}
     * everywhere, and with the one-step mean shifts {@code direct1} and {@code total1} given (path gate), 0 for a gene
     * whose two shifts do not agree in sign (either 0 included). The perturbed genes' entries are ignored by
     * {@link Propagation}.
     *
     * @param direct1 per gene, the mean one-step shift through the direct fit, or null (no gate)
     * @param total1  per gene, the mean shift of the total effect (one step), or null (no gate)
     */
    static double[] passOn(double damping, double[] direct1, double[] total1, int nG) {
        double[] out = new double[nG];
        for (int g = 0; g < nG; g++) {
            out[g] = direct1 == null || direct1[g] * total1[g] > 0 ? damping : 0;
        }
        return out;
    }

    /** Each gene's mean shift over the cells after one step through {@code models}. */
    static double[] meanShift(GroupModels models, int[] pg, double[] lv, boolean nonNegative, float[] v,
                              int[] groupOf, int nG) {
        float[] d = propagate(models, pg, lv, 1, nonNegative, v, groupOf, nG, null, Progress.NONE);
        double[] out = new double[nG];
        for (int i = 0; i < d.length; i++) {
            out[i % nG] += d[i];
        }
        for (int g = 0; g < nG; g++) {
            out[g] /= groupOf.length;
        }
        return out;
    }

    /** Every cell's shift through {@code models} ({@link Propagation}, pass-on shares {@code passOn}), cells × genes. */
    private static float[] propagate(GroupModels models, int[] pg, double[] lv, int steps, boolean nonNegative,
                                     float[] v, int[] groupOf, int nG, double[] passOn, Progress progress) {
        int nC = groupOf.length;
        Propagation prop = new Propagation(models, pg, lv, steps, nonNegative, passOn);
        float[] delta = new float[v.length];
        int chunks = (nC + 1023) / 1024;
        AtomicInteger done = new AtomicInteger();
        IntStream.range(0, chunks).parallel().forEach(chunk -> {
            double[] out = new double[nG];
            double[] work = new double[nG];
            for (int c = chunk * 1024; c < Math.min(nC, chunk * 1024 + 1024); c++) {
                prop.apply(v, c * nG, groupOf[c], out, work);
                for (int g = 0; g < nG; g++) {
                    delta[c * nG + g] = (float) out[g];
                }
            }
            progress.fraction((double) done.incrementAndGet() / chunks);
        });
        if (progress.cancelled()) {
            throw new CancellationException("cancelled");
        }
        return delta;
    }

    /**
     * The per-group models: rows smoothed by {@link FitRows}, candidates {@code regs}, selection and fit by
     * {@link GroupModels}, lasso penalty factors from the network's scores ({@link #penaltyFactors}); with pooling,
     * each target's coefficients are {@code w · pooled + (1 − w) · group's own}, w = {@code pooling} for every target
     * (rule "fixed") or chosen per target by {@link PoolingChoice} (rules "choose", "blend").
     *
     * @param selection       regulator selection of the per-group models
     * @param pooledSelection regulator selection of the pooled models
     */
    static GroupModels fit(Input in, PerturbOptions o, int[][] regs, double[] pcScores,
                           GroupModels.Selection selection, GroupModels.Selection pooledSelection,
                           double networkWeight, Progress progress) {
        return fit(in, o, regs, pcScores, selection, pooledSelection, networkWeight, 1, progress);
    }

    /** As above, with {@link PoolingChoice}'s blend errors raised to {@code blendPower} (tuning only). */
    static GroupModels fit(Input in, PerturbOptions o, int[][] regs, double[] pcScores,
                           GroupModels.Selection selection, GroupModels.Selection pooledSelection,
                           double networkWeight, double blendPower, Progress progress) {
        return fit(in, o, regs, pcScores, selection, pooledSelection, networkWeight, blendPower, "none", 0, false,
                progress);
    }

    /**
     * As above, with per-candidate ridge penalty factors: {@code penalty} "none", "network" (rank^γ in the
     * network's order, {@link #penaltyFactors}) or "agreement" ({@link #agreementFactors} of a first per-group fit,
     * to the power γ); with {@code rawTargets}, targets read from each fit row's own cell and regulators from the
     * smoothed row. Tuning only: none of these beat the default (docs/benchmarks.md, round 6).
     */
    static GroupModels fit(Input in, PerturbOptions o, int[][] regs, double[] pcScores,
                           GroupModels.Selection selection, GroupModels.Selection pooledSelection,
                           double networkWeight, double blendPower, String penalty, double gamma,
                           boolean rawTargets, Progress progress) {
        FitRows.Rows rows = FitRows.smooth(in.x(), in.groupOf(), in.groups().size(), o.fitNeighbours(), pcScores,
                o.seed());
        if (!Double.isNaN(o.stability())) {
            regs = StabilitySelection.select(rows.x(), rows.groupOf(), in.groups().size(), regs,
                    PerturbOptions.STABILITY_PAIRS, o.stability(), STABILITY_BIC, STABILITY_BETWEEN, o.seed(),
                    progress);
        }
        double[][] factors = (selection.lasso() || pooledSelection.lasso()) && networkWeight != 0
                ? penaltyFactors(regs, networkWeight) : null;
        int nK = in.groups().size();
        GroupModels.Stats stats = GroupModels.Stats.accumulate(rows.x(), rawTargets ? rows.own() : rows.x(),
                rows.groupOf(), nK, regs, progress);
        List<String> genes = in.x().genes();
        if (penalty.equals("network")) {
            factors = penaltyFactors(regs, gamma);
        } else if (penalty.startsWith("pcor")) {
            // pcor-pooled: the same partial correlations with the cells taken as one group (not centred per group)
            int[] groupOf = in.groupOf();
            int nS = nK;
            if (penalty.startsWith("pcor-pooled")) {
                groupOf = Arrays.stream(groupOf).map(k -> k < 0 ? -1 : 0).toArray();
                nS = 1;
            }
            factors = pcorFactors(WithinGroupParents.partialCorrelations(GroupModels.Stats.accumulate(in.x(),
                    groupOf, nS, regs, progress), regs), gamma);
        } else if (penalty.equals("agreement")) {
            factors = agreementFactors(stats, GroupModels.fit(stats, genes, in.groups(), null, selection, o.lambda()),
                    gamma);
        }
        boolean fixed = o.poolingRule().equals("fixed");
        double pooling = o.pooling();
        // "…-fixed": each model's λ is the one GCV chooses without the factors, so they are not undone by a new GCV
        // choice (with strong signal GCV's λ is small and λ · factor barely shrinks)
        boolean fixLambda = penalty.endsWith("-fixed") && factors != null;
        GroupModels perGroup = fixed && pooling >= 1 ? null
                : GroupModels.fit(stats, genes, in.groups(), factors, selection, o.lambda(), fixLambda
                ? GroupModels.fit(stats, genes, in.groups(), null, selection, o.lambda()).lambda() : null);
        if (fixed && pooling <= 0) {
            progress.fraction(1);
            return perGroup;
        }
        // one model of all grouped rows together, not centred per group: its slopes also carry the differences
        // between groups, which is where a regulator's large changes are seen
        // (with fitBetween < 1 each group's rows are first moved towards the group's means: group fixed effects at
        // 0, so co-variation that comes only from the cell types does not become a coefficient)
        int[] all = new int[nK];
        double between = o.fitBetween();
        GroupModels.Stats pooledStats = (between < 1 ? stats.centred(between) : stats).merge(all, 1);
        GroupModels pooled = GroupModels.fit(pooledStats, genes, List.of("all"), factors, pooledSelection,
                o.lambda(), fixLambda ? GroupModels.fit(pooledStats, genes, List.of("all"), null, pooledSelection,
                        o.lambda()).lambda() : null);
        double[] weight;
        if (fixed) {
            weight = new double[genes.size()];
            Arrays.fill(weight, pooling);
        } else {
            weight = PoolingChoice.weights(stats, perGroup, pooledSelection, factors, o.lambda(), o.poolingRule(),
                    blendPower, between).weight();
        }
        int[] edgeTgt = pooled.edgeTgt();
        double[][] coef = new double[nK][];
        double[][] lam = new double[nK][];
        double[][] r2 = new double[nK][];
        int[] cells = stats.count().clone();
        // λ and R²: the pooled model's with a fixed weight (as before), the group's own with a per-target rule
        GroupModels source = fixed ? null : perGroup;
        for (int k = 0; k < nK; k++) {
            coef[k] = pooled.coef()[0].clone();
            lam[k] = source == null ? pooled.lambda()[0] : source.lambda()[k];
            r2[k] = source == null ? pooled.r2()[0] : source.r2()[k];
            if (perGroup != null) {
                for (int e = 0; e < coef[k].length; e++) {
                    double w = weight[edgeTgt[e]];
                    coef[k][e] = w * coef[k][e] + (1 - w) * perGroup.coef()[k][e];
                }
            }
        }
        progress.fraction(1);
        return new GroupModels(pooled.genes(), List.copyOf(in.groups()), pooled.edgeReg(), edgeTgt, coef, lam, r2,
                cells);
    }

    /**
     * Lasso penalty factor of each candidate regulator: {@code (rank)^γ}, rank 1 for the target's best-scoring
     * edge, so the network's order decides which of two equally good regulators enters first, and γ = 0 ignores
     * it. Ranks rather than scores: every model's scores have their own scale.
     */
    static double[][] penaltyFactors(int[][] regs, double gamma) {
        double[][] out = new double[regs.length][];
        for (int t = 0; t < regs.length; t++) {
            out[t] = new double[regs[t].length];
            for (int a = 0; a < regs[t].length; a++) {
                out[t][a] = Math.pow(a + 1, gamma); // regulators() lists candidates best first
            }
        }
        return out;
    }

    /**
     * Adaptive-ridge penalty factors from how the groups agree on each candidate's effect: per target and candidate
     * a, the groups' standardised coefficients {@code z_ka = b_ka · sd_k(x_a) / sd_k(y)} averaged with weights n_k
     * ({@code m_a}; groups that disagree in sign cancel), and {@code f_a = (mean_a' m_a'² / m_a²)^γ} clamped to
     * [1e-3, 1e3]: a candidate every group gives the same effect is penalised less than one whose effect changes
     * sign between groups. Factors per target in the order of the statistics' edges. Measured no better than plain
     * ridge (docs/benchmarks.md, "In-silico perturbation: round 6"), so not used by {@link #run}.
     */
    static double[][] agreementFactors(GroupModels.Stats stats, GroupModels perGroup, double gamma) {
        int nG = stats.nG();
        int nK = stats.count().length;
        int[] eReg = stats.eReg();
        int[] eTgt = stats.eTgt();
        double[][] out = new double[nG][];
        int e0 = 0;
        while (e0 < eReg.length) {
            int t = eTgt[e0];
            int e1 = GroupModels.targetEnd(eTgt, e0);
            int p = e1 - e0;
            double[] m = new double[p];
            double wSum = 0;
            for (int k = 0; k < nK; k++) {
                int n = stats.count()[k];
                double sy = sd(stats.count()[k], stats.tSum()[k][t], stats.tSumSq()[k][t]);
                if (n < PoolingChoice.MIN_ROWS || sy <= 0) {
                    continue;
                }
                wSum += n;
                for (int a = 0; a < p; a++) {
                    int r = eReg[e0 + a];
                    m[a] += n * perGroup.coef()[k][e0 + a] * sd(n, stats.sum()[k][r], stats.sumSq()[k][r]) / sy;
                }
            }
            double mean = 0;
            for (int a = 0; a < p; a++) {
                m[a] = wSum > 0 ? m[a] / wSum : 0;
                mean += m[a] * m[a] / p;
            }
            out[t] = new double[p];
            for (int a = 0; a < p; a++) {
                double f = mean <= 0 ? 1 : m[a] == 0 ? 1e3 : Math.pow(mean / (m[a] * m[a]), gamma);
                out[t][a] = Math.max(1e-3, Math.min(1e3, f));
            }
            e0 = e1;
        }
        for (int g = 0; g < nG; g++) {
            if (out[g] == null) {
                out[g] = new double[0];
            }
        }
        return out;
    }

    /**
     * Adaptive-ridge penalty factors from each candidate's within-group partial correlation with the target on the
     * single cells ({@link WithinGroupParents#partialCorrelations}): {@code f_a = (mean_a' ρ_a'² / ρ_a²)^γ} clamped
     * to [1e-3, 1e3], so a candidate with within-group evidence is shrunk less than a type marker without. Tuning
     * only (docs/benchmarks.md, "In-silico perturbation: round 8").
     */
    static double[][] pcorFactors(double[][] pcor, double gamma) {
        double[][] out = new double[pcor.length][];
        for (int t = 0; t < pcor.length; t++) {
            int p = pcor[t].length;
            double mean = 0;
            for (double r : pcor[t]) {
                mean += r * r / p;
            }
            out[t] = new double[p];
            for (int a = 0; a < p; a++) {
                double r2 = pcor[t][a] * pcor[t][a];
                double f = mean <= 0 ? 1 : r2 == 0 ? 1e3 : Math.pow(mean / r2, gamma);
                out[t][a] = Math.max(1e-3, Math.min(1e3, f));
            }
        }
        return out;
    }

    /** Standard deviation from n rows' sum and sum of squares (0 for fewer than 2). */
    private static double sd(int n, double sum, double sumSq) {
        if (n < 2) {
            return 0;
        }
        double mu = sum / n;
        return Math.sqrt(Math.max(0, sumSq / n - mu * mu));
    }

    /**
     * Per cell, {@code kt} of its {@code k} neighbours drawn without replacement from a stream seeded by (seed, cell),
     * so the draw does not depend on threading.
     */
    static int[] sample(int[] knn, int n, int k, int kt, long seed) {
        if (kt >= k) {
            return knn;
        }
        int[] out = new int[n * kt];
        IntStream.range(0, n).parallel().forEach(c -> {
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + c);
            int[] pool = Arrays.copyOfRange(knn, c * k, c * k + k);
            for (int t = 0; t < kt; t++) {
                int j = t + rnd.nextInt(k - t);
                int tmp = pool[t];
                pool[t] = pool[j];
                pool[j] = tmp;
                out[c * kt + t] = pool[t];
            }
        });
        return out;
    }

    private static double[] pad2(double[] one, int n) {
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = one.length == n ? one[i] : 0;
        }
        return out;
    }

    private static List<GeneSummary> geneSummaries(ExpressionMatrix x, float[] delta, int[] groupOf, int nK, int[] pg,
                                                   int[][] regs) {
        int nC = x.nCells();
        int nG = x.nGenes();
        float[] v = x.values();
        double[] sx = new double[nG];
        double[] sd = new double[nG];
        double[] sad = new double[nG];
        double[] lin = new double[nG];
        double[] linAfter = new double[nG];
        double[][] gd = new double[nK][nG];
        int[] gc = new int[nK];
        for (int c = 0; c < nC; c++) {
            int k = groupOf[c];
            if (k >= 0) {
                gc[k]++;
            }
            for (int g = 0; g < nG; g++) {
                double xv = v[c * nG + g];
                double d = delta[c * nG + g];
                sx[g] += xv;
                sd[g] += d;
                sad[g] += Math.abs(d);
                lin[g] += Math.expm1(xv);
                linAfter[g] += Math.expm1(xv + d);
                if (k >= 0) {
                    gd[k][g] += d;
                }
            }
        }
        boolean[] target = new boolean[nG];
        for (int g = 0; g < nG; g++) {
            target[g] = regs[g].length > 0;
        }
        Set<Integer> perturbed = new HashSet<>();
        for (int p : pg) {
            perturbed.add(p);
        }
        List<GeneSummary> out = new ArrayList<>(nG);
        for (int g = 0; g < nG; g++) {
            double[] perGroup = new double[nK];
            for (int k = 0; k < nK; k++) {
                perGroup[k] = gc[k] == 0 ? Double.NaN : gd[k][g] / gc[k];
            }
            String role = perturbed.contains(g) ? "perturbed" : target[g] ? "target" : "no_regulators";
            double lfc = Math.log((linAfter[g] / nC + 1e-3) / (lin[g] / nC + 1e-3)) / Math.log(2);
            out.add(new GeneSummary(x.genes().get(g), role, sx[g] / nC, sd[g] / nC, sad[g] / nC, lfc, perGroup));
        }
        return out;
    }

    private static List<GroupSummary> groupSummaries(Input in, float[] delta, int nG, TransitionField.Cells cells,
                                                     double[] vec) {
        int nK = in.groups().size();
        double[] shift = new double[nK];
        double[] dx = new double[nK];
        double[] dy = new double[nK];
        double[] speed = new double[nK];
        int[] n = new int[nK];
        for (int c = 0; c < in.groupOf().length; c++) {
            int k = in.groupOf()[c];
            if (k < 0) {
                continue;
            }
            n[k]++;
            double ss = 0;
            for (int g = 0; g < nG; g++) {
                double d = delta[c * nG + g];
                ss += d * d;
            }
            shift[k] += Math.sqrt(ss);
            dx[k] += vec[2 * c];
            dy[k] += vec[2 * c + 1];
            speed[k] += Math.hypot(vec[2 * c], vec[2 * c + 1]);
        }
        List<GroupSummary> out = new ArrayList<>();
        for (int k = 0; k < nK; k++) {
            String to = "";
            double toFlow = 0;
            for (int j = 0; j < nK; j++) {
                if (j != k && cells.flow()[k][j] > toFlow) {
                    toFlow = cells.flow()[k][j];
                    to = in.groups().get(j);
                }
            }
            int m = Math.max(1, n[k]);
            out.add(new GroupSummary(in.groups().get(k), n[k], shift[k] / m, dx[k] / m, dy[k] / m, speed[k] / m, to,
                    toFlow, cells.flow()[k][k]));
        }
        return out;
    }
}
