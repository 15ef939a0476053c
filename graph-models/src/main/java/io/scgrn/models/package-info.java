/**
 * Gene regulatory network inference: preparation of expression data, models (sem, gnn and baselines),
 * evaluation with BEELINE's metrics, ATAC linking and simulation. Nothing here knows about the CLI or the server.
 */
package io.scgrn.models;
