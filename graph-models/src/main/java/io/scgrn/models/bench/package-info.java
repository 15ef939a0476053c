/**
 * The benchmark runner: models × datasets in the {@code benchmarks/} layout (data.h5ad, truth.csv, tfs.txt,
 * reference_grnboost2.tsv.gz), one table of BEELINE scores with group medians and the published numbers.
 */
package io.scgrn.models.bench;
