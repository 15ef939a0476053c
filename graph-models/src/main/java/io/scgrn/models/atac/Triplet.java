package io.scgrn.models.atac;

/**
 * One TF → peak → gene regulatory hypothesis (SCENIC+'s eRegulon unit) with its three pieces of evidence.
 *
 * @param tf          regulator
 * @param peak        peak name
 * @param gene        target gene
 * @param tfPeak      TF binding evidence for the peak, 0..1 (motif score, or TF expression–accessibility
 *                    correlation when no motifs are given)
 * @param tfPeakSource "motif" or "correlation"
 * @param peakGene    peak–gene correlation over metacells
 * @param peakGeneZ   its z-score against the background
 * @param tfGene      TF–gene expression correlation over metacells
 * @param distance    peak to TSS distance in bases
 * @param score       tfPeak · peakGene · |tfGene|, the triplet's combined weight
 */
public record Triplet(String tf, String peak, String gene, double tfPeak, String tfPeakSource, double peakGene,
                      double peakGeneZ, double tfGene, long distance, double score) {
}
