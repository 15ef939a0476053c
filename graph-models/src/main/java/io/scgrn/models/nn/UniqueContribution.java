package io.scgrn.models.nn;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * PIDC's proportional unique contribution (Chan, Stumpf and Babtie, Cell Systems 2017) of every TF with every gene:
 * how much of the information a pair shares is not also carried, redundantly, by each third gene.
 *
 * <p>For a target Y with sources X and Z, the Williams–Beer redundancy is
 * {@code Red_Y(X, Z) = Σ_b p(Y=b) · min(I_spec(Y=b; X), I_spec(Y=b; Z))} with the specific information
 * {@code I_spec(Y=b; X) = Σ_a p(X=a | Y=b) · ln(p(Y=b | X=a) / p(Y=b))}, and X's unique information about Y beside
 * Z is {@code I(X;Y) − Red_Y(X, Z)}. The contribution of the pair sums both directions over every other gene Z:
 * <pre>
 *   PUC(X, Y) = Σ_{Z ≠ X, Y} [ (I(X;Y) − Red_Y(X, Z)) + (I(X;Y) − Red_X(Y, Z)) ] / I(X;Y)
 * </pre>
 * A pair whose shared information another gene also explains — two targets of one regulator, whose co-variation
 * their regulator carries as well — loses contribution for that gene; a direct regulator keeps most of its own.
 *
 * <p>Cost: the specific information needs the joint counts of every gene pair, {@code genes² × cells} (counted
 * outside each target's fullest bin, as {@link CrowdModel#mutualInformation}), and the sum over Z is done for all
 * TFs at once per target and bin by sorting the {@code genes} specific informations and reading prefix sums, so the
 * triple sum costs {@code genes × bins × (genes + TFs) × log genes}, not {@code TFs × genes²}.
 */
final class UniqueContribution {
    private UniqueContribution() {
    }

    /**
     * PUC of every TF → gene pair.
     *
     * @param b     [genes][cells] equal-frequency bin of every cell ({@link CrowdModel#bins})
     * @param bins  number of bins
     * @param tfIdx gene index of each TF
     * @return [nTf, genes] row-major; self-loops and pairs without shared information 0
     */
    static float[] of(byte[][] b, int bins, int[] tfIdx) {
        int g = b.length;
        int m = g == 0 ? 0 : b[0].length;
        int nt = tfIdx.length;
        int[][] marg = new int[g][bins];
        for (int j = 0; j < g; j++) {
            for (int c = 0; c < m; c++) {
                marg[j][b[j][c]]++;
            }
        }
        int[] tfOf = new int[g];
        Arrays.fill(tfOf, -1);
        for (int t = 0; t < nt; t++) {
            tfOf[tfIdx[t]] = t;
        }
        // red[t*g + y]: Σ_Z Red_Y(X_t, Z) (target y), then + Σ_Z Red_{X_t}(Y, Z) (target the TF); mi[t*g + y]: I
        double[] redY = new double[nt * g];
        double[] redX = new double[nt * g];
        double[] mi = new double[nt * g];
        // Targets in parallel: target y writes only column y of redY and mi, and row tfOf[y] of redX.
        IntStream.range(0, g).parallel().forEach(y -> {
            float[][] spec = specific(b, marg, y, bins, m);
            double[] py = new double[bins];
            for (int k = 0; k < bins; k++) {
                py[k] = (double) marg[y][k] / m;
            }
            float[] sorted = new float[g];
            double[] prefix = new double[g + 1];
            for (int k = 0; k < bins; k++) {
                if (marg[y][k] == 0) {
                    continue;
                }
                float[] s = spec[k];
                System.arraycopy(s, 0, sorted, 0, g);
                Arrays.sort(sorted);
                for (int z = 0; z < g; z++) {
                    prefix[z + 1] = prefix[z] + sorted[z];
                }
                // Σ_Z min(v, s_Z) = (sum of the s_Z below v) + v × (how many are not below)
                for (int t = 0; t < nt; t++) {
                    float v = s[tfIdx[t]];
                    int below = lowerBound(sorted, v);
                    redY[t * g + y] += py[k] * (prefix[below] + (double) v * (g - below));
                    mi[t * g + y] += py[k] * v;
                }
                int ty = tfOf[y];
                if (ty >= 0) {
                    // y is a TF: the same table read as target y = X, source every gene j
                    for (int j = 0; j < g; j++) {
                        float v = s[j];
                        int below = lowerBound(sorted, v);
                        redX[ty * g + j] += py[k] * (prefix[below] + (double) v * (g - below));
                    }
                }
            }
        });
        float[] out = new float[nt * g];
        for (int t = 0; t < nt; t++) {
            for (int y = 0; y < g; y++) {
                int q = t * g + y;
                double info = mi[q];
                if (y == tfIdx[t] || !(info > 1e-12)) {
                    continue;
                }
                // Z = X and Z = Y are in both sums and each gives I(X;Y) there (a gene's specific information about
                // itself bounds any other's): take them out
                double red = (redY[q] - 2 * info) + (redX[q] - 2 * info);
                out[q] = (float) Math.max(0, 2.0 * (g - 2) - red / info);
            }
        }
        return out;
    }

    /**
     * Specific information of target {@code y}'s bins about every gene: {@code [bin][gene]} = I_spec(Y=bin; gene);
     * the target's own column is its self-information {@code −ln p(Y=bin)}. Joint counts are taken over the cells
     * outside y's fullest bin and that bin's row completed from the other gene's marginal (the same integers as
     * counting every cell).
     */
    private static float[][] specific(byte[][] b, int[][] marg, int y, int bins, int m) {
        int g = b.length;
        float[][] spec = new float[bins][g];
        int[] my = marg[y];
        int full = 0;
        for (int a = 1; a < bins; a++) {
            if (my[a] > my[full]) {
                full = a;
            }
        }
        byte[] by = b[y];
        int[] outside = new int[m - my[full]];
        int[] rowOf = new int[outside.length];
        for (int c = 0, k = 0; c < m; c++) {
            if (by[c] != full) {
                outside[k] = c;
                rowOf[k++] = by[c] * bins;
            }
        }
        int[] joint = new int[bins * bins];
        for (int z = 0; z < g; z++) {
            if (z == y) {
                for (int k = 0; k < bins; k++) {
                    spec[k][z] = my[k] == 0 ? 0 : (float) -Math.log((double) my[k] / m);
                }
                continue;
            }
            Arrays.fill(joint, 0);
            byte[] bz = b[z];
            for (int k = 0; k < outside.length; k++) {
                joint[rowOf[k] + bz[outside[k]]]++;
            }
            int[] mz = marg[z];
            for (int c = 0; c < bins; c++) {
                int rest = 0;
                for (int a = 0; a < bins; a++) {
                    rest += joint[a * bins + c];
                }
                joint[full * bins + c] = mz[c] - rest;
            }
            for (int k = 0; k < bins; k++) {
                if (my[k] == 0) {
                    continue;
                }
                // I_spec(Y=k; Z) = Σ_c p(c | k) ln(p(k | c) / p(k)) = Σ_c n_kc / n_k · ln(n_kc · m / (n_k · n_c))
                double s = 0;
                for (int c = 0; c < bins; c++) {
                    int n = joint[k * bins + c];
                    if (n > 0) {
                        s += (double) n / my[k] * Math.log((double) n * m / ((double) my[k] * mz[c]));
                    }
                }
                spec[k][z] = (float) Math.max(0, s);
            }
        }
        return spec;
    }

    /** First index of {@code a} (sorted ascending) whose value is not below {@code v}. */
    private static int lowerBound(float[] a, float v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
