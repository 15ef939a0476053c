/**
 * Network post-processing: regulons (a TF with its best targets), their per-cell activity by AUCell, and
 * differential networks between cell groups.
 */
package io.scgrn.models.regulon;
