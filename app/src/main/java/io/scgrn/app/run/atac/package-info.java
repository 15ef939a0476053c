/**
 * The multiome (scATAC + scRNA) step of the inference pipeline: finds the accessibility data, runs
 * {@link io.scgrn.models.atac.AtacAnalysis}, wraps the model in {@link io.scgrn.models.atac.AtacInformedModel} and
 * writes triplets, peak–gene links and per-cell activities.
 */
package io.scgrn.app.run.atac;
