package io.scgrn.models.atac;

import io.scgrn.models.ModelException;
import io.scgrn.models.numerics.DenseOperator;
import io.scgrn.models.numerics.Neighbours;
import io.scgrn.models.numerics.RandomizedSvd;
import io.scgrn.models.numerics.Sampling;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Joint RNA + ATAC embedding and kNN metacells. Single-cell ATAC is too sparse (a few % of peaks seen per cell) to
 * correlate peaks with genes cell by cell; ArchR and SCENIC+ aggregate similar cells first. Here each cell is
 * placed by its RNA PCA and ATAC LSI coordinates (each block L2-normalised per cell, weighted), and a metacell is a
 * sampled seed cell plus its k−1 nearest neighbours in that space; seeds whose neighbourhoods overlap another
 * metacell by more than 80 % are skipped (ArchR's overlap filter).
 *
 * @param nMeta  number of metacells
 * @param members cell indices of each metacell (k each)
 * @param rna    metacells × genes mean log expression, row-major
 * @param atac   metacells × peaks log1p(10⁴ · open fragments / total open fragments), row-major
 */
public record Metacells(int nMeta, int[][] members, float[] rna, float[] atac) {
    /** Seeds whose neighbours are computed together, in parallel, when the next seed has none yet. */
    private static final int KNN_BATCH = 64;

    /**
     * Builds metacells.
     *
     * @param data      paired data
     * @param nMeta     metacells wanted (fewer when overlap filtering rejects seeds)
     * @param k         cells per metacell
     * @param dims      PCA / LSI dimensions per modality
     * @param rnaWeight weight of the RNA block in 0..1 (the ATAC block gets 1 − rnaWeight)
     * @param seed      seed for the SVDs and the choice of seeds
     */
    public static Metacells build(MultiomeData data, int nMeta, int k, int dims, double rnaWeight, long seed) {
        int n = data.nCells();
        if (n < 2) {
            throw new ModelException("cells", "need at least 2 shared cells, got " + n);
        }
        k = Math.max(1, Math.min(k, n));
        double[] emb = jointEmbedding(data, dims, rnaWeight, seed);
        int d = emb.length / n;
        int[][] members = chooseMetacells(emb, d, n, Math.max(1, nMeta), k, seed);
        return aggregate(data, members);
    }

    /** Cells × (dRna + dAtac) joint coordinates, row-major. */
    public static double[] jointEmbedding(MultiomeData data, int dims, double rnaWeight, long seed) {
        int n = data.nCells();
        double[] pca = rnaPca(data.rna(), n, data.nGenes(), dims, seed);
        int dp = pca.length / n;
        double[] lsi = AtacTransforms.lsi(data.atac(), dims, seed + 1);
        int dl = lsi.length / n;
        double wr = Math.sqrt(rnaWeight);
        double wa = Math.sqrt(1 - rnaWeight);
        double[] out = new double[n * (dp + dl)];
        for (int c = 0; c < n; c++) {
            int o = c * (dp + dl);
            for (int j = 0; j < dp; j++) {
                out[o + j] = wr * pca[c * dp + j];
            }
            for (int j = 0; j < dl; j++) {
                out[o + dp + j] = wa * lsi[c * dl + j];
            }
        }
        return out;
    }

    /** PCA of standardised log expression (clipped at 10 sd as in scanpy), coordinates L2-normalised per cell. */
    static double[] rnaPca(float[] x, int n, int g, int dims, long seed) {
        double[] mean = DenseOperator.columnMeans(x, n, g);
        double[] sd = DenseOperator.columnSds(x, n, g, mean);
        // the clipped z-scores computed as the SVD reads them: no second cells × genes array
        RandomizedSvd.Operator op = DenseOperator.standardised(x, n, g, mean, sd, 10);
        RandomizedSvd.Result r = RandomizedSvd.compute(op, Math.min(dims, Math.min(n, g)), 10, 2, seed);
        int kk = r.k();
        double[] out = r.scores();
        for (int c = 0; c < n; c++) {
            double norm = 0;
            for (int j = 0; j < kk; j++) {
                double v = out[c * kk + j];
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < kk && norm > 0; j++) {
                out[c * kk + j] /= norm;
            }
        }
        return out;
    }

    /** Brute-force k nearest neighbours (the cell itself first), Euclidean. */
    static int[][] knn(double[] emb, int n, int d, int k) {
        int[][] out = new int[n][];
        IntStream.range(0, n).parallel().forEach(i -> out[i] = Neighbours.nearest(emb, d, n, i, k));
        return out;
    }

    /**
     * Seed cells in a seeded random order, each with its k − 1 nearest cells, kept while a metacell's cells overlap
     * no kept one by more than 80 % (a second pass accepts any that is not a copy) until {@code nMeta} are kept. A
     * seed's neighbours are computed when the seed is visited: the seeds visited before {@code nMeta} are kept are few
     * (about {@code nMeta} on large data), so this is O(visited · n · d), not the O(n² d) of every cell's kNN.
     */
    static int[][] chooseMetacells(double[] emb, int d, int n, int nMeta, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] order = Sampling.permutation(n, rnd);
        int[][] knn = new int[n][];
        List<int[]> chosen = new ArrayList<>();
        List<BitSet> sets = new ArrayList<>();
        int maxOverlap = (int) Math.floor(0.8 * k);
        for (int pass = 0; pass < 2 && chosen.size() < nMeta; pass++) {
            for (int pos = 0; pos < n; pos++) {
                if (chosen.size() >= nMeta) {
                    break;
                }
                int seedCell = order[pos];
                if (knn[seedCell] == null) {
                    // the next seeds' neighbours in parallel (a few may go unused)
                    int from = pos;
                    IntStream.range(from, Math.min(n, from + KNN_BATCH)).parallel()
                            .filter(q -> knn[order[q]] == null)
                            .forEach(q -> knn[order[q]] = Neighbours.nearest(emb, d, n, order[q], k));
                }
                int[] nb = knn[seedCell];
                boolean ok = true;
                for (BitSet s : sets) {
                    // |s ∩ nb| from nb's (distinct) cells: O(k) instead of a copy of an n-bit set
                    int overlap = 0;
                    for (int m : nb) {
                        if (s.get(m)) {
                            overlap++;
                        }
                    }
                    // Second pass accepts any new seed: small data cannot avoid overlap.
                    if (overlap > (pass == 0 ? maxOverlap : k - 1) || overlap == nb.length) {
                        ok = false;
                        break;
                    }
                }
                if (ok) {
                    chosen.add(nb);
                    BitSet b = new BitSet(n);
                    for (int m : nb) {
                        b.set(m);
                    }
                    sets.add(b);
                }
            }
        }
        return chosen.toArray(int[][]::new);
    }

    /** Averages members: RNA as mean log expression, ATAC as depth-normalised open counts. */
    static Metacells aggregate(MultiomeData data, int[][] members) {
        int m = members.length;
        int g = data.nGenes();
        int p = data.nPeaks();
        float[] rna = new float[m * g];
        float[] atac = new float[m * p];
        PeakMatrix pm = data.atac();
        for (int i = 0; i < m; i++) {
            for (int c : members[i]) {
                for (int j = 0; j < g; j++) {
                    rna[i * g + j] += data.rna()[c * g + j];
                }
            }
            for (int j = 0; j < g; j++) {
                rna[i * g + j] /= members[i].length;
            }
            long total = 0;
            for (int c : members[i]) {
                for (int kk = pm.indptr()[c]; kk < pm.indptr()[c + 1]; kk++) {
                    atac[i * p + pm.indices()[kk]] += 1;
                }
                total += pm.cellCount(c);
            }
            double f = total > 0 ? 1e4 / total : 0;
            for (int j = 0; j < p; j++) {
                float v = atac[i * p + j];
                if (v != 0) {
                    atac[i * p + j] = (float) Math.log1p(v * f);
                }
            }
        }
        return new Metacells(m, members, rna, atac);
    }
}
