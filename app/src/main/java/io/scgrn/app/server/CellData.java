package io.scgrn.app.server;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.MuData;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.anndata.VarNames;
import io.scgrn.models.numerics.EntryOperator;
import io.scgrn.models.numerics.RandomizedSvd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-cell values of a dataset's expression modality: 2-D embedding, obs columns, gene expression and module
 * scores. Pure computation on loaded data; callers run it on a worker thread.
 */
public final class CellData {
    /** obsm keys tried, in order, for a ready-made embedding. */
    static final List<String> BASES = List.of("X_umap", "X_tsne", "X_pca");

    private CellData() {
    }

    /** A 2-D embedding: x, y per cell and where it came from. */
    public record Embedding(float[] x, float[] y, String basis) {
    }

    /** A categorical or numeric per-cell column. */
    public record CellColumn(int[] codes, List<String> categories, float[] values) {
        boolean categorical() {
            return codes != null;
        }
    }

    /**
     * The first two columns of obsm X_umap, X_tsne or X_pca (or of {@code basis} when given); without any, PCA of X
     * computed here.
     */
    public static Embedding embedding(AnnData a, String basis) {
        List<String> keys = basis == null ? BASES : List.of(basis);
        for (String k : keys) {
            Matrix m = a.obsm().get(k);
            if (m != null && m.nCols() >= 2 && m.nRows() == a.nObs()) {
                int n = m.nRows();
                float[] x = new float[n];
                float[] y = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = (float) m.get(i, 0);
                    y[i] = (float) m.get(i, 1);
                }
                return new Embedding(x, y, k);
            }
        }
        if (basis != null && !basis.equals("pca")) {
            throw new ApiException(404, "no 2-D embedding '" + basis + "' in obsm; available: "
                    + String.join(", ", a.obsm().keySet()));
        }
        Matrix x = a.x();
        if (x == null) {
            throw new ApiException(422, "dataset has neither an embedding in obsm nor an X matrix to compute one");
        }
        float[][] pc = pca2(x, 0x5c9);
        return new Embedding(pc[0], pc[1], "pca (computed)");
    }

    /**
     * An obs column of the expression modality, or of the global MuData obs matched by cell name. Strings and
     * booleans become categories.
     */
    public static CellColumn obs(MuData md, AnnData a, String name) {
        Column c = a.obs().column(name).orElse(null);
        int[] rowOf = null;
        if (c == null && md.obs() != null) {
            c = md.obs().column(name).orElse(null);
            if (c != null) {
                rowOf = matchRows(a.obs(), md.obs());
            }
        }
        if (c == null) {
            List<String> names = new ArrayList<>();
            a.obs().columns().forEach(col -> names.add(col.name()));
            throw new ApiException(404, "no obs column '" + name + "'; available: " + String.join(", ", names));
        }
        int n = a.nObs();
        if (c instanceof Column.Numeric num) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                int r = rowOf == null ? i : rowOf[i];
                boolean ok = r >= 0 && (num.valid() == null || num.valid()[r]);
                v[i] = ok ? num.values().getFloat(r) : Float.NaN;
            }
            return new CellColumn(null, null, v);
        }
        List<String> cats;
        int[] codes = new int[n];
        if (c instanceof Column.Categorical cat) {
            cats = cat.categories();
            for (int i = 0; i < n; i++) {
                int r = rowOf == null ? i : rowOf[i];
                codes[i] = r < 0 ? -1 : cat.codes()[r];
            }
        } else if (c instanceof Column.Bool b) {
            cats = List.of("False", "True");
            for (int i = 0; i < n; i++) {
                int r = rowOf == null ? i : rowOf[i];
                codes[i] = r < 0 || (b.valid() != null && !b.valid()[r]) ? -1 : (b.values()[r] ? 1 : 0);
            }
        } else {
            Column.Strings s = (Column.Strings) c;
            Map<String, Integer> idx = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                int r = rowOf == null ? i : rowOf[i];
                String v = r < 0 ? null : s.values()[r];
                codes[i] = v == null ? -1 : idx.computeIfAbsent(v, k -> idx.size());
            }
            cats = new ArrayList<>(idx.keySet());
        }
        return new CellColumn(codes, cats, null);
    }

    private static int[] matchRows(DataFrame local, DataFrame global) {
        Map<String, Integer> g = new HashMap<>();
        for (int i = 0; i < global.nRows(); i++) {
            g.putIfAbsent(global.index().get(i), i);
        }
        int[] out = new int[local.nRows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = g.getOrDefault(local.index().get(i), -1);
        }
        return out;
    }

    /** Index of gene {@code name} in var, or -1. */
    public static int geneIndex(AnnData a, String name) {
        return VarNames.of(a.var()).names().indexOf(name);
    }

    /** Genes whose name starts with (or, failing that, contains) {@code q}, case-insensitive, at most {@code max}. */
    public static List<String> searchGenes(AnnData a, String q, int max) {
        String lq = q == null ? "" : q.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        List<String> names = VarNames.of(a.var()).names();
        for (String g : names) {
            if (g.toLowerCase(Locale.ROOT).startsWith(lq)) {
                out.add(g);
                if (out.size() >= max) {
                    return out;
                }
            }
        }
        for (String g : names) {
            String lg = g.toLowerCase(Locale.ROOT);
            if (!lg.startsWith(lq) && lg.contains(lq)) {
                out.add(g);
                if (out.size() >= max) {
                    break;
                }
            }
        }
        return out;
    }

    /** X[:, gene] as floats (raw values as stored). */
    public static float[] expression(AnnData a, int gene) {
        Matrix x = a.x();
        if (x == null) {
            throw new ApiException(422, "dataset has no X matrix");
        }
        int n = x.nRows();
        float[] out = new float[n];
        if (x instanceof DenseMatrix d) {
            int nc = d.nCols();
            for (int i = 0; i < n; i++) {
                out[i] = d.values().getFloat(i * nc + gene);
            }
        } else {
            SparseMatrix s = (SparseMatrix) x;
            if (s.layout() == SparseMatrix.Layout.CSC) {
                for (long k = s.indptr()[gene]; k < s.indptr()[gene + 1]; k++) {
                    out[s.indices()[(int) k]] = s.data().getFloat((int) k);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    for (long k = s.indptr()[i]; k < s.indptr()[i + 1]; k++) {
                        if (s.indices()[(int) k] == gene) {
                            out[i] = s.data().getFloat((int) k);
                            break;
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Module score of a regulon per cell: the mean over its target genes of the gene's z-scored expression
     * (log1p first when X holds counts), with repressed targets (sign -1) counted negatively.
     *
     * @return per-cell scores; NaN everywhere when no target is in the data
     */
    public static float[] moduleScore(AnnData a, List<String> targets, List<Integer> signs) {
        int n = a.nObs();
        double[] acc = new double[n];
        int used = 0;
        boolean counts = looksLikeCounts(a.x());
        for (int t = 0; t < targets.size(); t++) {
            int g = geneIndex(a, targets.get(t));
            if (g < 0) {
                continue;
            }
            float[] v = expression(a, g);
            double mean = 0;
            for (int i = 0; i < n; i++) {
                double x = counts ? Math.log1p(Math.max(0, v[i])) : v[i];
                mean += x;
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double x = (counts ? Math.log1p(Math.max(0, v[i])) : v[i]) - mean;
                var += x * x;
            }
            double sd = Math.sqrt(var / Math.max(1, n - 1));
            if (sd == 0 || !Double.isFinite(sd)) {
                continue;
            }
            int sign = signs.get(t) < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) {
                double x = counts ? Math.log1p(Math.max(0, v[i])) : v[i];
                acc[i] += sign * (x - mean) / sd;
            }
            used++;
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = used == 0 ? Float.NaN : (float) (acc[i] / used);
        }
        return out;
    }

    /** True when a sample of stored values are all non-negative integers with some above 10 (raw counts). */
    static boolean looksLikeCounts(Matrix x) {
        if (x == null) {
            return false;
        }
        int checked = 0;
        double max = 0;
        if (x instanceof DenseMatrix d) {
            int len = d.values().length();
            int step = Math.max(1, len / 20_000);
            for (int i = 0; i < len; i += step) {
                double v = d.values().get(i);
                if (v < 0 || v != Math.rint(v)) {
                    return false;
                }
                max = Math.max(max, v);
                checked++;
            }
        } else {
            SparseMatrix s = (SparseMatrix) x;
            int len = s.data().length();
            int step = Math.max(1, len / 20_000);
            for (int i = 0; i < len; i += step) {
                double v = s.data().get(i);
                if (v < 0 || v != Math.rint(v)) {
                    return false;
                }
                max = Math.max(max, v);
                checked++;
            }
        }
        return checked > 0 && max > 10;
    }

    /**
     * First two principal components of X (log1p first when it holds counts) by the randomised SVD of the
     * implicitly centred matrix ({@link RandomizedSvd}, six power iterations), so a sparse X is never densified:
     * cost O(iterations · nnz · k).
     *
     * @return {pc1 scores, pc2 scores}, each of length nRows
     */
    static float[][] pca2(Matrix x, long seed) {
        return pcaFit(x, looksLikeCounts(x), seed).scores();
    }

    /**
     * A two-component PCA: the column means of the fitted matrix, the loadings and the fitted rows' scores, so
     * that other rows can be projected ({@link StreamedCells} fits on a sample of cells and projects them all).
     *
     * @param mu      column means, length nCols (after log1p when {@code log})
     * @param v       loadings, nCols × k row-major
     * @param k       components (2, fewer for tiny matrices)
     * @param log     whether values went through log1p first
     * @param scores  {pc1, pc2} scores of the fitted rows
     */
    record PcaFit(double[] mu, double[] v, int k, boolean log, float[][] scores) {
    }

    /** PCA of {@code x} (log1p first when {@code log}); see {@link #pca2}. */
    static PcaFit pcaFit(Matrix x, boolean log, long seed) {
        int n = x.nRows();
        int g = x.nCols();
        Values vals = new Values(x, log);
        double[] mu = new double[g];
        vals.forEach((r, c, v) -> mu[c] += v);
        for (int j = 0; j < g; j++) {
            mu[j] /= n;
        }
        RandomizedSvd.Operator centred = new EntryOperator(n, g, mu, vals);
        RandomizedSvd.Result svd = RandomizedSvd.compute(centred, 2, 4, 6, seed);
        double[] scores = svd.scores();
        float[][] out = new float[2][n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < svd.k(); p++) {
                out[p][i] = (float) scores[i * svd.k() + p];
            }
        }
        return new PcaFit(mu, svd.v(), svd.k(), log, out);
    }

    /** Stored values of a matrix (transformed by log1p when asked), visited without densifying. */
    private record Values(Matrix x, boolean log) implements EntryOperator.Entries {
        @Override
        public void forEach(EntryOperator.Visitor t) {
            forEachStored(x, 0, 0, log ? (r, c, v) -> t.accept(r, c, Math.log1p(v)) : t);
        }
    }

    /**
     * Visits the stored entries of a matrix without densifying it: every stored value of a sparse matrix (explicit
     * zeros included) in its storage order, every non-zero of a dense one row by row; positions are offset by
     * ({@code firstRow}, {@code firstCol}), for a block of a larger matrix.
     */
    static void forEachStored(Matrix x, int firstRow, int firstCol, EntryOperator.Visitor t) {
        if (x instanceof DenseMatrix d) {
            int nc = d.nCols();
            int len = d.values().length();
            for (int i = 0; i < len; i++) {
                double v = d.values().get(i);
                if (v != 0) {
                    t.accept(firstRow + i / nc, firstCol + i % nc, v);
                }
            }
        } else {
            SparseMatrix s = (SparseMatrix) x;
            boolean csr = s.layout() == SparseMatrix.Layout.CSR;
            int major = csr ? s.nRows() : s.nCols();
            for (int m = 0; m < major; m++) {
                for (long k = s.indptr()[m]; k < s.indptr()[m + 1]; k++) {
                    double v = s.data().get((int) k);
                    int minor = s.indices()[(int) k];
                    if (csr) {
                        t.accept(firstRow + m, firstCol + minor, v);
                    } else {
                        t.accept(firstRow + minor, firstCol + m, v);
                    }
                }
            }
        }
    }
}
