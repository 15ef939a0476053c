package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

class TfPartialCorrelationTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    /** Correlation matrix of random correlated data: [g, g]. */
    private static float[] correlation(int n, int g, long seed) {
        return correlation(n, g, seed, 2, -0.5, 0.6);
    }

    /**
     * Correlation matrix [g, g] of n cells of random data: a common factor on every gene (weight 1 on every
     * {@code period}-th gene, {@code anti} on the others) and an autoregressive chain of weight {@code chain}.
     */
    static float[] correlation(int n, int g, long seed, int period, double anti, double chain) {
        Random rnd = new Random(seed);
        double[][] x = new double[n][g];
        for (int c = 0; c < n; c++) {
            double common = rnd.nextGaussian();
            for (int j = 0; j < g; j++) {
                x[c][j] = rnd.nextGaussian() + (j % period == 0 ? common : anti * common)
                        + (j > 0 ? chain * x[c][j - 1] : 0);
            }
        }
        double[] mean = new double[g];
        double[] sd = new double[g];
        for (int j = 0; j < g; j++) {
            for (int c = 0; c < n; c++) {
                mean[j] += x[c][j] / n;
            }
            for (int c = 0; c < n; c++) {
                sd[j] += (x[c][j] - mean[j]) * (x[c][j] - mean[j]);
            }
            sd[j] = Math.sqrt(sd[j]);
        }
        float[] corr = new float[g * g];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                double s = 0;
                for (int c = 0; c < n; c++) {
                    s += (x[c][i] - mean[i]) * (x[c][j] - mean[j]);
                }
                corr[i * g + j] = (float) (s / (sd[i] * sd[j]));
            }
        }
        return corr;
    }

    /** Plain Gauss–Jordan inverse with partial pivoting (independent of the Cholesky under test). */
    private static double[][] gaussJordan(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                p = Math.abs(m[r][c]) > Math.abs(m[p][c]) ? r : p;
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            double d = m[c][c];
            for (int k = 0; k < 2 * n; k++) {
                m[c][k] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, out[i], 0, n);
        }
        return out;
    }

    @Test
    void schurComplementMatchesTheDirectInverseOfTfsPlusTarget() {
        int g = 9;
        int[] tfs = {5, 0, 2, 7};
        double shrink = 0.3;
        float[] corr = correlation(200, g, 3);
        float[] fast = TfPartialCorrelation.of(corr, g, tfs, shrink);
        for (int t = 0; t < tfs.length; t++) {
            for (int j = 0; j < g; j++) {
                // The conditioning set: all TFs, plus the target when it is not a TF.
                int target = j;
                List<Integer> idx = new ArrayList<>();
                for (int x : tfs) {
                    idx.add(x);
                }
                if (!idx.contains(target)) {
                    idx.add(target);
                }
                int m = idx.size();
                double[][] s = new double[m][m];
                for (int a = 0; a < m; a++) {
                    for (int b = 0; b < m; b++) {
                        s[a][b] = (1 - shrink) * corr[idx.get(a) * g + idx.get(b)] + (a == b ? shrink : 0);
                    }
                }
                double[][] p = gaussJordan(s);
                int a = idx.indexOf(tfs[t]);
                int b = idx.indexOf(target);
                double expected = a == b ? 0 : -p[a][b] / Math.sqrt(p[a][a] * p[b][b]);
                assertEquals(expected, fast[t * g + j], 1e-5, "TF " + tfs[t] + " target " + j);
            }
        }
    }

    @Test
    void choleskyInverseIsAnInverse() {
        int g = 6;
        float[] corr = correlation(100, g, 5);
        double[][] a = new double[g][g];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                a[i][j] = 0.9 * corr[i * g + j] + (i == j ? 0.1 : 0);
            }
        }
        double[][] inv = TfPartialCorrelation.inverse(a);
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                double s = 0;
                for (int k = 0; k < g; k++) {
                    s += a[i][k] * inv[k][j];
                }
                assertEquals(i == j ? 1 : 0, s, 1e-9);
            }
        }
        assertThrows(ModelException.class, () -> TfPartialCorrelation.inverse(new double[][] {{1, 2}, {2, 1}}));
    }

    @Test
    void crowdConditionedOnTfsRecoversPlantedEdges() {
        int[][] edges = {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}, {0, 6, 70}, {1, 7, 70}};
        ExpressionMatrix data = Synthetic.linear(300, 40, 3, edges, 4);
        for (String shrink : List.of("0.95", "0.5", "auto")) {
            Network net = new CrowdModel().infer(data, List.of("g0", "g1", "g2"), new InferenceOptions(0, "cpu",
                    Map.of("condition", "tfs", "shrink", shrink), List.of()), Progress.NONE);
            Set<String> top = new HashSet<>();
            net.top(5).edges().forEach(e -> top.add(e.tf() + ">" + e.target()));
            assertEquals(Set.of("g0>g3", "g1>g4", "g2>g5", "g0>g6", "g1>g7"), top, "shrink " + shrink);
            assertEquals(-1, net.edges().stream().filter(e -> e.tf().equals("g1") && e.target().equals("g4"))
                    .findFirst().orElseThrow().sign());
        }
        ModelException e = assertThrows(ModelException.class, () -> new CrowdModel().checkParams(
                Map.of("condition", "genes")));
        assertEquals("condition", e.field());
    }
}
