package io.scgrn.models.atac;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.PairSlots;
import io.scgrn.models.Progress;
import io.scgrn.models.calibration.DecoyCalibration;
import io.scgrn.models.numerics.Medians;
import io.scgrn.models.numerics.Ranks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Wraps any RNA model with chromatin evidence. The base model runs with the ATAC prior in its options (models that
 * use a prior can), then each TF → target score is re-weighted:
 * {@code score = pct(rna) · (floor + (1 − floor) · prior)}, where pct is the edge's rank percentile among the base
 * model's edges (scale-free, so any model can be wrapped) and prior ∈ [0, 1] is the triplet-derived confidence.
 * For targets with no peak in the linking window the chromatin says nothing, and they keep the median weight of
 * informative targets' edges, so they are neither promoted nor buried.
 *
 * <p>This is CellOracle's idea (the ATAC base GRN restricts which TFs may regulate a gene, RNA decides among them)
 * with a soft gate: {@code floor} &gt; 0 lets strong RNA evidence without chromatin support through.
 */
public final class AtacInformedModel implements GrnModel {
    private static final Logger LOG = LoggerFactory.getLogger(AtacInformedModel.class);
    private final GrnModel base;
    private final List<Edge> prior;
    private final Set<String> informativeTargets;
    private final double floor;
    private final List<Edge> stateEdges;
    private final double stateShare;
    private final Map<String, Integer> cellStates;
    private final double pearsonShare;
    private final List<String> smoothCells;
    private final int[][] smoothNeighbours;
    private final Map<String, Integer> stateEdgeStates;

    /**
     * @param base               RNA model
     * @param prior              TF → target prior (score 0..1) from {@link AtacAnalysis}
     * @param informativeTargets genes with at least one candidate peak
     * @param floor              weight of an edge with no chromatin support, 0..1
     */
    public AtacInformedModel(GrnModel base, List<Edge> prior, Set<String> informativeTargets, double floor) {
        this(base, prior, informativeTargets, floor, List.of(), 0);
    }

    /**
     * @param floor      weight of an edge with no chromatin support, 0..1, or NaN to leave the prior out
     * @param stateEdges within-state TF → gene correlation ({@link CellStates})
     * @param stateShare its share in the RNA ranking before the prior ({@link #blend}); 0 = the base model's
     */
    public AtacInformedModel(GrnModel base, List<Edge> prior, Set<String> informativeTargets, double floor,
                             List<Edge> stateEdges, double stateShare) {
        this(base, prior, informativeTargets, floor, stateEdges, stateShare, null, 0, null, null, null);
    }

    private AtacInformedModel(GrnModel base, List<Edge> prior, Set<String> informativeTargets, double floor,
                              List<Edge> stateEdges, double stateShare, Map<String, Integer> cellStates,
                              double pearsonShare, List<String> smoothCells, int[][] smoothNeighbours,
                              Map<String, Integer> stateEdgeStates) {
        this.stateEdgeStates = stateEdgeStates;
        this.smoothCells = smoothCells;
        this.smoothNeighbours = smoothNeighbours;
        this.cellStates = cellStates;
        this.pearsonShare = pearsonShare;
        this.base = base;
        this.prior = List.copyOf(prior);
        this.informativeTargets = Set.copyOf(informativeTargets);
        this.floor = floor;
        this.stateEdges = List.copyOf(stateEdges);
        this.stateShare = stateShare;
    }

    /**
     * This model handing cell states found from the chromatin ({@link AtacResult#cellStates}) to the base model as
     * its outside cell states ({@link InferenceOptions#cellStates}), matched to the expression's cells by name; a
     * cell without a state leaves the base model to find its own. Null: none.
     *
     * @param cells  cell names
     * @param states state (0..k−1) of each
     */
    public AtacInformedModel withCellStates(List<String> cells, int[] states) {
        Map<String, Integer> m = byName(cells, states);
        return new AtacInformedModel(base, prior, informativeTargets, floor, stateEdges, stateShare, m, pearsonShare,
                smoothCells, smoothNeighbours, stateEdgeStates);
    }

