package io.scgrn.models.atac;

import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.Correlations;
import io.scgrn.models.numerics.DenseOperator;
import io.scgrn.models.numerics.Distributions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;

/**
 * The multiome analysis: metacells → peak–gene links → TF–peak evidence → TF → peak → gene triplets → TF → target
 * prior, plus per-cell gene activity and eRegulon activity.
 *
 * <p>The prior uses only chromatin evidence (TF binding evidence × peak–gene link strength, maximised over the
 * gene's linked peaks), so that it is independent of the RNA evidence a model adds on top. With a motif table the
 * TF binding evidence is the motif score (a TF is only a candidate for peaks carrying its motif); without one it
 * is the positive part of the TF expression–peak accessibility correlation over metacells (SCENIC+'s
 * TF-to-region evidence), which is weaker because it is confounded by cell type.
 */
public final class AtacAnalysis {
    /** Links whose TF-peak evidence is computed together, in parallel (bounds the maps held at once). */
    private static final int EVIDENCE_BLOCK = 512;

    private static final Logger LOG = LoggerFactory.getLogger(AtacAnalysis.class);
    private static final int MIN_EREGULON = 5;

    private AtacAnalysis() {
    }

    /**
     * @param data     paired data
     * @param tfs      candidate regulators (those not among the RNA genes are ignored)
     * @param motifs   motif hits, or null to use correlation evidence
     * @param s        settings
     * @param progress phases ("atac: metacells", …) and cancellation
     */
    public static AtacResult run(MultiomeData data, List<String> tfs, MotifTable motifs, AtacSettings s,
                                 Progress progress) {
        return run(data, tfs, motifs, s, progress, true);
    }

