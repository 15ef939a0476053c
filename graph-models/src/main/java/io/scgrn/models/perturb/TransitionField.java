package io.scgrn.models.perturb;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Predicted expression shifts → cell-state transitions on a 2-D embedding (velocyto / CellOracle): for cell i and
 * each of its k embedding neighbours j, {@code ρ_ij = corr(δ_i, x_j − x_i)} over the genes that shift; transition
 * probabilities {@code P_ij = exp(ρ_ij/σ) / Σ_j exp(ρ_ij/σ)}; the cell's vector
 * {@code v_i = Σ_j (P_ij − 1/k) · (e_j − e_i)/|e_j − e_i|} (the uniform-transition baseline removed). Memory is
 * O(n·k): only the neighbour lists are kept, never an n × n matrix.
 *
 * <p>Grid arrows average the cell vectors with a Gaussian kernel (bandwidth {@code smooth} × grid step) at the
 * points of a regular grid over the embedding; grid points with kernel mass below 1 % of the largest are dropped
 * (no cells there).
 */
public final class TransitionField {
    private TransitionField() {
    }

    /**
     * The per-cell result.
     *
     * @param vectors n × 2 transition vectors (row-major)
     * @param flow    groups × groups: mean over the cells of row-group of Σ_j (P_ij − 1/k) over neighbours j in
     *                column-group — where the group's cells move to (positive) or away from (negative)
     */
    public record Cells(double[] vectors, double[][] flow) {
    }

    /** One grid arrow: position, direction and the kernel mass (about the number of cells nearby). */
    public record Arrow(double x, double y, double dx, double dy, double mass) {
    }

    /**
     * @param x        cells × genes expression (row-major)
     * @param delta    cells × genes predicted shift (row-major)
     * @param nGenes   genes per row
     * @param genes    gene columns to correlate over (those that shift)
     * @param emb      n × 2 embedding
     * @param knn      n × k neighbours from {@link Knn2d}
     * @param k        neighbours per cell
     * @param sigma    temperature of the softmax (CellOracle: 0.05)
     * @param groupOf  group of each cell (-1: none)
     * @param nGroups  number of groups
     */
    public static Cells cellVectors(float[] x, float[] delta, int nGenes, int[] genes, double[] emb, int[] knn, int k,
                                    double sigma, int[] groupOf, int nGroups) {
        int n = emb.length / 2;
        double[] vec = new double[2 * n];
        double[][] flow = new double[nGroups][nGroups];
        int[] groupCells = new int[nGroups];
        int m = genes.length;
        if (k <= 0 || m < 2) {
            return new Cells(vec, flow);
        }
        int chunks = (n + 511) / 512;
        List<double[][]> partial = new ArrayList<>();
        IntStream.range(0, chunks).parallel().forEach(chunk -> {
            double[][] local = new double[nGroups][nGroups];
            double[] d = new double[m];
            double[] diff = new double[m];
            double[] rho = new double[k];
            double[] p = new double[k];
            for (int i = chunk * 512; i < Math.min(n, chunk * 512 + 512); i++) {
                int off = i * nGenes;
                double dm = 0;
                for (int a = 0; a < m; a++) {
                    d[a] = delta[off + genes[a]];
                    dm += d[a];
                }
                dm /= m;
                double dss = 0;
                for (int a = 0; a < m; a++) {
                    d[a] -= dm;
                    dss += d[a] * d[a];
                }
                if (dss <= 1e-20) {
                    continue; // the cell does not shift: no transition
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < k; t++) {
                    int j = knn[i * k + t];
                    int offJ = j * nGenes;
                    double mean = 0;
                    for (int a = 0; a < m; a++) {
                        diff[a] = x[offJ + genes[a]] - x[off + genes[a]];
                        mean += diff[a];
                    }
                    mean /= m;
                    double cov = 0;
                    double ss = 0;
                    for (int a = 0; a < m; a++) {
                        double u = diff[a] - mean;
                        cov += u * d[a];
                        ss += u * u;
                    }
                    rho[t] = ss <= 1e-20 ? 0 : cov / Math.sqrt(ss * dss);
                    max = Math.max(max, rho[t]);
                }
                double z = 0;
                for (int t = 0; t < k; t++) {
                    p[t] = Math.exp((rho[t] - max) / sigma);
                    z += p[t];
                }
                double vx = 0;
                double vy = 0;
                int gi = groupOf[i];
                for (int t = 0; t < k; t++) {
                    int j = knn[i * k + t];
                    double w = p[t] / z - 1.0 / k;
                    double ex = emb[2 * j] - emb[2 * i];
                    double ey = emb[2 * j + 1] - emb[2 * i + 1];
                    double norm = Math.hypot(ex, ey);
                    if (norm > 0) {
                        vx += w * ex / norm;
                        vy += w * ey / norm;
                    }
                    int gj = groupOf[j];
                    if (gi >= 0 && gj >= 0) {
                        local[gi][gj] += w;
                    }
                }
                vec[2 * i] = vx;
                vec[2 * i + 1] = vy;
            }
            synchronized (partial) {
                partial.add(local);
            }
        });
        for (double[][] l : partial) {
            for (int a = 0; a < nGroups; a++) {
                for (int b = 0; b < nGroups; b++) {
                    flow[a][b] += l[a][b];
                }
            }
        }
        for (int g : groupOf) {
            if (g >= 0) {
                groupCells[g]++;
            }
        }
        for (int a = 0; a < nGroups; a++) {
            for (int b = 0; b < nGroups; b++) {
                flow[a][b] = groupCells[a] == 0 ? 0 : flow[a][b] / groupCells[a];
            }
        }
        return new Cells(vec, flow);
    }

