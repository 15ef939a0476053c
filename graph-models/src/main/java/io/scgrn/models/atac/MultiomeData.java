package io.scgrn.models.atac;

import io.scgrn.models.numerics.CellHash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Paired expression and accessibility over the same cells, ready for linking.
 *
 * @param cells        shared cell barcodes
 * @param genes        RNA gene names
 * @param rna          cells × genes log-normalised expression, row-major; empty once released
 *                     ({@link #withoutMatrices})
 * @param peaks        peak intervals, aligned with the ATAC columns
 * @param peakNames    peak names as in the ATAC var index
 * @param atac         binarised accessibility, cells × peaks; without entries once released
 *                     ({@link #withoutMatrices})
 * @param loci         gene name → position, for the genes whose position is known
 * @param cellLabels   obs column used for reporting (may be empty)
 * @param rnaOnly      cells dropped because they had no ATAC profile
 * @param atacOnly     cells dropped because they had no RNA profile
 */
public record MultiomeData(List<String> cells, List<String> genes, float[] rna, List<GenomicInterval> peaks,
                           List<String> peakNames, PeakMatrix atac, Map<String, GeneLocus> loci,
                           List<String> cellLabels, int rnaOnly, int atacOnly) {
    public MultiomeData {
        cells = List.copyOf(cells);
        genes = List.copyOf(genes);
        peaks = List.copyOf(peaks);
        peakNames = List.copyOf(peakNames);
        loci = Map.copyOf(loci);
        if ((long) cells.size() * genes.size() != rna.length && rna.length != 0) {
            throw new IllegalArgumentException("rna has " + rna.length + " values for " + cells.size() + " x "
                    + genes.size());
        }
        if (atac.nCells() != cells.size() || atac.nPeaks() != peaks.size()) {
            throw new IllegalArgumentException("atac is " + atac.nCells() + " x " + atac.nPeaks());
        }
    }

    /**
     * The same cells, genes and peaks without the expression values and without the open peaks of any cell (an
     * accessibility matrix with no entries): what the ATAC step's result keeps once it has computed everything it
     * reports (gene activity included), so that neither matrix lives through the RNA model and the writing.
     */
    public MultiomeData withoutMatrices() {
        return new MultiomeData(cells, genes, new float[0], peaks, peakNames,
                new PeakMatrix(atac.nCells(), atac.nPeaks(), new int[atac.nCells() + 1], new int[0]), loci,
                cellLabels, rnaOnly, atacOnly);
    }

    public int nCells() {
        return cells.size();
    }

    public int nGenes() {
        return genes.size();
    }

    public int nPeaks() {
        return peaks.size();
    }

    /**
     * The same data with the genes sorted by name and the peaks by position (contig name, start, end, then peak
     * name), so that a file whose genes or peaks are stored in another order gives the same metacells, links,
     * background samples and network: those draw and sum features by position. Genes with the same name keep their
     * order. Cells keep theirs.
     *
     * @return this when the features are already in that order
     */
    public MultiomeData inCanonicalFeatureOrder() {
        return inCanonicalFeatureOrder(false);
    }

    /**
     * {@link #inCanonicalFeatureOrder()} that renumbers this instance's peak indices in place and hands them (and its
     * expression) to the result: only for an instance that nothing else holds, as {@link MultiomeInputs#pair} builds.
     */
    MultiomeData inCanonicalFeatureOrderInPlace() {
        return inCanonicalFeatureOrder(true);
    }

    private MultiomeData inCanonicalFeatureOrder(boolean inPlace) {
        int n = nCells();
        int g = nGenes();
        Integer[] geneOrder = new Integer[g];
        for (int j = 0; j < g; j++) {
            geneOrder[j] = j;
        }
        Arrays.sort(geneOrder, Comparator.comparing(genes::get));
        Integer[] peakOrder = new Integer[nPeaks()];
        for (int p = 0; p < peakOrder.length; p++) {
            peakOrder[p] = p;
        }
        Arrays.sort(peakOrder, Comparator.comparing((Integer p) -> peaks.get(p).chrom())
                .thenComparingLong(p -> peaks.get(p).start()).thenComparingLong(p -> peaks.get(p).end())
                .thenComparing(peakNames::get));
        if (isIdentity(geneOrder) && isIdentity(peakOrder)) {
            return this;
        }
        // genes already in order (MultiomeInputs.pair writes them so): the expression is shared, not copied
        float[] r = rna;
        if (!isIdentity(geneOrder)) {
            r = new float[rna.length];
            for (int c = 0; c < n; c++) {
                for (int j = 0; j < g; j++) {
                    r[c * g + j] = rna[c * g + geneOrder[j]];
                }
            }
        }
        int[] newPeak = new int[peakOrder.length];
        List<GenomicInterval> p2 = new ArrayList<>(peakOrder.length);
        List<String> n2 = new ArrayList<>(peakOrder.length);
        for (int i = 0; i < peakOrder.length; i++) {
            newPeak[peakOrder[i]] = i;
            p2.add(peaks.get(peakOrder[i]));
            n2.add(peakNames.get(peakOrder[i]));
        }
        int[] idx = inPlace ? atac.indices() : new int[atac.indices().length];
        for (int c = 0; c < n; c++) {
            int from = atac.indptr()[c];
            int to = atac.indptr()[c + 1];
            for (int k = from; k < to; k++) {
                idx[k] = newPeak[atac.indices()[k]];
            }
            Arrays.sort(idx, from, to);
        }
        List<String> g2 = Arrays.stream(geneOrder).map(genes::get).toList();
        return new MultiomeData(cells, g2, r, p2, n2, new PeakMatrix(n, nPeaks(),
                inPlace ? atac.indptr() : atac.indptr().clone(), idx), loci, cellLabels, rnaOnly, atacOnly);
    }

    /**
     * Row i := row order[i] of the rows × g matrix {@code x}, in place, following the permutation's cycles with one
     * row of scratch.
     *
     * @return x
     */
    static float[] permuteRows(float[] x, Integer[] order, int g) {
        int n = order.length;
        boolean[] done = new boolean[n];
        float[] tmp = new float[g];
        for (int start = 0; start < n; start++) {
            if (done[start] || order[start] == start) {
                done[start] = true;
                continue;
            }
            System.arraycopy(x, start * g, tmp, 0, g);
            int i = start;
            while (true) {
                done[i] = true;
                int from = order[i];
                if (from == start) {
                    System.arraycopy(tmp, 0, x, i * g, g);
                    break;
                }
                System.arraycopy(x, from * g, x, i * g, g);
                i = from;
            }
        }
        return x;
    }

    private static boolean isIdentity(Integer[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * The same data with the cells sorted by an order-free hash of their own values (RNA entries keyed by gene name,
     * open peaks by peak name; {@link CellHash}), so that a file whose cells are stored in another order gives the
     * same links, triplets and network: the metacells, cell states and permutation nulls draw cells by position.
     * Cells with equal keys (identical profiles) keep their order. Genes and peaks keep theirs.
     *
     * @return this when the cells are already in that order
     */
    public MultiomeData inCanonicalCellOrder() {
        return inCanonicalCellOrder(false);
    }

    /**
     * {@link #inCanonicalCellOrder()} that reorders this instance's expression array in place and hands it to the
     * result (one cells × genes array instead of two): only for an instance that nothing else holds, as
     * {@link MultiomeInputs#pair} builds.
     */
    MultiomeData inCanonicalCellOrderInPlace() {
        return inCanonicalCellOrder(true);
    }

    private MultiomeData inCanonicalCellOrder(boolean inPlace) {
        int n = nCells();
        int g = nGenes();
        long[] geneKey = new long[g];
        for (int j = 0; j < g; j++) {
            geneKey[j] = CellHash.nameKey(genes.get(j));
        }
        long[] peakKey = new long[nPeaks()];
        for (int p = 0; p < peakKey.length; p++) {
            peakKey[p] = CellHash.nameKey("peak:" + peakNames.get(p));
        }
        long[] key = new long[n];
        for (int c = 0; c < n; c++) {
            long h = 0;
            for (int j = 0; j < g; j++) {
                float v = rna[c * g + j];
                if (v != 0f) {
                    h += CellHash.entry(geneKey[j], v);
                }
            }
            for (int k = atac.indptr()[c]; k < atac.indptr()[c + 1]; k++) {
                h += CellHash.entry(peakKey[atac.indices()[k]], 1.0);
            }
            key[c] = h;
        }
        Integer[] order = new Integer[n];
        boolean sorted = true;
        for (int c = 0; c < n; c++) {
            order[c] = c;
            sorted &= c == 0 || key[c - 1] <= key[c];
        }
        if (sorted) {
            return this;
        }
        Arrays.sort(order, (a, b) -> Long.compare(key[a], key[b]));
        float[] r = inPlace ? permuteRows(rna, order, g) : new float[rna.length];
        int[] ptr = new int[n + 1];
        int[] idx = new int[atac.indices().length];
        List<String> c2 = new ArrayList<>(n);
        List<String> labels = cellLabels.size() == n ? new ArrayList<>(n) : cellLabels;
        for (int i = 0; i < n; i++) {
            int c = order[i];
            if (!inPlace) {
                System.arraycopy(rna, c * g, r, i * g, g);
            }
            int from = atac.indptr()[c];
            int len = atac.indptr()[c + 1] - from;
            System.arraycopy(atac.indices(), from, idx, ptr[i], len);
            ptr[i + 1] = ptr[i] + len;
            c2.add(cells.get(c));
            if (labels != cellLabels) {
                labels.add(cellLabels.get(c));
            }
        }
        return new MultiomeData(c2, genes, r, peaks, peakNames, new PeakMatrix(n, nPeaks(), ptr, idx), loci, labels,
                rnaOnly, atacOnly);
    }
}