    /**
     * {@link #run(MultiomeData, List, MotifTable, AtacSettings, Progress)}; without {@code withPrior} the TF → target
     * prior is not built (an empty list): for a caller that will not apply it, as {@code scgrn infer} does not
     * without motif evidence ({@link AtacSettings#effectiveFloor}). With a genome-wide TF list it holds millions of
     * pairs; triplets and everything else are the same.
     */
    public static AtacResult run(MultiomeData data, List<String> tfs, MotifTable motifs, AtacSettings s,
                                 Progress progress, boolean withPrior) {
        Progress p = progress == null ? Progress.NONE : progress;
        Map<String, Long> timings = new LinkedHashMap<>();
        Map<String, Integer> geneIndex = new HashMap<>();
        for (int g = 0; g < data.nGenes(); g++) {
            geneIndex.putIfAbsent(data.genes().get(g), g);
        }
        List<String> tfsPresent = tfs.stream().filter(geneIndex::containsKey).distinct().toList();
        if (tfsPresent.isEmpty()) {
            throw new ModelException("tfs", "none of the " + tfs.size() + " TFs is among the " + data.nGenes()
                    + " RNA genes");
        }

        long t0 = System.nanoTime();
        p.phase("atac: metacells");
        Metacells meta = metacells(data, s);
        t0 = lap(timings, "metacells", t0);
        check(p);

        p.phase("atac: peak-gene links");
        List<PeakGeneLink> links = links(data, meta, s);
        Set<String> informative = new HashSet<>();
        for (PeakGeneLink l : links) {
            informative.add(data.genes().get(l.gene()));
        }
        t0 = lap(timings, "links", t0);
        check(p);

        p.phase("atac: triplets");
        List<PeakGeneLink> positive = links.stream().filter(l -> l.significant() && l.r() > 0).toList();
        // The prior also uses positively correlated links that miss significance: with sparse ATAC many true
        // enhancers do, and a zero prior would bury their edges; their weight is their (small) correlation, or what
        // the settings' link weight gives them (AtacSettings.LinkWeight; links it weighs 0 add nothing). With a link
        // sign that counts them (AtacSettings.LinkSign, default both), negative links weigh as their mirror image.
        AtacSettings.LinkWeight linkWeight = s.linkWeight();
        List<PeakGeneLink> priorLinks = links.stream().filter(l -> s.linkWeightOf(l) > 0).toList();
        float[][] geneCols = Correlations.standardisedColumns(meta.rna(), meta.nMeta(), data.nGenes());
        int[] states = null;
        if (s.stateShare() > 0 || s.gating() > 0 || s.couplingWithinStates()) {
            p.phase("atac: cell states");
            states = CellStates.states(data, s.states(), s);
            t0 = lap(timings, "states", t0);
            check(p);
        }
        // TF-peak coupling (and correlation evidence without motifs) over metacells, centred within cell states
        // when asked: couplingMeta / couplingGeneCols; geneCols stays for the triplets' TF-gene correlation.
        Metacells couplingMeta = s.couplingWithinStates() ? CellStates.withinStates(meta, states, data.nGenes(),
                data.nPeaks()) : meta;
        float[][] couplingGeneCols = s.couplingWithinStates()
                ? Correlations.standardisedColumns(couplingMeta.rna(), meta.nMeta(), data.nGenes()) : geneCols;
        // The TF-peak background is over the positively correlated links whatever the link weight.
        Map<Integer, float[]> peakCols = peakColumns(couplingMeta, data.nPeaks(),
                links.stream().filter(l -> l.r() > 0).toList());
        double coupling = motifs == null ? 0 : s.coupling();
        // With paralog-split, relatives' shared motif hits are split by their coupling z (ParalogSplit).
        ParalogSplit split = motifs != null && s.paralogSplit() ? ParalogSplit.of(motifs, data.nPeaks()) : null;
        if (split != null) {
            LOG.info("atac: {} pairs of TFs with nearly the same motif split their shared peaks by TF-peak coupling",
                    split.pairs().size());
        }
        Map<String, double[]> tfBackground = motifs == null || coupling > 0 || split != null
                ? tfBackground(tfsPresent, geneIndex, couplingGeneCols, peakCols) : Map.of();
        Map<Integer, Map<String, Double>> splitWeights = new HashMap<>();
        if (linkWeight == AtacSettings.LinkWeight.WINDOW || s.linkSign().negative()) {
            peakColumns(couplingMeta, data.nPeaks(), priorLinks).forEach(peakCols::putIfAbsent);
        }
        GatedCoexpression gate = s.gating() > 0 ? new GatedCoexpression(data.rna(), data.nGenes(), data.atac(),
                states) : null;
        List<Triplet> triplets = new ArrayList<>();
        Map<String, Map<String, Double>> prior = new HashMap<>();
        // An unresolved (automatic) exponent is 1: the evidence is taken as given (AtacSettings#resolvePriorPower).
        double power = Double.isNaN(s.priorPower()) ? 1 : s.priorPower();
        Set<String> tfSet = new HashSet<>(tfsPresent);
        // each TF's standardised metacell column, in tfsPresent order: the TF-peak evidence reads them for every link
        float[][] tfCols = tfsPresent.stream().map(tf -> couplingGeneCols[geneIndex.get(tf)]).toArray(float[][]::new);
        List<Map<String, Double>> evidenceOf = List.of();
        List<Map<String, Double>> corrOf = List.of();
        for (int i = 0; i < priorLinks.size(); i++) {
            PeakGeneLink l = priorLinks.get(i);
            if (i % EVIDENCE_BLOCK == 0) {
                // each link's TF-peak evidence alone (every TF's correlation with the peak: with a genome-wide TF
                // list, most of this step) for a block of links in parallel; merged below one by one, in order
                List<PeakGeneLink> block = priorLinks.subList(i, Math.min(priorLinks.size(), i + EVIDENCE_BLOCK));
                evidenceOf = IntStream.range(0, block.size()).parallel().mapToObj(k -> tfPeakEvidence(
                        block.get(k).peak(), tfsPresent, tfSet, geneIndex, tfCols, peakCols, motifs,
                        s.minTfPeak(), tfBackground)).toList();
                corrOf = coupling <= 0 ? List.of() : IntStream.range(0, block.size()).parallel().mapToObj(
                        k -> tfPeakEvidence(block.get(k).peak(), tfsPresent, tfSet, geneIndex, tfCols,
                                peakCols, null, 0, tfBackground)).toList();
            }
            String gene = data.genes().get(l.gene());
            Map<String, Double> evidence = evidenceOf.get(i % EVIDENCE_BLOCK);
            if (coupling > 0) {
                Map<String, Double> corr = corrOf.get(i % EVIDENCE_BLOCK);
                evidence.replaceAll((tf, v) -> v * (1 - coupling + coupling * corr.getOrDefault(tf, 0.0)));
            }
            if (split != null && !evidence.isEmpty()) {
                Map<String, Double> w = splitWeights.computeIfAbsent(l.peak(), pk -> {
                    float[] pc = peakCols.get(pk);
                    return split.weights(evidence.keySet(), tf -> {
                        double[] b = tfBackground.get(tf);
                        return (Correlations.dot(couplingGeneCols[geneIndex.get(tf)], pc) - b[0]) / b[1];
                    });
                });
                evidence.replaceAll((tf, v) -> v * w.get(tf));
            }
            if (gate != null) {
                double share = s.gating();
                evidence.replaceAll((tf, v) -> tf.equals(gene) ? v : v * (1 - share + share
                        * gate.evidence(geneIndex.get(tf), l.peak(), l.gene())));
            }
            for (Map.Entry<String, Double> e : evidence.entrySet()) {
                String tf = e.getKey();
                if (tf.equals(gene)) {
                    continue;
                }
                // A negative link (AtacSettings.LinkSign) supports only a TF that falls as the gene rises; with
                // CONSISTENT a positive link only one that rises with it.
                boolean signOff = s.linkSign().negative()
                        && (l.r() < 0 || s.linkSign() == AtacSettings.LinkSign.CONSISTENT)
                        && (l.r() < 0) == (Correlations.dot(geneCols[geneIndex.get(tf)], geneCols[l.gene()]) >= 0);
                if (withPrior && !signOff) {
                    prior.computeIfAbsent(tf, k -> new HashMap<>()).merge(gene, e.getValue() * s.linkWeightOf(l),
                            Math::max);
                }
                if (!l.significant() || l.r() <= 0) {
                    continue;
                }
                double tfGene = Correlations.dot(geneCols[geneIndex.get(tf)], geneCols[l.gene()]);
                double score = e.getValue() * l.r() * Math.abs(tfGene);
                triplets.add(new Triplet(tf, data.peakNames().get(l.peak()), gene, e.getValue(),
                        motifs != null ? "motif" : "correlation", l.r(), l.z(), tfGene, l.distance(), score));
            }
        }
        triplets.sort(Comparator.comparingDouble((Triplet t) -> -t.score()).thenComparing(Triplet::tf)
                .thenComparing(Triplet::gene).thenComparing(Triplet::peak));
        // An unresolved motif-activity share is 0.
        double activity = motifs == null || Double.isNaN(s.motifActivity()) ? 0 : s.motifActivity();
        Map<String, Double> tfWeights = null;
        if (activity > 0) {
            Map<String, float[]> tfExpr = new TreeMap<>();
            tfsPresent.forEach(tf -> tfExpr.put(tf, geneCols[geneIndex.get(tf)]));
            Map<String, Double> w = MotifActivity.weights(meta.atac(), meta.nMeta(), data.nPeaks(), tfExpr, motifs,
                    s.minTfPeak(), s.seed());
            LOG.debug("atac: motif activity weights {}", w);
            tfWeights = new HashMap<>();
            for (Map.Entry<String, Double> e : w.entrySet()) {
                tfWeights.put(e.getKey(), 1 - activity + activity * e.getValue());
            }
        }
        List<Edge> priorEdges = priorEdges(prior, power, tfWeights);
        t0 = lap(timings, "triplets", t0);
        check(p);

        // The RNA model's within-state term on states from the chromatin (AtacSettings.WithinStatesFrom).
        int[] withinStates = switch (s.withinStates()) {
            case RNA -> null;
            case JOINT -> states != null ? states : CellStates.states(data, s.states(), s);
            case ATAC -> CellStates.atacStates(data, s.states(), s);
        };
        List<Edge> stateEdges = List.of();
        if (s.stateShare() > 0) {
            stateEdges = CellStates.withinStateCorrelation(data, tfsPresent, states);
            t0 = lap(timings, "state correlation", t0);
            check(p);
        }
        // The share of the within-state ranking set from the data: without motifs by AtacSettings.StateShareFrom,
        // with motifs by AtacSettings.StateShareMotifs (chromatin: the same share as the no-motif path's).
        double stateShare = s.stateShare();
        boolean confounding = motifs == null && s.stateShare() > 0
                && s.stateShareFrom() == AtacSettings.StateShareFrom.CONFOUNDING;
        boolean shareFromChromatin = !confounding && s.stateShare() > 0 && (motifs == null
                ? s.stateShareFrom() == AtacSettings.StateShareFrom.CHROMATIN
                : s.stateShareMotifs() == AtacSettings.StateShareMotifs.CHROMATIN);
        // With motifs, plain |r| blended into the RNA ranking (AtacSettings.rnaPearson) where the chromatin share is
        // below rna-pearson-below: the regime of many weakly confounded cell types (docs/benchmarks.md, round 11d).
        boolean pearsonAsked = motifs != null && s.rnaPearson() > 0;
        // the chromatin signals once, for whichever of the two needs them
        ChromatinSignals.Signals cs = shareFromChromatin || pearsonAsked ? ChromatinSignals.of(geneCols, meta,
                data.nPeaks(), links, tfsPresent.stream().mapToInt(geneIndex::get).toArray()) : null;
        if (confounding) {
            double inflation = CellStates.coexpressionInflation(data, tfsPresent, states);
            stateShare = AtacSettings.confoundingShare(inflation, AtacSettings.CONFOUNDING_SCALE);
            LOG.info("atac: TF-gene co-expression inflation over the cell states {}: state share {}",
                    String.format(java.util.Locale.ROOT, "%.3f", inflation),
                    String.format(java.util.Locale.ROOT, "%.3f", stateShare));
            t0 = lap(timings, "state share", t0);
        } else if (shareFromChromatin) {
            stateShare = cs.share();
            LOG.info("atac: chromatin over {} distally linked genes: TF-peak coupling tail / null {}, beyond-TF gain"
                    + " {}: state share {}", cs.linkedGenes(),
                    String.format(java.util.Locale.ROOT, "%.3f", cs.couplingTail()),
                    String.format(java.util.Locale.ROOT, "%.3f", cs.beyondTfGain()),
                    String.format(java.util.Locale.ROOT, "%.3f", stateShare));
            t0 = lap(timings, "state share", t0);
        }
        double rnaPearson = 0;
        if (pearsonAsked) {
            rnaPearson = cs.share() < s.rnaPearsonBelow() ? s.rnaPearson() : 0;
            LOG.info("atac: |r| share in the RNA ranking {} (chromatin share {}, below {} applies it)",
                    rnaPearson, String.format(java.util.Locale.ROOT, "%.3f", cs.share()), s.rnaPearsonBelow());
        }

        // The RNA model's expression averaged over each cell's nearest cells (AtacSettings.rnaSmooth; off by default).
        int[][] smoothNeighbours = RnaSmoothing.neighbours(data, s);
        if (smoothNeighbours != null) {
            LOG.info("atac: the RNA model's expression averaged over each cell and its {} nearest cells in the {} space",
                    smoothNeighbours[0].length - 1, s.rnaSmoothSpace().param());
            t0 = lap(timings, "rna smoothing", t0);
        }

        p.phase("atac: activities");
        Map<String, List<String>> eRegulons = eRegulons(triplets);
        float[] eActivity = moduleScores(data, eRegulons, geneIndex);
        List<String> activityGenes = data.genes().stream().filter(data.loci()::containsKey).toList();
        // gene activity now, as CSR (a cell's open peaks touch few genes), so that the accessibility matrix (at
        // 30,000 cells of a 10x run, 0.9 GB of peak numbers) need not live through the RNA model until the writing
        SparseMatrix geneActivity = GeneActivity.computeSparse(data, activityGenes, AtacResult.ACTIVITY_UPSTREAM);
        lap(timings, "activities", t0);
        LOG.info("atac: {} metacells, {} candidate links ({} significant, {} positive), {} triplets, {} prior edges,"
                + " {} eRegulons", meta.nMeta(), links.size(), links.stream().filter(PeakGeneLink::significant)
                .count(), positive.size(), triplets.size(), priorEdges.size(), eRegulons.size());
        // the matrices stay with the caller's data; the result keeps the names and what was computed from them
        return new AtacResult(data.withoutMatrices(), links, triplets, priorEdges, informative, eRegulons,
                eActivity, activityGenes, geneActivity, meta.nMeta(), timings, stateEdges,
                stateEdges.isEmpty() ? null : states, withinStates, stateShare, rnaPearson, smoothNeighbours);
    }

