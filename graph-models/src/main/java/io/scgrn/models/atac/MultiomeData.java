package io.scgrn.models.atac;

import java.util.List;
import java.util.Map;

/**
 * Paired expression and accessibility over the same cells, ready for linking.
 *
 * @param cells        shared cell barcodes, in RNA order
 * @param genes        RNA gene names
 * @param rna          cells × genes log-normalised expression, row-major
 * @param peaks        peak intervals, aligned with the ATAC columns
 * @param peakNames    peak names as in the ATAC var index
 * @param atac         binarised accessibility, cells × peaks
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
        if ((long) cells.size() * genes.size() != rna.length) {
            throw new IllegalArgumentException("rna has " + rna.length + " values for " + cells.size() + " x "
                    + genes.size());
        }
        if (atac.nCells() != cells.size() || atac.nPeaks() != peaks.size()) {
            throw new IllegalArgumentException("atac is " + atac.nCells() + " x " + atac.nPeaks());
        }
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
}