    /**
     * This model averaging the expression it is given over each cell's neighbourhood before anything else runs on
     * it ({@link RnaSmoothing#smooth}; {@link AtacResult#smoothNeighbours}), cells matched by name. Null
     * neighbourhoods: none (the expression as given).
     *
     * @param cells      cell names that {@code neighbours} index
     * @param neighbours each cell's neighbourhood, itself included
     */
    public AtacInformedModel withRnaSmoothing(List<String> cells, int[][] neighbours) {
        return new AtacInformedModel(base, prior, informativeTargets, floor, stateEdges, stateShare, cellStates,
                pearsonShare, neighbours == null ? null : List.copyOf(cells), neighbours, stateEdgeStates);
    }

    /**
     * This model with plain |Pearson r|'s rank percentile blended into the base model's ranking at {@code share}
     * ({@link #blend}), before the within-state blend and the prior ({@link AtacResult#rnaPearson}; 0: the base
     * model's ranking as it is). The |r| ranking is computed on the same expression without the prior.
     */
    public AtacInformedModel withPearsonShare(double share) {
        return new AtacInformedModel(base, prior, informativeTargets, floor, stateEdges, stateShare, cellStates, share,
                smoothCells, smoothNeighbours, stateEdgeStates);
    }

    /**
     * This model scoring the TF → target pairs that the within-state edges miss — the calibration's decoy genes,
     * and genes the ATAC step did not pair — by their within-state correlation over the same states, computed on
     * the expression the model is given (cells matched by name; cells without a state left out), and placing each at
     * the percentile its score would have among the within-state edges. Without it those pairs get percentile 0
     * in the blend: real targets with chromatin-derived states then outrank every decoy, and the q-values of the
     * blended network lose their meaning (on data without any structure, 9 % of the edges passed q ≤ 0.05:
     * docs/benchmarks.md, "Multiome: q-values of the within-state blend (lead, session 22)"). The within-state
     * edges' own percentiles, and so the ranking of the pairs they hold, are unchanged. Null states: as without.
     *
     * @param cells  cell names that {@code states} index
     * @param states the state of each of {@code cells} the within-state edges were computed over
     */
    public AtacInformedModel withStateCells(List<String> cells, int[] states) {
        Map<String, Integer> m = byName(cells, states);
        return new AtacInformedModel(base, prior, informativeTargets, floor, stateEdges, stateShare, cellStates,
                pearsonShare, smoothCells, smoothNeighbours, m);
    }