    /** The standardised accessibility over the metacells of each peak of {@code links}, by peak index. */
    static Map<Integer, float[]> peakColumns(Metacells meta, int nPeaks, Collection<PeakGeneLink> links) {
        int m = meta.nMeta();
        Map<Integer, float[]> out = new HashMap<>();
        for (PeakGeneLink l : links) {
            out.computeIfAbsent(l.peak(), p -> {
                float[] col = new float[m];
                for (int i = 0; i < m; i++) {
                    col[i] = meta.atac()[i * nPeaks + p];
                }
                return Correlations.standardisedColumns(col, m, 1)[0];
            });
        }
        return out;
    }

    /**
     * Per TF, the mean and sd of its correlation with all linked peaks. A TF whose expression follows a cell type
     * correlates with every peak of that type; scoring each peak against the TF's own spread keeps the peaks it
     * tracks more closely than its typical peak (the same idea as the trans background of the peak–gene links).
     */
    private static Map<String, double[]> tfBackground(List<String> tfs, Map<String, Integer> geneIndex,
                                                      float[][] geneCols, Map<Integer, float[]> peakCols) {
        float[][] cols = peakCols.values().toArray(float[][]::new);
        // one TF per task (each TF's sums in the peaks' order, as one by one)
        List<double[]> stats = tfs.parallelStream().map(tf -> {
            float[] t = geneCols[geneIndex.get(tf)];
            double[] rs = new double[cols.length];
            Correlations.dots(cols, t, rs);
            double sum = 0;
            double ss = 0;
            int n = 0;
            for (double r : rs) {
                sum += r;
                ss += r * r;
                n++;
            }
            double mean = n > 0 ? sum / n : 0;
            double sd = n > 1 ? Math.sqrt(Math.max(1e-12, (ss - sum * sum / n) / (n - 1))) : 1;
            return new double[] {mean, sd};
        }).toList();
        Map<String, double[]> out = new HashMap<>();
        for (int i = 0; i < tfs.size(); i++) {
            out.put(tfs.get(i), stats.get(i));
        }
        return out;
    }

