package io.scgrn.models.perturb;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Per-gene weights on a perturbation's predicted shift from the network's own evidence that the gene is a target of
 * a perturbed gene: {@code w_g = rank_g^−γ}, rank_g the best place of a perturbed gene among g's candidate
 * regulators (1 = its best-scoring edge; absent, or beyond the candidates: {@code maxRegulators + 1}); the
 * perturbed genes themselves keep weight 1.
 *
 * <p>Why (docs/benchmarks.md, "In-silico perturbation: round 9"): most of the error of the default prediction is not
 * on the knocked-out TF's targets — those are ranked nearly as well as with the true edges — but on the genes it
 * does not reach at all. Every candidate TF enters every gene's fit, so a gene the TF does not regulate gets a small
 * shift through co-varying TFs, and over the many unaffected genes these shifts cost more correlation than any
 * other class of genes. Neither the fit nor the propagation can tell them apart (the same co-variation is all they
 * see); the network's ranking of the TF among the gene's regulators is weak evidence (AUROC ≈ 0.6 for "the gene
 * responds at all"), but independent of the fit's, and used softly — a gene whose regulators the network ranks the
 * TF last keeps 30^−γ of its shift, not 0 — it shrinks the spurious shifts more than the real ones. Unlike cutting
 * or penalising the fit's candidates (rounds 3, 5b, 6, 8, all lost), the weight acts on the final shift, after the
 * propagation, so it also damps shifts that reach a gene through other TFs.
 */
final class TargetWeights {
    private TargetWeights() {
    }

    /**
     * The weights.
     *
     * @param regs          per gene its candidate regulators, best first ({@link InSilicoPerturbation#regulators})
     * @param perturbed     perturbed gene indices
     * @param maxRegulators the candidates' cap (a perturbed gene not among a gene's candidates ranks one beyond it)
     * @param gamma         exponent γ ≥ 0 (0: every weight 1)
     * @return per gene its weight in (0, 1]
     */
    static double[] weights(int[][] regs, int[] perturbed, int maxRegulators, double gamma) {
        int nG = regs.length;
        double[] w = new double[nG];
        int absent = maxRegulators + 1;
        for (int g = 0; g < nG; g++) {
            int rank = absent;
            for (int i = 0; i < Math.min(regs[g].length, maxRegulators); i++) {
                for (int p : perturbed) {
                    if (regs[g][i] == p) {
                        rank = Math.min(rank, i + 1);
                    }
                }
            }
            w[g] = Math.pow(rank, -gamma);
        }
        for (int p : perturbed) {
            w[p] = 1;
        }
        return w;
    }

    /**
     * Weights of the network's reach (docs/benchmarks.md, "In-silico perturbation: round 15, sparse response"): 1 for
     * a gene with a perturbed gene among its {@code top} best candidate regulators (and for the perturbed genes),
     * {@code shrink} for every other gene. A step-shaped variant of {@link #weights}: the rank weight's slope spread
     * over all ranks, here concentrated at one rank.
     *
     * @param regs      per gene its candidate regulators, best first ({@link InSilicoPerturbation#regulators})
     * @param perturbed perturbed gene indices
     * @param top       how many of a gene's best regulators count as reaching it (≥ 1)
     * @param shrink    the share of its shift a gene outside the reach keeps, in [0, 1]
     * @return per gene its weight, 1 or {@code shrink}
     */
    static double[] reach(int[][] regs, int[] perturbed, int top, double shrink) {
        int nG = regs.length;
        double[] w = new double[nG];
        for (int g = 0; g < nG; g++) {
            w[g] = shrink;
            for (int i = 0; i < Math.min(regs[g].length, top); i++) {
                for (int p : perturbed) {
                    if (regs[g][i] == p) {
                        w[g] = 1;
                    }
                }
            }
        }
        for (int p : perturbed) {
            w[p] = 1;
        }
        return w;
    }

    /**
     * Multiplies every cell's shift by its gene's weight, in place (scaling towards 0 keeps {@code x + δ ≥ 0}).
     *
     * @param delta cells × genes shift, row-major
     * @param w     per gene its weight
     */
    static void apply(float[] delta, double[] w) {
        int nG = w.length;
        if (Arrays.stream(w).allMatch(v -> v == 1)) {
            return;
        }
        IntStream.range(0, delta.length / nG).parallel().forEach(c -> {
            for (int g = 0, i = c * nG; g < nG; g++, i++) {
                delta[i] = (float) (delta[i] * w[g]);
            }
        });
    }
}
