/**
 * Preparation of expression data for the models: layer choice, raw-count detection, normalisation + log1p,
 * highly-variable-gene selection that keeps the TFs, metacells, cell groups; and the bundled TF lists.
 */
package io.scgrn.models.prep;
