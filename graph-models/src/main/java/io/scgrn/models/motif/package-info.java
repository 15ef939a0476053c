/**
 * Motif scanning of ATAC peaks: motif databases (JASPAR and MEME formats, bundled JASPAR 2024 CORE vertebrates),
 * genome FASTA access (htsjdk), log-odds scanning with p-value thresholds computed exactly from each matrix, the
 * motif → TF name mapping and a scan cache.
 */
package io.scgrn.models.motif;