    /**
     * The TF-peak evidence of one peak: its motif hits when there is a table, else each TF's correlation with the
     * peak over metacells against the TF's background ({@code tfCols}: the TFs' columns in {@code tfs} order).
     */
    private static Map<String, Double> tfPeakEvidence(int peak, List<String> tfs, Set<String> tfSet,
                                                      Map<String, Integer> geneIndex, float[][] tfCols,
                                                      Map<Integer, float[]> peakCols, MotifTable motifs,
                                                      double min, Map<String, double[]> bg) {
        Map<String, Double> out = new TreeMap<>();
        if (motifs != null) {
            Map<String, Double> hits = motifs.hits().get(peak);
            if (hits != null) {
                for (Map.Entry<String, Double> e : hits.entrySet()) {
                    if (geneIndex.containsKey(e.getKey()) && tfSet.contains(e.getKey()) && e.getValue() >= min) {
                        out.put(e.getKey(), e.getValue());
                    }
                }
            }
            return out;
        }
        float[] pc = peakCols.get(peak);
        boolean useZ = !Boolean.getBoolean("scgrn.atac.rawCorr");
        double[] rs = new double[tfCols.length];
        Correlations.dots(tfCols, pc, rs);
        for (int i = 0; i < tfCols.length; i++) {
            String tf = tfs.get(i);
            double r = rs[i];
            double e = r;
            if (useZ) {
                double[] b = bg.get(tf);
                // 2·Φ(z) − 1 for z > 0: 0 at the TF's typical peak, → 1 for peaks it tracks far more closely.
                double z = (r - b[0]) / b[1];
                e = r > 0 && z > 0 ? 1 - 2 * Distributions.normalUpper(z) : 0;
            }
            if (e >= min) {
                out.put(tf, e);
            }
        }
        return out;
    }

