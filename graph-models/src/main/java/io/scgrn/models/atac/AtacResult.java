package io.scgrn.models.atac;

import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.Edge;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the ATAC analysis found.
 *
 * @param data              the paired data it ran on: names only, its matrices let go
 *                          ({@link MultiomeData#withoutMatrices})
 * @param links             every candidate peak–gene link (significant or not)
 * @param triplets          TF → peak → gene triplets, best first
 * @param prior             TF → target prior implied by the triplets (score 0..1, sign 0), best first
 * @param informativeTargets genes with at least one candidate peak (for the others the prior says nothing)
 * @param eRegulons         TF → target genes of its triplets (eRegulons with at least 5 genes)
 * @param eRegulonActivity  cells × eRegulons module scores, row-major, eRegulons in {@code eRegulons} order
 * @param activityGenes     genes of the gene-activity matrix ({@link #activity}: log-normalised promoter + body
 *                          accessibility)
 * @param activity          cells × {@code activityGenes} gene activity ({@link GeneActivity}) as CSR, in
 *                          {@code data}'s cell order
 * @param nMetacells        metacells used
 * @param timingsMs         milliseconds per stage
 * @param stateEdges        TF → gene within-state correlation ({@link CellStates}), empty when state-share is 0
 * @param stateEdgeStates   state of each cell of {@code data} that {@code stateEdges} were computed over (null when
 *                          there are none): the RNA model's wrapper scores the targets they miss (decoys, genes
 *                          beyond the paired ones) over the same states ({@link AtacInformedModel#withStateCells})
 * @param cellStates        state of each cell of {@code data} for the RNA model's within-state term
 *                          ({@link AtacSettings.WithinStatesFrom}), null when the model finds its own
 * @param stateShare        the share of {@code stateEdges} in the RNA ranking: the settings' or, without motifs and
 *                          with {@link AtacSettings.StateShareFrom#CONFOUNDING} or
 *                          {@link AtacSettings.StateShareFrom#CHROMATIN}, or with motifs and
 *                          {@link AtacSettings.StateShareMotifs#CHROMATIN}, the one set from the data
 * @param rnaPearson        the share of plain |Pearson r| in the RNA ranking ({@link AtacSettings#rnaPearson} where
 *                          the chromatin share is below {@link AtacSettings#rnaPearsonBelow}, else 0)
 * @param smoothNeighbours  each cell of {@code data}'s neighbourhood (itself first) over which the RNA model's
 *                          expression is averaged ({@link RnaSmoothing}; {@link AtacSettings#rnaSmooth}), null when off
 */
public record AtacResult(MultiomeData data, List<PeakGeneLink> links, List<Triplet> triplets, List<Edge> prior,
                         Set<String> informativeTargets, Map<String, List<String>> eRegulons,
                         float[] eRegulonActivity, List<String> activityGenes, SparseMatrix activity,
                         int nMetacells,
                         Map<String, Long> timingsMs, List<Edge> stateEdges, int[] stateEdgeStates,
                         int[] cellStates,
                         double stateShare, double rnaPearson, int[][] smoothNeighbours) {
    /** Upstream bases of a gene's region for its activity ({@link GeneActivity}). */
    static final long ACTIVITY_UPSTREAM = 2_000;

    /**
     * Gene activity of the cells {@code rows} (row i = cell rows[i] of {@link #data}; for −1 a row of NaN, a cell
     * without a profile) as CSR: {@link #activity}'s rows in another order.
     */
    public SparseMatrix geneActivity(int[] rows) {
        return GeneActivity.selectRows(activity, rows);
    }

    public long significantLinks() {
        return links.stream().filter(PeakGeneLink::significant).count();
    }
}