    /**
     * Grid-averaged arrows.
     *
     * @param emb     n × 2 embedding
     * @param vectors n × 2 cell vectors
     * @param gridN   grid points per axis
     * @param smooth  kernel bandwidth in grid steps (velocyto: 0.5; we use 0.8 for smoother fields)
     */
    public static List<Arrow> grid(double[] emb, double[] vectors, int gridN, double smooth) {
        int n = emb.length / 2;
        List<Arrow> out = new ArrayList<>();
        if (n == 0 || gridN < 2) {
            return out;
        }
        double[] box = Knn2d.bounds(emb);
        double minX = box[0];
        double minY = box[1];
        double maxX = box[2];
        double maxY = box[3];
        double sx = Math.max((maxX - minX) / (gridN - 1), 1e-12);
        double sy = Math.max((maxY - minY) / (gridN - 1), 1e-12);
        double hx = smooth * sx;
        double hy = smooth * sy;
        int reach = (int) Math.ceil(3 * smooth);
        double[] mass = new double[gridN * gridN];
        double[] ax = new double[gridN * gridN];
        double[] ay = new double[gridN * gridN];
        for (int i = 0; i < n; i++) {
            double px = emb[2 * i];
            double py = emb[2 * i + 1];
            int cx = (int) Math.round((px - minX) / sx);
            int cy = (int) Math.round((py - minY) / sy);
            for (int gy = Math.max(0, cy - reach); gy <= Math.min(gridN - 1, cy + reach); gy++) {
                double dy = (minY + gy * sy - py) / hy;
                for (int gx = Math.max(0, cx - reach); gx <= Math.min(gridN - 1, cx + reach); gx++) {
                    double dx = (minX + gx * sx - px) / hx;
                    double w = Math.exp(-0.5 * (dx * dx + dy * dy));
                    int g = gy * gridN + gx;
                    mass[g] += w;
                    ax[g] += w * vectors[2 * i];
                    ay[g] += w * vectors[2 * i + 1];
                }
            }
        }
        double maxMass = 0;
        for (double v : mass) {
            maxMass = Math.max(maxMass, v);
        }
        for (int gy = 0; gy < gridN; gy++) {
            for (int gx = 0; gx < gridN; gx++) {
                int g = gy * gridN + gx;
                if (mass[g] >= 0.01 * maxMass && mass[g] > 0) {
                    out.add(new Arrow(minX + gx * sx, minY + gy * sy, ax[g] / mass[g], ay[g] / mass[g], mass[g]));
                }
            }
        }
        return out;
    }
}
