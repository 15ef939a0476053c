/**
 * Numerics shared by preparation, models, ATAC linking, evaluation and the server: truncated SVD (EJML QR and
 * SVD), correlation by matrix products (PyTorch through DJL), ranks, medians, ranking curves (AUROC, average
 * precision) and distribution tails (Commons Statistics). Depends on nothing else in scgrn.
 */
package io.scgrn.models.numerics;
