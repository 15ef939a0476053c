/**
 * Scoring a predicted network against a ground truth with BEELINE's metrics (EPR, AUPRC ratio, AUROC), and the
 * readers for truth ({@code Gene1,Gene2} CSV) and prediction ({@code tf target score} TSV) files.
 */
package io.scgrn.models.eval;
