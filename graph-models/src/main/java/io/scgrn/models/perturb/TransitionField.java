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
     * <p>Expression and shift may be stored with different columns (the caller keeps smoothed expression only
     * for the genes that shift, but the shift for every gene, so that no second cells × genes copy is needed);
     * entry a of a cell's profile is {@code x[cell · xStride + xGenes[a]]} and {@code delta[cell · deltaStride +
     * deltaGenes[a]]}.
     *
     * @param x           cells × xStride expression (row-major)
     * @param xStride     values per row of {@code x}
     * @param xGenes      the columns of {@code x} to correlate over (those that shift)
     * @param delta       cells × deltaStride predicted shift (row-major)
     * @param deltaStride values per row of {@code delta}
     * @param deltaGenes  the same genes' columns of {@code delta} (as many as {@code xGenes})
     * @param emb      n × 2 embedding
     * @param knn      n × k neighbours from {@link Knn2d}
     * @param k        neighbours per cell
     * @param sigma    temperature of the softmax (CellOracle: 0.05)
     * @param groupOf  group of each cell (-1: none)
     * @param nGroups  number of groups
     */
    public static Cells cellVectors(float[] x, int xStride, int[] xGenes, float[] delta, int deltaStride,
                                    int[] deltaGenes, double[] emb, int[] knn, int k, double sigma, int[] groupOf,
                                    int nGroups) {
        if (xGenes.length != deltaGenes.length) {
            throw new IllegalArgumentException(xGenes.length + " expression columns, " + deltaGenes.length
                    + " shift columns");
        }
        int n = emb.length / 2;
        double[] vec = new double[2 * n];
        double[][] flow = new double[nGroups][nGroups];
        int[] groupCells = new int[nGroups];
        int m = xGenes.length;
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
                int off = i * xStride;
                int offD = i * deltaStride;
                double dm = 0;
                for (int a = 0; a < m; a++) {
                    d[a] = delta[offD + deltaGenes[a]];
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
                    int offJ = j * xStride;
                    double mean = 0;
                    for (int a = 0; a < m; a++) {
                        diff[a] = x[offJ + xGenes[a]] - x[off + xGenes[a]];
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
     * Cell vectors by local linear projection of δ onto the embedding: for cell i, the map from expression to
     * embedding is approximated around the cell by least squares over its embedding neighbours j,
     * {@code e_j − e_i ≈ A_i (z_j − z_i)} with z the cell's top {@code q} principal-component scores (A_i is 2 × q);
     * the vector is {@code A_i · Vᵀδ_i}, δ projected on the same components and mapped through A_i. Exact (up to
     * the components left out) when the embedding is linear in the expression, as a PCA is; a first-order
     * approximation of a smooth nonlinear one (UMAP, t-SNE) where the neighbours span the local tangent space.
     * Unlike the transition probabilities, it is not limited to directions toward existing neighbours, so a
     * perturbation that moves cells off the observed manifold still points the right way. Time O(n·k·q²),
     * memory O(n·q).
     *
     * @param delta    cells × genes predicted shift (row-major)
     * @param nGenes   genes per row
     * @param scores   n × d principal-component scores (row-major)
     * @param loadings genes × d loadings (row-major)
     * @param d        components stored per row
     * @param q        components used (≤ d)
     * @param emb      n × 2 embedding
     * @param knn      n × k embedding neighbours
     * @param k        neighbours per cell
     * @return n × 2 vectors (row-major)
     */
    public static double[] projectedVectors(float[] delta, int nGenes, double[] scores, double[] loadings, int d,
                                            int q, double[] emb, int[] knn, int k) {
        int n = emb.length / 2;
        double[] vec = new double[2 * n];
        if (k <= 0 || q <= 0) {
            return vec;
        }
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] u = new double[q];
            int off = i * nGenes;
            boolean any = false;
            for (int g = 0; g < nGenes; g++) {
                double dv = delta[off + g];
                if (dv != 0) {
                    any = true;
                    for (int a = 0; a < q; a++) {
                        u[a] += dv * loadings[g * d + a];
                    }
                }
            }
            if (!any) {
                return;
            }
            double[] gram = new double[q * q];
            double[] bx = new double[q];
            double[] by = new double[q];
            double[] dz = new double[q];
            for (int t = 0; t < k; t++) {
                int j = knn[i * k + t];
                for (int a = 0; a < q; a++) {
                    dz[a] = scores[j * d + a] - scores[i * d + a];
                }
                double ex = emb[2 * j] - emb[2 * i];
                double ey = emb[2 * j + 1] - emb[2 * i + 1];
                for (int a = 0; a < q; a++) {
                    bx[a] += dz[a] * ex;
                    by[a] += dz[a] * ey;
                    for (int b = 0; b <= a; b++) {
                        gram[a * q + b] += dz[a] * dz[b];
                    }
                }
            }
            double tr = 0;
            for (int a = 0; a < q; a++) {
                for (int b = 0; b < a; b++) {
                    gram[b * q + a] = gram[a * q + b];
                }
                tr += gram[a * q + a];
            }
            if (tr <= 0) {
                return;
            }
            // a tiny ridge only keeps A_i defined where the neighbours do not span all q components; a larger one
            // would shrink exactly the components the embedding follows (neighbours are close along them)
            double lambda = 1e-8 * tr / q;
            double[] ax = RidgeGcv.solve(gram, bx, q, lambda);
            double[] ay = RidgeGcv.solve(gram, by, q, lambda);
            if (ax == null || ay == null) {
                return;
            }
            double vx = 0;
            double vy = 0;
            for (int a = 0; a < q; a++) {
                vx += ax[a] * u[a];
                vy += ay[a] * u[a];
            }
            vec[2 * i] = vx;
            vec[2 * i + 1] = vy;
        });
        return vec;
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