    /** Cell name → state, or null for null states. */
    private static Map<String, Integer> byName(List<String> cells, int[] states) {
        if (states == null) {
            return null;
        }
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < states.length; i++) {
            m.put(cells.get(i), states[i]);
        }
        return m;
    }

    /** The states of {@code cells}, or null when one of them has none. */
    private int[] statesOf(List<String> cells) {
        int[] out = new int[cells.size()];
        for (int i = 0; i < out.length; i++) {
            Integer st = cellStates.get(cells.get(i));
            if (st == null) {
                return null;
            }
            out[i] = st;
        }
        return out;
    }

    @Override
    public String name() {
        return base.name() + "+atac";
    }

    @Override
    public void checkParams(Map<String, String> params) {
        base.checkParams(params);
    }

    @Override
    public Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
        return inferRanked(data, tfs, options, progress).network();
    }

    /**
     * The ATAC-informed network, and the base model's own ranking as the part it re-ranks: the within-state blend
     * and the prior lift pairs by evidence that is near noise for most of them, so the combined ranking's extreme
     * tail is thin and few edges reach a low q there although the base ranking finds many associations
     * (docs/benchmarks.md, "Calibration: a multiome edge counts as found by either ranking (lead, session 25)").
     */
    @Override
    public Ranked inferRanked(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
        if (smoothNeighbours != null) {
            // rna-smooth (round 17): every model below sees the averaged expression, the |r| blend's included
            data = RnaSmoothing.smooth(data, smoothCells, smoothNeighbours);
            LOG.info("atac: {} run on expression averaged over each cell and its {} nearest cells", base.name(),
                    smoothNeighbours.length == 0 ? 0 : smoothNeighbours[0].length - 1);
        }
        List<Edge> combinedPrior = new ArrayList<>(options.prior());
        // the base model's learned term takes the prior's pairs into its graph: each q-value decoy takes its source
        // gene's, as the combine below does, so that a real target is not lifted over the decoys by the graph alone
        combinedPrior.addAll(DecoyCalibration.decoyPrior(prior, options.decoySources()));
        InferenceOptions withPrior = options.withPrior(combinedPrior);
        int[] states = cellStates == null ? null : statesOf(data.cells());
        if (states != null) {
            withPrior = withPrior.withCellStates(states);
            LOG.info("atac: cell states from the chromatin handed to {} ({} cells)", base.name(), states.length);
        } else if (cellStates != null) {
            LOG.warn("atac: cell states from the chromatin not used: some of the {} cells have none", data.nCells());
        }
        Network rna = base.infer(data, tfs, withPrior, progress);
        Network baseRanking = rna;
        progress.phase("atac: combine");
        if (pearsonShare > 0) {
            // rna-pearson (round 11d): where many weakly confounded cell types carry the regulation, plain |r| ranks
            // it better than the base model's partial correlations; the options' parameters are the base model's
            // (pearson would refuse them), the prior is the ATAC step's
            Network r = Models.byName("pearson").infer(data, tfs, options.withPrior(List.of()).withParams(Map.of()),
                    progress);
            rna = blend(rna, r.edges(), pearsonShare);
        }
        if (stateShare > 0) {
            rna = blend(rna, stateEdges, missingStateEdges(data, tfs, rna), stateShare);
        }
        // each q-value decoy takes its source gene's chromatin evidence, so that motif support, which a real target has
        // and a decoy without peaks would lack, is not counted as discovery (docs/benchmarks.md, "Multiome: q-values
        // of the within-state blend (lead, session 22)"); DecoyCalibration says which gene each decoy copies
        Network out = Double.isNaN(floor) ? rna : combine(rna, prior, informativeTargets, floor,
                options.decoySources());
        return new Ranked(out, out == baseRanking ? List.of() : List.of(baseRanking));
    }

    /**
     * Averages the RNA model's rank percentile with that of a second ranking of the same TF → target pairs (e.g.
     * {@link CellStates#withinStateCorrelation}): {@code score = (1 − share) · pct(rna) + share · pct(other)}; a
     * pair missing from {@code other} gets percentile 0 there. Signs and stabilities stay the RNA model's.
     */
    public static Network blend(Network rna, List<Edge> other, double share) {
        return blend(rna, other, List.of(), share);
    }

    /**
     * {@link #blend(Network, List, double)} where the pairs of {@code placed} that {@code other} lacks get the
     * percentile their score would have among {@code other}'s edges (1 − the share of them scoring strictly higher;
     * 0 for a score of 0), without changing {@code other}'s own percentiles.
     */
    public static Network blend(Network rna, List<Edge> other, List<Edge> placed, double share) {
        // percentiles in arrays indexed by pair (PairSlots) rather than maps keyed by "tf\ttarget" strings
        PairSlots slots = new PairSlots(List.of(rna.edges(), other, placed));
        double[] pctOther = percentiles(other, slots);
        if (!placed.isEmpty()) {
            double[] desc = other.stream().mapToDouble(e -> -e.score()).sorted().toArray();
            for (Edge e : placed) {
                int k = slots.of(e);
                if (Double.isNaN(pctOther[k])) {
                    // edges of other scoring strictly higher: the -scores strictly below -score
                    int higher = Ranks.lowerBound(desc, -e.score());
                    pctOther[k] = e.score() > 0 ? 1.0 - (double) higher / desc.length : 0;
                }
            }
        }
        double[] pctRna = percentiles(rna.edges(), slots);
        List<Edge> out = new ArrayList<>(rna.edges().size());
        for (Edge e : rna.edges()) {
            int k = slots.of(e);
            double o = pctOther[k];
            double score = (1 - share) * pctRna[k] + share * (Double.isNaN(o) ? 0.0 : o);
            out.add(new Edge(e.tf(), e.target(), score, e.sign(), e.stability()));
        }
        out.sort(Network.RANKING);
        return new Network(out);
    }

    /**
     * Within-state correlation edges of the TFs with the targets of {@code rna} that {@link #stateEdges} do not
     * hold ({@link #withStateCells}); empty without states or when none is missing.
     */
    private List<Edge> missingStateEdges(ExpressionMatrix data, List<String> tfs, Network rna) {
        if (stateEdgeStates == null) {
            return List.of();
        }
        Set<String> covered = new HashSet<>();
        for (Edge e : stateEdges) {
            covered.add(e.target());
        }
        Set<String> missing = new HashSet<>();
        for (Edge e : rna.edges()) {
            if (!covered.contains(e.target())) {
                missing.add(e.target());
            }
        }
        if (missing.isEmpty()) {
            return List.of();
        }
        // the cells with a state, in the data's order
        int n = data.nCells();
        int g = data.nGenes();
        int[] rows = IntStream.range(0, n).filter(c -> stateEdgeStates.containsKey(data.cells().get(c))).toArray();
        if (rows.length < 3) {
            LOG.warn("atac: {} of {} cells have a chromatin state: {} targets keep no within-state score",
                    rows.length, n, missing.size());
            return List.of();
        }
        float[] x = rows.length == n ? data.values() : new float[rows.length * g];
        int[] st = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (x != data.values()) {
                System.arraycopy(data.values(), rows[i] * g, x, i * g, g);
            }
            st[i] = stateEdgeStates.get(data.cells().get(rows[i]));
        }
        LOG.info("atac: within-state scores for {} targets the ATAC step did not pair (decoys included)",
                missing.size());
        return CellStates.withinStateCorrelation(x, rows.length, data.genes(), tfs, st, missing);
    }

    /**
     * Rank percentile (1 = best, ties share their first rank's) of each TF → target pair of a ranked list, at the
     * pair's slot (NaN for pairs the list does not hold; a pair listed twice keeps its better rank).
     */
    private static double[] percentiles(List<Edge> ranked, PairSlots slots) {
        List<Edge> edges = new ArrayList<>(ranked);
        edges.sort(Network.RANKING);
        double[] out = slots.none();
        int n = edges.size();
        int rank = 0;
        for (int i = 0; i < n; i++) {
            Edge e = edges.get(i);
            if (i > 0 && edges.get(i - 1).score() != e.score()) {
                rank = i;
            }
            int k = slots.of(e);
            if (Double.isNaN(out[k])) {
                out[k] = e.score() > 0 ? 1.0 - (double) rank / n : 0;
            }
        }
        return out;
    }

    /** The re-weighting described in the class comment. */
    public static Network combine(Network rna, List<Edge> prior, Set<String> informativeTargets, double floor) {
        return combine(rna, prior, informativeTargets, floor, Map.of());
    }

    /**
     * {@link #combine(Network, List, Set, double)} where each target of {@code sources}' keys (a q-value decoy) takes
     * the chromatin evidence of its value (the real gene it copies): that gene's prior weights and informativeness.
     * The neutral weight of uninformative targets is the median over the real targets' informative edges.
     */
    public static Network combine(Network rna, List<Edge> prior, Set<String> informativeTargets, double floor,
                                  Map<String, String> sources) {
        // the decoys' prior edges: each source's, under the decoy's name
        prior = DecoyCalibration.decoyPrior(prior, sources);
        // a decoy is as informative as its source
        Predicate<String> isInformative = t -> informativeTargets.contains(sources.getOrDefault(t, t));
        PairSlots slots = new PairSlots(List.of(rna.edges(), prior));
        double[] best = slots.none();
        for (Edge e : prior) {
            int k = slots.of(e);
            best[k] = Double.isNaN(best[k]) ? e.score() : Math.max(best[k], e.score());
        }
        // the prior's best score of the pair, 0 where it has none
        ToDoubleFunction<Edge> p = e -> {
            double v = best[slots.of(e)];
            return Double.isNaN(v) ? 0.0 : v;
        };
        List<Edge> edges = rna.edges();
        int n = edges.size();
        // Median weight over informative edges stands in for uninformative targets.
        List<Double> informativeWeights = new ArrayList<>();
        for (Edge e : edges) {
            if (informativeTargets.contains(e.target())) {
                informativeWeights.add(floor + (1 - floor) * p.applyAsDouble(e));
            }
        }
        double neutral = informativeWeights.isEmpty() ? floor
                : Medians.upperMedian(informativeWeights.stream().mapToDouble(Double::doubleValue).toArray());
        List<Edge> out = new ArrayList<>(n);
        int rank = 0;
        for (int i = 0; i < n; i++) {
            Edge e = edges.get(i);
            // Edges are ranked best first; ties share the percentile of their first position.
            if (i > 0 && edges.get(i - 1).score() != e.score()) {
                rank = i;
            }
            double pct = e.score() > 0 ? 1.0 - (double) rank / n : 0;
            double w = isInformative.test(e.target()) ? floor + (1 - floor) * p.applyAsDouble(e) : neutral;
            out.add(new Edge(e.tf(), e.target(), pct * w, e.sign(), e.stability()));
        }
        return new Network(out);
    }
}
