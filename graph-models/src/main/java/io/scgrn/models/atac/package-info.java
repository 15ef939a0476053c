/**
 * Multiome (scRNA + scATAC) analysis: peak and gene coordinates ({@link io.scgrn.models.atac.GenomicInterval},
 * {@link io.scgrn.models.atac.GeneAnnotations}), pairing of modalities by barcode
 * ({@link io.scgrn.models.atac.MultiomeInputs}), TF-IDF/LSI and a randomised SVD, joint-embedding kNN metacells,
 * peak–gene links against a trans background, TF–peak evidence from motifs or correlation, TF → peak → gene
 * triplets and eRegulons ({@link io.scgrn.models.atac.AtacAnalysis}), and the prior-weighted wrapper of any RNA model
 * ({@link io.scgrn.models.atac.AtacInformedModel}).
 */
package io.scgrn.models.atac;
