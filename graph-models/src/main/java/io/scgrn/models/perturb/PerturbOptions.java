package io.scgrn.models.perturb;

import io.scgrn.models.ModelException;

import java.util.function.Consumer;

/**
 * Settings of an in-silico perturbation.
 *
 * @param steps         propagation steps ({@link #STEPS} by default; CellOracle's default is 3)
 * @param maxRegulators most regulators per target, the highest-scoring network edges (30 by default: with the
 *                      fit on smoothed rows, more candidate regulators let the ridge find the real one among
 *                      an inferred network's correlated TFs; docs/benchmarks.md, round 3)
 * @param lambda        fixed ridge penalty, or NaN to choose it per target by generalised cross-validation
 * @param neighbours    embedding neighbours per cell for the transition probabilities (30 % of them sampled)
 * @param sigma         softmax temperature of the transition probabilities (CellOracle: 0.05)
 * @param grid          grid points per axis of the arrow field
 * @param smooth        kernel bandwidth of the arrow field in grid steps
 * @param seed          seed of the computed PCA embedding (the rest is deterministic)
 * @param fitNeighbours cells averaged into each row the models are fitted on ({@link FitRows}); 1 fits on single
 *                      cells
 * @param arrows        how the cell vectors are made: "projection" (δ mapped through a local linear fit of the
 *                      embedding, {@link TransitionField#projectedVectors}) or "transition" (CellOracle's kNN
 *                      transition probabilities, {@link TransitionField#cellVectors})
 * @param regression    "ridge" (default): every candidate enters the ridge fit; "lasso": each target's regulators
 *                      selected among its candidates by a lasso path and BIC, then ridge on those
 *                      ({@link LassoSelection}); not better on held-out simulations (docs/benchmarks.md, round 4)
 * @param pooling       weight in [0, 1] of the model fitted on all groups' rows pooled; the rest is each group's own
 *                      model (0: per-group models as CellOracle; 1: one model for every group; better on
 *                      the tuning simulations, worse on held-out ones: docs/benchmarks.md, round 4); used by
 *                      rule "fixed"
 * @param poolingRule   "blend" (default: per target, the pooled model's weight E_group / (E_group + E_pooled), the
 *                      errors of each model predicting the target's differences to a group it has not seen,
 *                      {@link PoolingChoice}), "choose" (weight 0 or 1 by the smaller error) or "fixed" (every
 *                      target's weight is {@code pooling}; {@link #withPooling} sets it)
 * @param candidateQ    NaN (default): every edge into a target is a candidate regulator (up to
 *                      {@code maxRegulators}); otherwise only edges with q ≤ it (the network's decoy-calibrated
 *                      q column), beyond each target's {@code minCandidates} best-scoring edges
 *                      ({@link InSilicoPerturbation#regulators(java.util.List, java.util.List, int, double, int)});
 *                      a network without q-values keeps every edge. Off by default: no threshold beat every TF as
 *                      candidate on the tuning simulations, and q ≤ 0.5 was level on held-out ones — the decoy q
 *                      bounds false associations, and co-varying TFs are associations (docs/benchmarks.md,
 *                      "In-silico perturbation: round 5b")
 * @param minCandidates candidate regulators kept per target whatever their q (used with {@code candidateQ})
 * @param stability     NaN (default): off; otherwise each target's candidates are first cut to those a lasso + BIC
 *                      chooses in at least this fraction of {@value #STABILITY_PAIRS} complementary pairs of random
 *                      halves of the fit rows ({@link StabilitySelection}); see docs/benchmarks.md, "In-silico
 *                      perturbation: round 6b"
 * @param marginal      weight w in [0, 1] of the marginal-correlation shift blended into the fit's predicted shift
 *                      ({@link MarginalBlend}; 0, the default: the fit alone). Not the default: w = 0.1 (tuned)
 *                      won in 15 of 24 held-out knock-outs and raised the median ratio to naive (1.39× → 1.40×) but
 *                      lowered the median r (0.524 → 0.521); docs/benchmarks.md, "In-silico perturbation: round 6c"
 * @param totalEffect   weight w in [0, 1] of the total-effect shift ({@link TotalEffect}: each gene regressed on the
 *                      perturbed TFs and their {@code adjustParents} best network regulators, per group and pooled,
 *                      on single cells) blended with the direct fit's propagated shift ({@link #TOTAL_EFFECT} by
 *                      default); 0: the direct fit alone (rounds 3–6c), 1: the total effect alone (no direct fit, no
 *                      propagation); docs/benchmarks.md, "In-silico perturbation: round 7"
 * @param adjustParents network regulators of each perturbed TF in the total effect's adjustment set (with the group)
 * @param parentPcor    NaN (default): every candidate regulator of a target is kept; otherwise only those whose
 *                      within-group partial correlation with the target (single cells, each group centred, given
 *                      the target's other candidates; {@link WithinGroupParents}) has |ρ| ≥ it, beyond each target's
 *                      {@code minParents} best by |ρ|, ranked by |ρ| (so the total effect's adjustment parents are
 *                      the within-group best too). Off by default: every threshold and top-K lost to keeping every
 *                      candidate on the tuning simulations (median r 0.40–0.48 vs 0.50; docs/benchmarks.md,
 *                      "In-silico perturbation: round 8")
 * @param minParents    candidates kept per target whatever their partial correlation (used with {@code parentPcor})
 * @param parentPenalty exponent γ ≥ 0 of adaptive-ridge penalty factors on the direct fit's candidates from the same
 *                      within-group partial correlations, {@code (mean ρ² / ρ_a²)^γ} (0, the default: off; a
 *                      candidate without within-group evidence is shrunk more instead of dropped;
 *                      {@link InSilicoPerturbation#pcorFactors}). Not the default: γ = 0.5 was level on the tuning
 *                      simulations (0.502 → 0.504) and on fresh held-out ones (0.553 → 0.556, below the +0.01 the
 *                      adoption rule asked; docs/benchmarks.md, "In-silico perturbation: round 8")
 * @param rankWeight    exponent γ ≥ 0 of the per-gene weight {@code rank^−γ} on the final predicted shift, rank the
 *                      best place of a perturbed gene among the gene's candidate regulators in the network
 *                      ({@link TargetWeights}; {@link #RANK_WEIGHT} by default; 0: off, every gene's shift as
 *                      predicted, rounds 3–8); docs/benchmarks.md, "In-silico perturbation: round 9"
 * @param responseQ     with the response test on ({@code responseShrink} set): NaN, soft weights
 *                      {@code shrink + (1 − shrink) · (1 − q)}; otherwise the largest q-value of a gene that keeps its
 *                      whole shift, the others keeping {@code shrink} of it ({@link ResponseTest}: within-group
 *                      partial correlation of the gene with a perturbed gene on the single cells, given its
 *                      {@code adjustParents} network parents; Benjamini–Hochberg over the genes);
 *                      docs/benchmarks.md, "In-silico perturbation: round 9b"
 * @param responseShrink NaN (the default): the response test off; else the share of its shift a gene that fails the
 *                      test keeps (0: predicted flat)
 * @param fitBetween    share in [0, 1] of the between-group co-variation the direct fit's pooled model (and
 *                      {@link PoolingChoice}'s left-out pooled models) keep: 1 fits it on all rows as they are; 0
 *                      centres each group on its own means first (group fixed effects), so a gene that co-varies
 *                      with a regulator only because both mark a cell type gets no coefficient on it
 *                      ({@link GroupModels.Stats#centred(double)}); docs/benchmarks.md, "In-silico perturbation:
 *                      round 10"
 * @param totalBetween  the same for the total effect's pooled model ({@link TotalEffect})
 * @param pathDamping   share λ in (0, 1] of its propagated shift each regulator that is not perturbed passes on in
 *                      the next step ({@link Propagation}): a path of k edges through other TFs is carried × λ^(k−1)
 *                      ({@link #PATH_DAMPING} = 1 by default: off); docs/benchmarks.md, "In-silico perturbation:
 *                      round 11"
 * @param pathGate      false (default): every regulator passes its propagated shift on; true: only the regulators
 *                      whose own one-step mean shift in the direct fit and in the total effect ({@link TotalEffect})
 *                      agree in sign do, the others (their shift is a guess the two estimates disagree on) keep their
 *                      own shift but pass none on (needs {@code totalEffect} &gt; 0;
 *                      {@link InSilicoPerturbation#passOn})
 * @param indirectEps   NaN (default): every network edge may be a candidate; otherwise the edges ARACNE's
 *                      data-processing inequality calls indirect with tolerance ε ∈ [0, 1) (t → j weaker than both
 *                      legs of a path t → u → j through another TF, beyond ε; crowd's {@code post=dpi} test,
 *                      {@link IndirectEdges}) are removed before the candidates are ranked, so a target's
 *                      regulators are its direct ones and the indirect effects come through the propagation
 * @param indirectTfs   with {@code indirectEps} set: only edges into TFs are judged (the TF → TF edges the
 *                      propagation's multi-step paths run along), the other targets keep every candidate
 * @param reachTop      0 (default): off; otherwise a gene that does not have a perturbed gene among its
 *                      {@code reachTop} best-scoring candidate regulators keeps {@code reachShrink} of its shift, in
 *                      every cell, after the rank weight ({@link TargetWeights#reach}); its mean shift in the per-gene
 *                      summary is then the shrunk one. Not the default: on the tuning simulations it lowered the
 *                      median ratio to naive (docs/benchmarks.md, "In-silico perturbation: round 15, sparse response")
 * @param reachShrink   the share of its shift a gene outside the reach keeps (used with {@code reachTop} &gt; 0)
 */