    /**
     * TF → gene prior edges: each pair's best path evidence divided by the largest, raised to {@code power}
     * (&lt; 1 compresses the spread of a product of three noisy evidences towards "supported or not").
     */
    static List<Edge> priorEdges(Map<String, Map<String, Double>> prior, double power) {
        return priorEdges(prior, power, null);
    }

    /**
     * As {@link #priorEdges(Map, double)}, then each TF's edges multiplied by its weight ({@code tfWeights}, 1 for a
     * TF it does not name; null for none): applied after the exponent, so a TF-level weight is not compressed.
     */
    static List<Edge> priorEdges(Map<String, Map<String, Double>> prior, double power,
                                 Map<String, Double> tfWeights) {
        double max = 0;
        for (Map<String, Double> m : prior.values()) {
            for (double v : m.values()) {
                max = Math.max(max, v);
            }
        }
        List<Edge> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Double>> e : prior.entrySet()) {
            double w = tfWeights == null ? 1 : tfWeights.getOrDefault(e.getKey(), 1.0);
            for (Map.Entry<String, Double> t : e.getValue().entrySet()) {
                out.add(new Edge(e.getKey(), t.getKey(), max > 0 ? w * Math.pow(t.getValue() / max, power) : 0, 0,
                        Double.NaN));
            }
        }
        out.sort(Network.RANKING);
        return out;
    }

    /** TF → distinct target genes of its positive triplets (TF–gene correlation > 0), kept when ≥ 5 genes. */
    static Map<String, List<String>> eRegulons(List<Triplet> triplets) {
        Map<String, Set<String>> sets = new TreeMap<>();
        for (Triplet t : triplets) {
            if (t.tfGene() > 0) {
                sets.computeIfAbsent(t.tf(), k -> new TreeSet<>()).add(t.gene());
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        sets.forEach((tf, genes) -> {
            if (genes.size() >= MIN_EREGULON) {
                out.put(tf, List.copyOf(genes));
            }
        });
        return out;
    }

    /** Cells per task of {@link #moduleScores}. */
    private static final int SCORE_CELLS = 64;

    /**
     * Module score per cell: mean standardised expression of the eRegulon's genes (each gene z-scored over
     * cells), a simple AUCell-like activity that is cheap for every cell.
     */
    static float[] moduleScores(MultiomeData data, Map<String, List<String>> modules, Map<String, Integer> index) {
        int n = data.nCells();
        int g = data.nGenes();
        float[] x = data.rna();
        double[] mean = DenseOperator.columnMeans(x, n, g);
        double[] sd = DenseOperator.columnSds(x, n, g, mean);
        List<List<String>> mods = new ArrayList<>(modules.values());
        int nm = mods.size();
        int[][] idx = mods.stream().map(genes -> genes.stream().mapToInt(index::get).toArray()).toArray(int[][]::new);
        float[] out = new float[n * nm];
        // one block of cells per task, every module of a cell while its row is in cache (a module per task swept
        // the whole matrix once per module: with a genome-wide TF list, thousands of passes); each score is the
        // same sum in the same order
        IntStream.range(0, (n + SCORE_CELLS - 1) / SCORE_CELLS).parallel().forEach(b -> {
            for (int c = b * SCORE_CELLS; c < Math.min(n, (b + 1) * SCORE_CELLS); c++) {
                for (int m = 0; m < nm; m++) {
                    double s = 0;
                    for (int j : idx[m]) {
                        s += sd[j] > 0 ? (x[c * g + j] - mean[j]) / sd[j] : 0;
                    }
                    out[c * nm + m] = (float) (s / idx[m].length);
                }
            }
        });
        return out;
    }

    private static long lap(Map<String, Long> timings, String name, long t0) {
        long now = System.nanoTime();
        timings.put(name, (now - t0) / 1_000_000);
        return now;
    }

    private static void check(Progress p) {
        if (p.cancelled()) {
            throw new CancellationException("cancelled");
        }
    }

    /** The ATAC step's metacells for these settings (what the links, coupling and chromatin signals are read on). */
    public static Metacells metacells(MultiomeData data, AtacSettings s) {
        return Metacells.build(data, s.metacellsFor(data.nCells()), s.metacellSize(), s.dims(), s.rnaWeight(),
                s.seed());
    }

    /** The ATAC step's peak–gene links over {@code meta} (a background of 100 peaks in each of 10 bins for the null). */
    public static List<PeakGeneLink> links(MultiomeData data, Metacells meta, AtacSettings s) {
        return PeakGeneLinker.link(data, meta, new PeakGeneLinker.Options(s.window(), 100, 10, s.pThreshold(),
                s.minCorr(), s.seed()));
    }
}
