package io.scgrn.models.atac;

/**
 * A candidate cis link between a peak and a gene within the linking window.
 *
 * @param peak        peak index
 * @param gene        gene index
 * @param distance    bases from the peak to the gene's TSS region (0 when overlapping)
 * @param r           Pearson correlation of accessibility and expression over metacells
 * @param z           (r − mean of background) / sd of background, background = accessibility-matched peaks on other
 *                    chromosomes
 * @param p           one-sided normal p-value of z in the direction of r
 * @param significant {@code p < pThreshold} and {@code |r| >= minCorr}
 */
public record PeakGeneLink(int peak, int gene, long distance, double r, double z, double p, boolean significant) {
}
