package io.scgrn.models.eval;

/**
 * BEELINE scores of one prediction against one truth.
 *
 * @param epr            early precision ratio: {@link #earlyPrecision} / {@link #density}
 * @param auprcRatio     average precision (step-wise, as scikit-learn's {@code average_precision_score}) /
 *                       density
 * @param auroc          area under the ROC curve (ties count one half)
 * @param auprc          average precision
 * @param earlyPrecision precision of the top {@code nTrue} candidates
 * @param density        nTrue / nCandidates, the precision of a random ranking
 * @param nTrue          true edges among the candidates
 * @param nCandidates    candidate pairs (truth sources × truth genes, self-loops excluded)
 */
public record Scores(double epr, double auprcRatio, double auroc, double auprc, double earlyPrecision,
                     double density, int nTrue, long nCandidates) {
}
