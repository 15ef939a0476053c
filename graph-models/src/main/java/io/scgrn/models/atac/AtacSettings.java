package io.scgrn.models.atac;

import io.scgrn.models.ModelException;
import io.scgrn.models.numerics.Distributions;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Settings of the ATAC analysis ({@link AtacAnalysis}), read from {@code --atac-param name=value}.
 *
 * @param window        peak–TSS linking window in bases (default 100,000)
 * @param metacells     metacells wanted (default min(500, cells / 5))
 * @param metacellSize  cells per metacell (default 20)
 * @param dims          PCA / LSI dimensions (default 30)
 * @param rnaWeight     RNA share of the joint embedding (default 0.5)
 * @param pThreshold    link significance (default 0.05)
 * @param minCorr       smallest |r| of a significant link (default 0.05)
 * @param minTfPeak     smallest TF–peak evidence kept in a triplet (default 0.1)
 * @param priorFloor    weight of RNA evidence for a TF → target pair with no ATAC support; NaN (the default) means
 *                      0.1 with motif evidence and no re-weighting without it (see {@link #effectiveFloor})
 * @param seed          seed for SVDs, metacell seeds and background sampling
 * @param coupling      share of TF–peak coupling (TF expression vs peak accessibility over metacells, against the
 *                      TF's own spread) in motif evidence: evidence = motif · (1 − coupling + coupling · c)
 * @param states        cell states (k-means clusters of the joint embedding) for within-state co-expression
 * @param stateShare    share of the within-state TF–gene correlation's rank in the RNA ranking, 0 = RNA model only
 *                      ({@link CellStates})
 * @param gating        share of chromatin-gated co-expression ({@link GatedCoexpression}) in the evidence of each
 *                      TF → peak → gene path: evidence · (1 − gating + gating · gate)
 * @param priorPower    exponent applied to the normalised prior (0..1) before it re-weights the RNA ranking; below
 *                      1 it compresses the prior towards "has chromatin support or not"; NaN (the default) means
 *                      {@link #SCAN_PRIOR_POWER} when the motif evidence comes from a genome scan and 1 otherwise
 *                      (see {@link #resolvePriorPower})
 * @param motifActivity share of the per-TF motif activity weight ({@link MotifActivity}) in the prior: each TF's
 *                      prior is multiplied by (1 − share + share · weight); NaN (the default) means
 *                      {@link #SCAN_MOTIF_ACTIVITY} with a genome scan and 0 otherwise (see {@link #resolvePriorPower})
 * @param linkWeight    what a peak–gene link contributes to the prior ({@link LinkWeight}; default
 *                      {@link #DEFAULT_LINK_WEIGHT})
 * @param couplingWithinStates TF–peak coupling (and, without motifs, the TF–peak evidence) from TF expression and peak
 *                      accessibility centred within cell states (each metacell in its members' most common state), so
 *                      that a TF and a peak that both follow the cell type do not look coupled; default false
 *                      ({@code coupling-within-states=0|1})
 * @param linkSign      which peak–gene links carry prior by the sign of their correlation ({@link LinkSign}; default
 *                      {@link #DEFAULT_LINK_SIGN})
 * @param withinStates  which cell states the RNA model's within-state term uses ({@link WithinStatesFrom}; default
 *                      {@link #DEFAULT_WITHIN_STATES})
 * @param stateShareFrom where the no-motif path's {@link #stateShare} comes from ({@link StateShareFrom}; default
 *                      {@link #DEFAULT_STATE_SHARE_FROM})
 * @param scanCompete   with a genome scan, TFs whose motifs hit the same peaks far more often than chance (paralogs
 *                      with near-identical motifs) compete: in a peak both hit, only the better whole-peak p-value
 *                      counts ({@code MotifScan.compete}); default {@link #DEFAULT_SCAN_COMPETE}
 *                      ({@code scan-compete=0|1})
 * @param paralogSplit  with motif evidence, TFs with nearly the same motif (their hit peaks overlap far more than
 *                      chance) split the peaks both hit by their TF–peak coupling ({@link ParalogSplit}); default
 *                      {@link #DEFAULT_PARALOG_SPLIT} ({@code paralog-split=0|1})
 * @param stateShareMotifs where the motif paths' (table or genome scan) {@link #stateShare} comes from
 *                      ({@link StateShareMotifs}; default {@link #DEFAULT_STATE_SHARE_MOTIFS})
 * @param rnaPearson    with motif evidence, the share of plain |Pearson r|'s rank percentile blended into the base
 *                      model's RNA ranking before the within-state blend and the prior ({@code rna-pearson}, in
 *                      [0, 1]; default {@link #DEFAULT_RNA_PEARSON}; docs/benchmarks.md, "multiome: rounds 11c–11e")
 * @param rnaPearsonBelow the blend applies only where the ATAC step's {@link #chromatinShare} is below this
 *                      ({@code rna-pearson-below}; default {@link #DEFAULT_RNA_PEARSON_BELOW})
 * @param rnaSmooth     the expression the RNA model sees, each cell's row replaced by the mean of itself and its
 *                      {@code rna-smooth} nearest cells in {@link #rnaSmoothSpace} ({@link RnaSmoothing}); default 0:
 *                      off (docs/benchmarks.md, "multiome: round 17")
 * @param rnaSmoothSpace where those neighbours are found ({@link RnaSmoothSpace}; {@code rna-smooth-space}; default
 *                      {@link RnaSmoothSpace#ATAC})
 */
public record AtacSettings(long window, int metacells, int metacellSize, int dims, double rnaWeight,
                           double pThreshold, double minCorr, double minTfPeak, double priorFloor, long seed,
                           double coupling, int states, double stateShare, double gating,
                           double priorPower, double motifActivity, LinkWeight linkWeight,
                           boolean couplingWithinStates, LinkSign linkSign, WithinStatesFrom withinStates,
                           StateShareFrom stateShareFrom, boolean scanCompete,
                           boolean paralogSplit, StateShareMotifs stateShareMotifs, double rnaPearson,
                           double rnaPearsonBelow, int rnaSmooth, RnaSmoothSpace rnaSmoothSpace) {
    /** Names accepted by {@link #fromParams}. */
    public static final Set<String> NAMES = Set.of("window", "metacells", "metacell-size", "dims", "rna-weight",
            "p-threshold", "min-corr", "min-tf-peak", "prior-floor", "coupling", "states", "state-share",
            "gating", "prior-power", "motif-activity", "link-weight", "coupling-within-states", "link-sign",
            "within-states", "state-share-from", "scan-compete", "paralog-split", "state-share-motifs",
            "rna-pearson", "rna-pearson-below", "rna-smooth", "rna-smooth-space");

    /** An {@code --atac-param} value that is one of an enum's constants, named by its lower-case name. */
    public interface Param {
        /** The constant's name ({@link Enum#name}). */
        String name();

        /** The {@code --atac-param} value that names it (its enum's {@code parse}'s inverse). */
        default String param() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The constant of {@code type} whose lower-case name is {@code name} (the {@code --atac-param} values of the
     * enums below); else a {@link ModelException} naming {@code field} and the values in declaration order.
     */
    private static <E extends Enum<E> & Param> E parseParam(Class<E> type, String field, String name) {
        E[] values = type.getEnumConstants();
        for (E e : values) {
            if (e.param().equals(name)) {
                return e;
            }
        }
        throw new ModelException(field, "'" + name + "' is not one of " + Arrays.stream(values)
                .map(e -> e.param()).collect(Collectors.joining(", ")));
    }

    /**
     * The weight of a TF → peak → gene path's peak–gene link in the prior ({@code --atac-param link-weight=r|z|window}).
     */
    public enum LinkWeight implements Param {
        /** The link's correlation r over metacells, links with r &gt; 0 (rounds 3–5). */
        R,
        /**
         * From the link's trans null ({@link PeakGeneLink#z}: the correlation against accessibility-matched peaks on
         * other chromosomes): 2Φ(z) − 1 for z &gt; 0, links with r &gt; 0 and z &gt; 0. A peak that tracks the gene
         * no more than peaks that cannot regulate it (a cell-type-wide correlation) weighs 0.
         */
        Z,
        /** 1 for every candidate peak in the window, whatever its correlation (the naive baseline's gate). */
        WINDOW;

        /** The name's value ({@code r}, {@code z}, {@code window}); anything else is a {@link ModelException}. */
        public static LinkWeight parse(String name) {
            return parseParam(LinkWeight.class, "link-weight", name);
        }

        /** The weight of {@code l} (0 for a link that does not count). */
        public double of(PeakGeneLink l) {
            return switch (this) {
                case R -> Math.max(0, l.r());
                case Z -> l.r() > 0 && l.z() > 0 ? 1 - 2 * Distributions.normalUpper(l.z())
                        : 0;
                case WINDOW -> 1;
            };
        }
    }

    /**
     * Which peak–gene links carry a TF → peak → gene path's prior, by the sign of the link's correlation
     * ({@code --atac-param link-sign=positive|both|consistent}).
     */
    public enum LinkSign implements Param {
        /** Only links whose accessibility rises with the gene (rounds 3–6). */
        POSITIVE,
        /**
         * Also links whose accessibility falls as the gene rises, beyond what peaks on other chromosomes do (a
         * repressed element: a repressor binding there), weighed as their mirror image (r and z negated); such a
         * path supports only a TF whose expression falls as the gene's rises (negative TF–gene correlation over
         * metacells): a TF that opens an element the gene is low with represses it.
         */
        BOTH,
        /**
         * As {@link #BOTH}, and a positive link supports only a TF whose expression rises with the gene's: the
         * path's sign (TF opens the element; the element's accessibility follows the gene, or falls as it rises)
         * must be the TF–gene correlation's.
         */
        CONSISTENT;

        /** The name's value ({@code positive}, {@code both}, {@code consistent}); else a {@link ModelException}. */
        public static LinkSign parse(String name) {
            return parseParam(LinkSign.class, "link-sign", name);
        }

        /** Whether negative links count. */
        public boolean negative() {
            return this != POSITIVE;
        }
    }

    /**
     * Where the cell states of the RNA model's within-state term come from ({@code --atac-param
     * within-states=rna|joint|atac}; crowd's {@code -p within} decides how the term is mixed in).
     */
    public enum WithinStatesFrom implements Param {
        /** The RNA model clusters the expression itself (no outside states). */
        RNA,
        /** {@link #states} k-means clusters of the joint RNA PCA + ATAC LSI embedding ({@link CellStates#states}). */
        JOINT,
        /** {@link #states} k-means clusters of the ATAC LSI embedding alone ({@link CellStates#atacStates}). */
        ATAC;

        /** The name's value ({@code rna}, {@code joint}, {@code atac}); else a {@link ModelException}. */
        public static WithinStatesFrom parse(String name) {
            return parseParam(WithinStatesFrom.class, "within-states", name);
        }
    }

    /**
     * Where the share of the within-state TF–gene correlation in the RNA ranking comes from without motif
     * information ({@code --atac-param state-share-from=fixed|confounding|chromatin}); with motifs
     * {@link StateShareMotifs} decides.
     */
    public enum StateShareFrom implements Param {
        /** {@link #stateShare} as given. */
        FIXED,
        /**
         * Set from the data: {@link #confoundingShare} of how much of the TF–gene co-expression the cell states
         * carry ({@link CellStates#coexpressionInflation}): none where the states carry none of it, more where
         * the co-expression is mostly cell-type confounding.
         */
        CONFOUNDING,
        /**
         * Set from what the chromatin tells: {@link #chromatinShare} of the TF–peak coupling's tail and the
         * beyond-TF gain over metacells ({@link ChromatinSignals}): none where TFs track individual elements (the
         * between-state co-variation is regulation), more where every element moves with the cell types.
         */
        CHROMATIN;

        /** The name's value ({@code fixed}, {@code confounding}, {@code chromatin}); else a {@link ModelException}. */
        public static StateShareFrom parse(String name) {
            return parseParam(StateShareFrom.class, "state-share-from", name);
        }
    }

    /**
     * Where the share of the within-state TF–gene correlation in the RNA ranking comes from with motif evidence (a
     * motif table or a genome scan; {@code --atac-param state-share-motifs=fixed|chromatin}); without motifs
     * {@link StateShareFrom} decides.
     */
    public enum StateShareMotifs implements Param {
        /** {@link #stateShare} as given (the motif paths' behaviour before round 11b). */
        FIXED,
        /**
         * As {@link StateShareFrom#CHROMATIN} sets it without motifs: {@link #chromatinShare} of the ATAC step's
         * {@link ChromatinSignals} with the same constants, unchanged (not capped at {@link #stateShare}).
         */
        CHROMATIN;

        /** The name's value ({@code fixed}, {@code chromatin}); else a {@link ModelException}. */
        public static StateShareMotifs parse(String name) {
            return parseParam(StateShareMotifs.class, "state-share-motifs", name);
        }
    }

    /**
     * The space in which {@link RnaSmoothing} finds each cell's nearest cells ({@code --atac-param
     * rna-smooth-space=atac|rna|joint}).
     */
    public enum RnaSmoothSpace implements Param {
        /**
         * The ATAC LSI ({@link AtacTransforms#lsi}, {@link #dims} components): a measurement of the cell state
         * independent of the RNA's noise, so that averaging does not pick neighbours by that same noise.
         */
        ATAC,
        /** The RNA PCA of the paired log expression ({@link #dims} components; the RNA-space analog, for comparison). */
        RNA,
        /** The joint RNA PCA + ATAC LSI embedding of the metacells ({@link Metacells#jointEmbedding}). */
        JOINT;

        /** The name's value ({@code atac}, {@code rna}, {@code joint}); else a {@link ModelException}. */
        public static RnaSmoothSpace parse(String name) {
            return parseParam(RnaSmoothSpace.class, "rna-smooth-space", name);
        }
    }

    /** Scale of {@link #confoundingShare} (docs/benchmarks.md, "multiome: round 9"). */
    public static final double CONFOUNDING_SCALE = 0.25;
    /** Largest share {@link #confoundingShare} gives. */
    public static final double MAX_CONFOUNDING_SHARE = 0.6;

    /**
     * The state share for a co-expression inflation {@code inflation} ({@link CellStates#coexpressionInflation}:
     * mean r² of TF–gene pairs over all cells ÷ within states, ≥ 1 when the states carry co-expression):
     * {@code scale · ln(inflation)} clipped to [0, {@link #MAX_CONFOUNDING_SHARE}]; 0 for an inflation ≤ 1 or NaN.
     */
    public static double confoundingShare(double inflation, double scale) {
        if (!(inflation > 1)) {
            return 0;
        }
        return Math.min(MAX_CONFOUNDING_SHARE, Math.max(0, scale * Math.log(inflation)));
    }

    /** Largest share {@link #chromatinShare} gives. */
    public static final double MAX_CHROMATIN_SHARE = 0.6;
    /** Coupling tail ÷ null at which {@link #chromatinShare} reaches 0 (docs/benchmarks.md, "multiome: round 10"). */
    public static final double CHROMATIN_TAIL_SCALE = 1.4;
    /**
     * Beyond-TF gain at which {@link #chromatinShare} reaches 0 on its own; 0 = the gain not used
     * (docs/benchmarks.md, "multiome: round 10").
     */
    public static final double CHROMATIN_GAIN_SCALE = 0.4;

    /**
     * The state share for the chromatin signals ({@link ChromatinSignals}): {@link #MAX_CHROMATIN_SHARE} ·
     * clip(1 − tail / tailScale − gain / gainScale, 0, 1) (the gain term only when {@code gainScale > 0}); 0 when
     * the tail is NaN (no linked gene: nothing told), the gain term 0 when the gain is NaN.
     */
    public static double chromatinShare(double tail, double gain, double tailScale, double gainScale) {
        if (Double.isNaN(tail)) {
            return 0;
        }
        double x = 1 - tail / tailScale - (gainScale > 0 && !Double.isNaN(gain) ? gain / gainScale : 0);
        return MAX_CHROMATIN_SHARE * Math.min(1, Math.max(0, x));
    }

    /**
     * The weight of {@code l} in the prior under these settings' link weight and sign: {@link LinkWeight#of} of the
     * link, or, when the link sign counts negative links ({@link LinkSign#negative}), of a negative link's mirror
     * image (r and z negated); 0 for a link that does not count.
     */
    public double linkWeightOf(PeakGeneLink l) {
        if (linkSign.negative() && l.r() < 0 && linkWeight != LinkWeight.WINDOW) {
            return linkWeight.of(new PeakGeneLink(l.peak(), l.gene(), l.distance(), -l.r(), -l.z(), l.p(),
                    l.significant()));
        }
        return linkWeight.of(l);
    }

    public AtacSettings {
        if (window <= 0) {
            throw new ModelException("window", "must be positive");
        }
        if (metacellSize < 1 || dims < 1) {
            throw new ModelException("metacell-size", "metacell-size and dims must be positive");
        }
        // NaN prior-floor (auto) passes: comparisons with NaN are false.
        if (rnaWeight < 0 || rnaWeight > 1 || priorFloor < 0 || priorFloor > 1) {
            throw new ModelException("rna-weight", "rna-weight and prior-floor must be in [0, 1]");
        }
        if (!(coupling >= 0 && coupling <= 1) || !(stateShare >= 0 && stateShare <= 1)
                || !(gating >= 0 && gating <= 1)) {
            throw new ModelException("coupling", "coupling, state-share and gating must be in [0, 1]");
        }
        if (!Double.isNaN(priorPower) && !(priorPower > 0 && priorPower <= 1)) {
            throw new ModelException("prior-power", "must be in (0, 1] or auto");
        }
        if (!Double.isNaN(motifActivity) && !(motifActivity >= 0 && motifActivity <= 1)) {
            throw new ModelException("motif-activity", "must be in [0, 1] or auto");
        }
        if (linkWeight == null) {
            throw new ModelException("link-weight", "must be given");
        }
        if (linkSign == null) {
            throw new ModelException("link-sign", "must be given");
        }
        if (withinStates == null) {
            throw new ModelException("within-states", "must be given");
        }
        if (stateShareFrom == null) {
            throw new ModelException("state-share-from", "must be given");
        }
        if (stateShareMotifs == null) {
            throw new ModelException("state-share-motifs", "must be given");
        }
        if (!(rnaPearson >= 0 && rnaPearson <= 1)) {
            throw new ModelException("rna-pearson", "must be in [0, 1], not " + rnaPearson);
        }
        if (Double.isNaN(rnaPearsonBelow)) {
            throw new ModelException("rna-pearson-below", "must be a number");
        }
        if (states < 1) {
            throw new ModelException("states", "must be positive");
        }
        if (rnaSmooth < 0) {
            throw new ModelException("rna-smooth", "must be 0 (off) or a positive number of neighbours");
        }
        if (rnaSmoothSpace == null) {
            throw new ModelException("rna-smooth-space", "must be given");
        }
    }

    /** Default coupling share (docs/benchmarks.md, "multiome: round 3"). */
    public static final double DEFAULT_COUPLING = 0.6;
    /** Default within-state share (docs/benchmarks.md, "multiome: round 3"). */
    public static final double DEFAULT_STATE_SHARE = 0.3;
    /** Default gating share (docs/benchmarks.md, "multiome: round 4"). */
    public static final double DEFAULT_GATING = 0;
    /** Default prior exponent: auto (NaN), see {@link #resolvePriorPower}. */
    public static final double DEFAULT_PRIOR_POWER = Double.NaN;
    /** Prior exponent with motif evidence from a genome scan (docs/benchmarks.md, "multiome: round 4"). */
    public static final double SCAN_PRIOR_POWER = 0.3;
    /**
     * Default link weight: from the links' trans null (docs/benchmarks.md, "multiome: round 6"; before it, the
     * correlation r).
     */
    public static final LinkWeight DEFAULT_LINK_WEIGHT = LinkWeight.Z;
    /**
     * Default link sign: negative links count too, for TFs anti-correlated with the gene (docs/benchmarks.md,
     * "multiome: round 7"; before it, positive links only).
     */
    public static final LinkSign DEFAULT_LINK_SIGN = LinkSign.BOTH;
    /** Default source of the RNA model's within-state cell states: its own (docs/benchmarks.md, "multiome: round 8"). */
    public static final WithinStatesFrom DEFAULT_WITHIN_STATES = WithinStatesFrom.RNA;
    /**
     * Default source of the no-motif state share: from the chromatin ({@link StateShareFrom#CHROMATIN}). It failed
     * its tuning gate (1.014 per simulation, needs 1.02) but was ≥ the fixed share on 8 of 8 held-out simulations
     * (131–138: 1.11× / 1.04×), then adopted by a confirmatory run registered before it on fresh simulations 141–148:
     * 1.05× by the ratio of medians, 1.03× by the median of per-simulation ratios (docs/benchmarks.md, "multiome:
     * round 10" and the lead's confirmatory run after it). {@link StateShareFrom#FIXED} is the default before.
     */
    public static final StateShareFrom DEFAULT_STATE_SHARE_FROM = StateShareFrom.CHROMATIN;
    /**
     * Default of {@link #scanCompete}: off, every TF's scan hits count (docs/benchmarks.md, "multiome: round 10b").
     */
    public static final boolean DEFAULT_SCAN_COMPETE = false;
    /**
     * Default of {@link #paralogSplit}: off, each TF keeps its motif evidence in peaks its relatives hit too
     * (docs/benchmarks.md, "multiome: round 11").
     */
    public static final boolean DEFAULT_PARALOG_SPLIT = false;
    /**
     * Default of {@link #stateShareMotifs}: the fixed {@link #stateShare} with motif evidence (docs/benchmarks.md,
     * "multiome: round 11b").
     */
    public static final StateShareMotifs DEFAULT_STATE_SHARE_MOTIFS = StateShareMotifs.FIXED;
    /**
     * Default of {@link #rnaPearson}: 0.5 with motif evidence, adopted by a held-out and a confirmatory run
     * (docs/benchmarks.md, "multiome: round 11e"); 0 turns the blend off.
     */
    public static final double DEFAULT_RNA_PEARSON = 0.5;
    /**
     * Default of {@link #rnaPearsonBelow}: 0.45, round 11c's cut (many weakly confounded cell types have a chromatin
     * share near 0; two types or strong confounding near 0.6, the largest {@link #chromatinShare}: there the blend
     * would cost).
     */
    public static final double DEFAULT_RNA_PEARSON_BELOW = 0.45;
    /** Motif activity share with motif evidence from a genome scan (docs/benchmarks.md, "multiome: round 5"). */
    public static final double SCAN_MOTIF_ACTIVITY = 0;

    public static AtacSettings defaults(long seed) {
        return new AtacSettings(100_000, 0, 20, 30, 0.5, 0.05, 0.05, 0.1, Double.NaN, seed, DEFAULT_COUPLING,
                CellStates.DEFAULT_STATES, DEFAULT_STATE_SHARE, DEFAULT_GATING,
                DEFAULT_PRIOR_POWER, Double.NaN, DEFAULT_LINK_WEIGHT, false, DEFAULT_LINK_SIGN, DEFAULT_WITHIN_STATES,
                DEFAULT_STATE_SHARE_FROM, DEFAULT_SCAN_COMPETE, DEFAULT_PARALOG_SPLIT,
                DEFAULT_STATE_SHARE_MOTIFS, DEFAULT_RNA_PEARSON, DEFAULT_RNA_PEARSON_BELOW, 0, RnaSmoothSpace.ATAC);
    }

    /** Defaults overridden by {@code params}; an unknown name is a {@link ModelException} listing the valid ones. */
    public static AtacSettings fromParams(Map<String, String> params, long seed) {
        AtacSettings d = defaults(seed);
        for (String k : params.keySet()) {
            if (!NAMES.contains(k)) {
                throw new ModelException("atac-param", "unknown '" + k + "'; valid: "
                        + String.join(", ", new TreeSet<>(NAMES)));
            }
        }
        try {
            return new AtacSettings(
                    Long.parseLong(params.getOrDefault("window", Long.toString(d.window))),
                    Integer.parseInt(params.getOrDefault("metacells", Integer.toString(d.metacells))),
                    Integer.parseInt(params.getOrDefault("metacell-size", Integer.toString(d.metacellSize))),
                    Integer.parseInt(params.getOrDefault("dims", Integer.toString(d.dims))),
                    Double.parseDouble(params.getOrDefault("rna-weight", Double.toString(d.rnaWeight))),
                    Double.parseDouble(params.getOrDefault("p-threshold", Double.toString(d.pThreshold))),
                    Double.parseDouble(params.getOrDefault("min-corr", Double.toString(d.minCorr))),
                    Double.parseDouble(params.getOrDefault("min-tf-peak", Double.toString(d.minTfPeak))),
                    Double.parseDouble(params.getOrDefault("prior-floor", Double.toString(d.priorFloor))),
                    seed,
                    Double.parseDouble(params.getOrDefault("coupling", Double.toString(d.coupling))),
                    Integer.parseInt(params.getOrDefault("states", Integer.toString(d.states))),
                    Double.parseDouble(params.getOrDefault("state-share", Double.toString(d.stateShare))),
                    Double.parseDouble(params.getOrDefault("gating", Double.toString(d.gating))),
                    Double.parseDouble(params.getOrDefault("prior-power", "auto").equals("auto")
                            ? Double.toString(d.priorPower) : params.get("prior-power")),
                    Double.parseDouble(params.getOrDefault("motif-activity", "auto").equals("auto")
                            ? Double.toString(d.motifActivity) : params.get("motif-activity")),
                    params.containsKey("link-weight") ? LinkWeight.parse(params.get("link-weight")) : d.linkWeight,
                    flag(params, "coupling-within-states", d.couplingWithinStates),
                    params.containsKey("link-sign") ? LinkSign.parse(params.get("link-sign")) : d.linkSign,
                    params.containsKey("within-states") ? WithinStatesFrom.parse(params.get("within-states"))
                            : d.withinStates,
                    params.containsKey("state-share-from") ? StateShareFrom.parse(params.get("state-share-from"))
                            : d.stateShareFrom,
                    flag(params, "scan-compete", d.scanCompete),
                    flag(params, "paralog-split", d.paralogSplit),
                    params.containsKey("state-share-motifs")
                            ? StateShareMotifs.parse(params.get("state-share-motifs")) : d.stateShareMotifs,
                    Double.parseDouble(params.getOrDefault("rna-pearson", Double.toString(d.rnaPearson))),
                    Double.parseDouble(params.getOrDefault("rna-pearson-below", Double.toString(d.rnaPearsonBelow))),
                    Integer.parseInt(params.getOrDefault("rna-smooth", Integer.toString(d.rnaSmooth))),
                    params.containsKey("rna-smooth-space") ? RnaSmoothSpace.parse(params.get("rna-smooth-space"))
                            : d.rnaSmoothSpace);
        } catch (NumberFormatException e) {
            throw new ModelException("atac-param", "not a number: " + e.getMessage());
        }
    }

    /** A 0/1 setting; anything else is a {@link ModelException} naming it. */
    private static boolean flag(Map<String, String> params, String name, boolean dflt) {
        String v = params.get(name);
        if (v == null) {
            return dflt;
        }
        return switch (v) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new ModelException(name, "'" + v + "' is not 0 or 1");
        };
    }

    /**
     * The floor to apply, or empty when the prior should not re-weight the RNA network: by default the prior is
     * applied with floor 0.1 when TF–peak evidence comes from motifs, and not at all when it comes from TF–peak
     * correlation, which on simulated data did not beat RNA alone in every setting (docs/benchmarks.md,
     * "multiome"); an explicit {@code prior-floor} applies it either way.
     */
    public OptionalDouble effectiveFloor(boolean motifEvidence) {
        if (!Double.isNaN(priorFloor)) {
            return OptionalDouble.of(priorFloor);
        }
        return motifEvidence ? OptionalDouble.of(0.1) : OptionalDouble.empty();
    }

    /** These settings with another {@link #coupling}. */
    public AtacSettings withCoupling(double c) {
        return new AtacSettings(window, metacells, metacellSize, dims, rnaWeight, pThreshold, minCorr, minTfPeak,
                priorFloor, seed, c, states, stateShare, gating, priorPower, motifActivity, linkWeight,
                couplingWithinStates, linkSign, withinStates, stateShareFrom, scanCompete, paralogSplit,
                stateShareMotifs, rnaPearson, rnaPearsonBelow, rnaSmooth, rnaSmoothSpace);
    }

    /** These settings with another {@link #stateShare}. */
    public AtacSettings withStateShare(double share) {
        return new AtacSettings(window, metacells, metacellSize, dims, rnaWeight, pThreshold, minCorr, minTfPeak,
                priorFloor, seed, coupling, states, share, gating, priorPower, motifActivity, linkWeight,
                couplingWithinStates, linkSign, withinStates, stateShareFrom, scanCompete, paralogSplit,
                stateShareMotifs, rnaPearson, rnaPearsonBelow, rnaSmooth, rnaSmoothSpace);
    }

    /** These settings with another {@link #gating}. */
    public AtacSettings withGating(double share) {
        return new AtacSettings(window, metacells, metacellSize, dims, rnaWeight, pThreshold, minCorr, minTfPeak,
                priorFloor, seed, coupling, states, stateShare, share, priorPower, motifActivity, linkWeight,
                couplingWithinStates, linkSign, withinStates, stateShareFrom, scanCompete, paralogSplit,
                stateShareMotifs, rnaPearson, rnaPearsonBelow, rnaSmooth, rnaSmoothSpace);
    }

    /**
     * These settings with an automatic {@link #priorPower} resolved: {@link #SCAN_PRIOR_POWER} for motif evidence
     * from a genome scan, whose significance beyond the threshold says little about binding (chance hits as strong
     * as real sites), and 1 for a motif table or {@code varm} scores, which are taken as given; an explicit value
     * stays. The automatic {@link #motifActivity} is resolved the same way ({@link #SCAN_MOTIF_ACTIVITY} with a
     * scan, 0 otherwise).
     */
    public AtacSettings resolvePriorPower(boolean scanned) {
        return new AtacSettings(window, metacells, metacellSize, dims, rnaWeight, pThreshold, minCorr, minTfPeak,
                priorFloor, seed, coupling, states, stateShare, gating,
                Double.isNaN(priorPower) ? (scanned ? SCAN_PRIOR_POWER : 1) : priorPower,
                Double.isNaN(motifActivity) ? (scanned ? SCAN_MOTIF_ACTIVITY : 0) : motifActivity, linkWeight,
                couplingWithinStates, linkSign, withinStates, stateShareFrom, scanCompete, paralogSplit,
                stateShareMotifs, rnaPearson, rnaPearsonBelow, rnaSmooth, rnaSmoothSpace);
    }

    /** Metacells to build for {@code nCells} cells. */
    public int metacellsFor(int nCells) {
        return metacells > 0 ? metacells : Math.max(2, Math.min(500, nCells / 5));
    }
}
