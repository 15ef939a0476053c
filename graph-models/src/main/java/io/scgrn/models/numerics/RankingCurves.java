package io.scgrn.models.numerics;

import java.util.Arrays;

/**
 * Areas under the ranking curves of scored, labelled items as scikit-learn defines them: thresholds at distinct
 * scores, so tied items enter the curve together.
 *
 * <ul>
 *   <li>Average precision: Σ (Rₖ − Rₖ₋₁)·Pₖ over the thresholds ({@code average_precision_score}).</li>
 *   <li>AUROC: trapezoidal over the thresholds ({@code roc_auc_score}), which equals the Mann–Whitney statistic
 *   with ties counted one half.</li>
 * </ul>
 */
public final class RankingCurves {
    private RankingCurves() {
    }

    /**
     * @param averagePrecision AP, NaN without positives
     * @param auroc            AUROC, NaN unless both classes occur
     */
    public record Areas(double averagePrecision, double auroc) {
    }

    /**
     * Both areas in one pass over items given in descending score order.
     *
     * @param order    item indices by descending score
     * @param score    scores by item index
     * @param positive labels by item index
     */
    public static Areas areas(Integer[] order, double[] score, boolean[] positive) {
        int n = order.length;
        long nPos = 0;
        for (Integer i : order) {
            nPos += positive[i] ? 1 : 0;
        }
        long nNeg = n - nPos;
        double ap = 0;
        double auroc = 0;
        long tp = 0;
        long fp = 0;
        double prevRecall = 0;
        double prevTpr = 0;
        double prevFpr = 0;
        for (int i = 0; i < n; i++) {
            if (positive[order[i]]) {
                tp++;
            } else {
                fp++;
            }
            if (i == n - 1 || score[order[i + 1]] != score[order[i]]) {
                double recall = nPos == 0 ? 0 : (double) tp / nPos;
                double precision = (double) tp / (tp + fp);
                ap += (recall - prevRecall) * precision;
                prevRecall = recall;
                double fpr = nNeg == 0 ? 0 : (double) fp / nNeg;
                auroc += (fpr - prevFpr) * (recall + prevTpr) / 2;
                prevTpr = recall;
                prevFpr = fpr;
            }
        }
        return new Areas(nPos == 0 ? Double.NaN : ap, nPos == 0 || nNeg == 0 ? Double.NaN : auroc);
    }

    /** Both areas of parallel score and label arrays (any order; the arrays are not modified). */
    public static Areas areas(double[] score, boolean[] positive) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        return areas(order, score, positive);
    }
}