public record PerturbOptions(int steps, int maxRegulators, double lambda, int neighbours, double sigma, int grid,
                             double smooth, long seed, int fitNeighbours, String arrows, String regression,
                             double pooling, String poolingRule, double candidateQ, int minCandidates,
                             double stability, double marginal, double totalEffect, int adjustParents,
                             double parentPcor, int minParents, double parentPenalty, double rankWeight,
                             double responseQ, double responseShrink, double fitBetween, double totalBetween,
                             double pathDamping, boolean pathGate, double indirectEps, boolean indirectTfs,
                             int reachTop, double reachShrink) {
    /**
     * Default of {@link #steps}: 10 rather than CellOracle's 3. With every TF a candidate regulator of every TF, a
     * knock-out reaches many targets through other TFs, and the propagated shift keeps changing after 3 steps; by
     * 10 it has settled (tuning: median r 0.455 with 3 steps, 0.472 with 10, 0.472 with 20 and 0.473 with 50) and
     * on fresh held-out simulations 10 steps beat 3 in median r and ratio to naive (0.455 → 0.470, 1.26× → 1.30×;
     * docs/benchmarks.md, "In-silico perturbation: round 6").
     */
    public static final int STEPS = 10;
    /** Default of {@link #fitNeighbours}. */
    public static final int FIT_NEIGHBOURS = 30;
    /** Default of {@link #pooling}. */
    public static final double POOLING = 0;
    /**
     * Default of {@link #poolingRule}: "blend" won on the fresh held-out simulations (median r 0.359 → 0.387, ratio
     * to naive 1.15 → 1.18 over 24 knock-outs; docs/benchmarks.md, "In-silico perturbation: round 5").
     */
    public static final String POOLING_RULE = "blend";

    /** Default of {@link #candidateQ}: off. */
    public static final double CANDIDATE_Q = Double.NaN;
    /** Default of {@link #minCandidates}. */
    public static final int MIN_CANDIDATES = 2;
    /** Default of {@link #stability}: off. */
    public static final double STABILITY = Double.NaN;
    /** Default of {@link #marginal}: off (measured, not adopted: docs/benchmarks.md, round 6c). */
    public static final double MARGINAL = 0;
    /**
     * Default of {@link #totalEffect}: 0.35 of the total-effect shift blended into the direct fit's (tuned on the
     * tuning simulations: every weight 0.2–0.6 beat the direct fit alone; on fresh held-out simulations median r
     * 0.376 → 0.435, ratio to naive 1.15× → 1.21×, better in 21 of 24 knock-outs; docs/benchmarks.md, "In-silico
     * perturbation: round 7").
     */
    public static final double TOTAL_EFFECT = 0.35;
    /** Default of {@link #adjustParents} (0–5 measured within 0.01 of each other in the blend). */
    public static final int ADJUST_PARENTS = 3;
    /**
     * Cells averaged per fit row of the total-effect models: single cells. On kNN-smoothed rows every gene follows
     * the same few principal components, so a regression on the TF and its parents alone credits the TF with its
     * co-varying genes' changes; the single cells' counting noise is independent between genes and shrinks every
     * gene's slope on the TF alike (docs/benchmarks.md, round 7).
     */
    static final int TOTAL_FIT_NEIGHBOURS = 1;
    /** Default of {@link #parentPcor}: off. */
    public static final double PARENT_PCOR = Double.NaN;
    /** Default of {@link #minParents}. */
    public static final int MIN_PARENTS = 3;
    /** Default of {@link #parentPenalty}: off. */
    public static final double PARENT_PENALTY = 0;
    /**
     * Default of {@link #rankWeight}: γ = 0.25 (tuned: every γ in 0.1–0.5 beat the unweighted shift, 0.2–0.3 a
     * plateau; on fresh held-out simulations median r 0.546 → 0.568, ratio to naive 1.29× → 1.39×, better in 21 of 24
     * knock-outs, arrows 92.7 % → 93.1 %; docs/benchmarks.md, "In-silico perturbation: round 9").
     */
    public static final double RANK_WEIGHT = 0.25;
    /** Default of {@link #responseQ}: soft weights. */
    public static final double RESPONSE_Q = Double.NaN;
    /** Default of {@link #responseShrink}: the response test off (docs/benchmarks.md, "round 9b"). */
    public static final double RESPONSE_SHRINK = Double.NaN;
    /**
     * Default of {@link #fitBetween}: ¼ of the between-group co-variation kept (tuned with {@link #TOTAL_BETWEEN} on
     * 64 knock-outs: median r 0.510 → 0.520, ratio to naive 1.34× → 1.43×, better in 49; on fresh held-out
     * simulations 141–146 median r 0.497 → 0.523, ratio 1.34× → 1.37×, arrows 92.3 % → 90.8 %; adopted by a post hoc
     * rule registered before that run: docs/benchmarks.md, "In-silico perturbation: round 10").
     */
    public static final double FIT_BETWEEN = 0.25;
    /** Default of {@link #totalBetween}: ¼, as {@link #FIT_BETWEEN}. */
    public static final double TOTAL_BETWEEN = 0.25;
    /** Default of {@link #pathDamping}: off, every step's increment in full. */
    public static final double PATH_DAMPING = 1;
    /** Default of {@link #pathGate}: off. */
    public static final boolean PATH_GATE = false;
    /** Default of {@link #indirectEps}: off, the network's edges as they are. */
    public static final double INDIRECT_EPS = Double.NaN;
    /** Default of {@link #indirectTfs}: every target's edges judged (when {@code indirectEps} is set). */
    public static final boolean INDIRECT_TFS = false;
    /** Default of {@link #reachTop}: off. */
    public static final int REACH_TOP = 0;
    /** Default of {@link #reachShrink} (inactive while {@link #REACH_TOP} is 0). */
    public static final double REACH_SHRINK = 0.5;
    /** Complementary pairs of halves of the stability selection. */
    public static final int STABILITY_PAIRS = 10;

    public PerturbOptions {
        check("projection".equals(arrows) || "transition".equals(arrows), "arrows",
                "must be projection or transition, not " + arrows);
        check(pooling >= 0 && pooling <= 1, "pooling", "must be in [0, 1], not " + pooling);
        check("fixed".equals(poolingRule) || "choose".equals(poolingRule) || "blend".equals(poolingRule),
                "pooling-rule", "must be fixed, choose or blend, not " + poolingRule);
        check("lasso".equals(regression) || "ridge".equals(regression), "regression",
                "must be lasso or ridge, not " + regression);
        check(Double.isNaN(candidateQ) || candidateQ >= 0 && candidateQ <= 1, "candidate-q",
                "must be in [0, 1] (or unset), not " + candidateQ);
        check(minCandidates >= 0, "min-candidates", "must be at least 0, not " + minCandidates);
        check(Double.isNaN(stability) || stability > 0 && stability <= 1, "stability",
                "must be in (0, 1] (or unset), not " + stability);
        check(marginal >= 0 && marginal <= 1, "marginal", "must be in [0, 1], not " + marginal);
        check(totalEffect >= 0 && totalEffect <= 1, "total-effect", "must be in [0, 1], not " + totalEffect);
        check(adjustParents >= 0, "adjust-parents", "must be at least 0, not " + adjustParents);
        check(Double.isNaN(parentPcor) || parentPcor >= 0 && parentPcor <= 1, "parent-pcor",
                "must be in [0, 1] (or unset), not " + parentPcor);
        check(minParents >= 0, "min-parents", "must be at least 0, not " + minParents);
        check(parentPenalty >= 0 && parentPenalty <= 10, "parent-penalty",
                "must be in [0, 10], not " + parentPenalty);
        check(rankWeight >= 0 && rankWeight <= 5, "rank-weight", "must be in [0, 5], not " + rankWeight);
        check(Double.isNaN(responseQ) || responseQ > 0 && responseQ <= 1, "response-q",
                "must be in (0, 1] (or unset), not " + responseQ);
        check(Double.isNaN(responseShrink) || responseShrink >= 0 && responseShrink <= 1, "response-shrink",
                "must be in [0, 1] (or unset), not " + responseShrink);
        check(fitBetween >= 0 && fitBetween <= 1, "fit-between", "must be in [0, 1], not " + fitBetween);
        check(totalBetween >= 0 && totalBetween <= 1, "total-between", "must be in [0, 1], not " + totalBetween);
        check(pathDamping > 0 && pathDamping <= 1, "path-damping", "must be in (0, 1], not " + pathDamping);
        check(!pathGate || totalEffect > 0, "path-gate", "needs the total effect (total-effect > 0)");
        check(Double.isNaN(indirectEps) || indirectEps >= 0 && indirectEps < 1, "indirect-eps",
                "must be in [0, 1) (or unset), not " + indirectEps);
        check(reachTop >= 0, "reach-top", "must be at least 0, not " + reachTop);
        check(reachShrink >= 0 && reachShrink <= 1, "reach-shrink", "must be in [0, 1], not " + reachShrink);
        check(fitNeighbours >= 1, "fit-neighbours", "must be at least 1, not " + fitNeighbours);
        check(steps >= 1 && steps <= 100, "steps", "must be in 1..100, not " + steps);
        check(maxRegulators >= 1, "max-regulators", "must be at least 1, not " + maxRegulators);
        check(Double.isNaN(lambda) || lambda >= 0, "lambda", "must be ≥ 0 (or unset for GCV), not " + lambda);
        check(neighbours >= 2, "neighbours", "must be at least 2, not " + neighbours);
        check(sigma > 0 && Double.isFinite(sigma), "sigma", "must be positive, not " + sigma);
        check(grid >= 2 && grid <= 500, "grid", "must be in 2..500, not " + grid);
        check(smooth > 0 && smooth <= 10, "smooth", "must be in (0, 10], not " + smooth);
    }

    private static void check(boolean ok, String field, String msg) {
        if (!ok) {
            throw new ModelException(field, msg);
        }
    }

    /**
     * 10 steps, 30 regulators per target, GCV, fit on rows smoothed over 30 cells, 200 neighbours (30 % sampled),
     * σ 0.05, 40 × 40 grid, smoothing 0.8, seed 0, projected arrows, per-target blend of per-group and pooled models,
     * 0.35 of the total effect (3 parents adjusted for) blended in, both pooled models keeping ¼ of the
     * between-group co-variation, each gene's shift × rank^−0.25 of the perturbed TF among its network regulators:
     * CellOracle's defaults where it has them.
     */
    public static PerturbOptions defaults() {
        return new PerturbOptions(STEPS, 30, Double.NaN, 200, 0.05, 40, 0.8, 0, FIT_NEIGHBOURS, "projection", "ridge",
                POOLING, POOLING_RULE, CANDIDATE_Q, MIN_CANDIDATES, STABILITY, MARGINAL, TOTAL_EFFECT, ADJUST_PARENTS,
                PARENT_PCOR, MIN_PARENTS, PARENT_PENALTY, RANK_WEIGHT, RESPONSE_Q,
                RESPONSE_SHRINK, FIT_BETWEEN, TOTAL_BETWEEN, PATH_DAMPING, PATH_GATE, INDIRECT_EPS,
                INDIRECT_TFS, REACH_TOP, REACH_SHRINK);
    }

    public PerturbOptions withSteps(int s) {
        return with(b -> b.steps = s);
    }

    public PerturbOptions withSeed(long s) {
        return with(b -> b.seed = s);
    }

    public PerturbOptions withLambda(double l) {
        return with(b -> b.lambda = l);
    }

    public PerturbOptions withMaxRegulators(int m) {
        return with(b -> b.maxRegulators = m);
    }

    public PerturbOptions withNeighbours(int k) {
        return with(b -> b.neighbours = k);
    }

    public PerturbOptions withFitNeighbours(int k) {
        return with(b -> b.fitNeighbours = k);
    }

    public PerturbOptions withRegression(String r) {
        return with(b -> b.regression = r);
    }

    /** A fixed pooled weight for every target (rule "fixed"). */
    public PerturbOptions withPooling(double w) {
        return with(b -> {
            b.pooling = w;
            b.poolingRule = "fixed";
        });
    }

    public PerturbOptions withPoolingRule(String rule) {
        return with(b -> b.poolingRule = rule);
    }

    /** Candidate regulators: edges with q ≤ {@code q}, at least each target's {@code min} best. */
    public PerturbOptions withCandidates(double q, int min) {
        return with(b -> {
            b.candidateQ = q;
            b.minCandidates = min;
        });
    }

    public PerturbOptions withArrows(String a) {
        return with(b -> b.arrows = a);
    }

    /** Stability selection of the candidates at this threshold (NaN: off). */
    public PerturbOptions withStability(double threshold) {
        return with(b -> b.stability = threshold);
    }

    /**
     * The total-effect shift blended in with weight {@code w} (0: off, 1: alone), adjusting for each perturbed TF's
     * {@code parents} best network regulators and the group.
     */
    public PerturbOptions withTotalEffect(double w, int parents) {
        return with(b -> {
            b.totalEffect = w;
            b.adjustParents = parents;
        });
    }

    /**
     * Candidate regulators filtered by their within-group partial correlation with the target: |ρ| ≥ {@code pcor}
     * (NaN: off), at least the {@code min} best ({@link WithinGroupParents}).
     */
    public PerturbOptions withParents(double pcor, int min) {
        return with(b -> {
            b.parentPcor = pcor;
            b.minParents = min;
        });
    }

    /**
     * Adaptive-ridge penalty factors on the direct fit's candidates from their within-group partial correlations,
     * exponent {@code gamma} (0: off; {@link #parentPenalty}).
     */
    public PerturbOptions withParentPenalty(double gamma) {
        return with(b -> b.parentPenalty = gamma);
    }

    /**
     * Each gene's final shift weighted by {@code rank^−gamma}, rank the perturbed genes' best place among its network
     * regulators (0: off; {@link #rankWeight}).
     */
    public PerturbOptions withRankWeight(double gamma) {
        return with(b -> b.rankWeight = gamma);
    }

    /**
     * Genes whose response test against the perturbed genes ({@link ResponseTest}) has q &gt; {@code maxQ} keep
     * {@code shrink} of their shift; {@code maxQ} NaN: every gene keeps {@code shrink + (1 − shrink) · (1 − q)};
     * {@code shrink} NaN: off ({@link #responseQ}, {@link #responseShrink}).
     */
    public PerturbOptions withResponseTest(double maxQ, double shrink) {
        return with(b -> {
            b.responseQ = maxQ;
            b.responseShrink = shrink;
        });
    }

    /**
     * The shares of the between-group co-variation the pooled models of the direct fit and of the total effect keep
     * ({@link #fitBetween}, {@link #totalBetween}; 1: all, 0: group fixed effects).
     */
    public PerturbOptions withBetween(double fit, double total) {
        return with(b -> {
            b.fitBetween = fit;
            b.totalBetween = total;
        });
    }

    /**
     * Multi-step paths: each regulator that is not perturbed passes on {@code damping} λ of its propagated shift
     * (1: off), and with {@code gate} only the regulators whose direct and total-effect one-step shifts agree in
     * sign pass any on ({@link #pathDamping}, {@link #pathGate}).
     */
    public PerturbOptions withPaths(double damping, boolean gate) {
        return with(b -> {
            b.pathDamping = damping;
            b.pathGate = gate;
        });
    }

    /**
     * The network's indirect edges (DPI, tolerance {@code eps}; NaN: off) removed first, into every target or
     * ({@code tfsOnly}) into TFs only ({@link #indirectEps}, {@link #indirectTfs}).
     */
    public PerturbOptions withIndirect(double eps, boolean tfsOnly) {
        return with(b -> {
            b.indirectEps = eps;
            b.indirectTfs = tfsOnly;
        });
    }

    /**
     * Genes without a perturbed gene among their {@code top} best candidate regulators keep {@code shrink} of their
     * shift ({@link #reachTop}, {@link #reachShrink}; top 0: off).
     */
    public PerturbOptions withReach(int top, double shrink) {
        return with(b -> {
            b.reachTop = top;
            b.reachShrink = shrink;
        });
    }

    /** The marginal-correlation shift blended in with weight {@code w} (0: off). */
    public PerturbOptions withMarginal(double w) {
        return with(b -> b.marginal = w);
    }

    /** A copy with the changes {@code change} makes to this record's values (checked by the constructor). */
    private PerturbOptions with(Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /**
     * This record's values, mutable: each wither changes only its own fields, so the constructor call with every
     * component is written once here rather than in every wither.
     */
    private static final class Copy {
        int steps;
        int maxRegulators;
        double lambda;
        int neighbours;
        double sigma;
        int grid;
        double smooth;
        long seed;
        int fitNeighbours;
        String arrows;
        String regression;
        double pooling;
        String poolingRule;
        double candidateQ;
        int minCandidates;
        double stability;
        double marginal;
        double totalEffect;
        int adjustParents;
        double parentPcor;
        int minParents;
        double parentPenalty;
        double rankWeight;
        double responseQ;
        double responseShrink;
        double fitBetween;
        double totalBetween;
        double pathDamping;
        boolean pathGate;
        double indirectEps;
        boolean indirectTfs;
        int reachTop;
        double reachShrink;

        Copy(PerturbOptions o) {
            steps = o.steps;
            maxRegulators = o.maxRegulators;
            lambda = o.lambda;
            neighbours = o.neighbours;
            sigma = o.sigma;
            grid = o.grid;
            smooth = o.smooth;
            seed = o.seed;
            fitNeighbours = o.fitNeighbours;
            arrows = o.arrows;
            regression = o.regression;
            pooling = o.pooling;
            poolingRule = o.poolingRule;
            candidateQ = o.candidateQ;
            minCandidates = o.minCandidates;
            stability = o.stability;
            marginal = o.marginal;
            totalEffect = o.totalEffect;
            adjustParents = o.adjustParents;
            parentPcor = o.parentPcor;
            minParents = o.minParents;
            parentPenalty = o.parentPenalty;
            rankWeight = o.rankWeight;
            responseQ = o.responseQ;
            responseShrink = o.responseShrink;
            fitBetween = o.fitBetween;
            totalBetween = o.totalBetween;
            pathDamping = o.pathDamping;
            pathGate = o.pathGate;
            indirectEps = o.indirectEps;
            indirectTfs = o.indirectTfs;
            reachTop = o.reachTop;
            reachShrink = o.reachShrink;
        }

        PerturbOptions build() {
            return new PerturbOptions(steps, maxRegulators, lambda, neighbours, sigma, grid, smooth, seed,
                    fitNeighbours, arrows, regression, pooling, poolingRule, candidateQ, minCandidates, stability,
                    marginal, totalEffect, adjustParents, parentPcor, minParents, parentPenalty, rankWeight,
                    responseQ, responseShrink, fitBetween, totalBetween, pathDamping, pathGate, indirectEps,
                    indirectTfs, reachTop, reachShrink);
        }
    }
}
