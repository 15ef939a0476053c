/**
 * Numerics shared by preparation, models, ATAC linking, evaluation, simulation and the server: dense linear
 * algebra (EJML), truncated SVD, correlation by matrix products, ranks, medians, ranking curves (AUROC, average
 * precision), distributions and samplers (Commons Statistics / Commons RNG). Depends on nothing else in scgrn.
 */
package io.scgrn.models.numerics;
