/**
 * Calibrated edge confidence: per-edge q-values (estimated false-discovery rates) for any GRN model, from a null
 * built out of the data itself (cell-permuted decoy genes scored in the same model run).
 */
package io.scgrn.models.calibration;
