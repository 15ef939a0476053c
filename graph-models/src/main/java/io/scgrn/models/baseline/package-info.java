/**
 * Baseline GRN models: |Pearson r|, |Spearman ρ| and a GRNBoost2-equivalent gradient-boosting model. They set the
 * floor the learned models must beat on every benchmark set.
 */
package io.scgrn.models.baseline;
