package io.scgrn.models.perturb;

import io.scgrn.anndata.Matrix;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.prep.Preparation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The expression a perturbation works on: every cell × only the network's genes, normalised as scgrn's
 * preparation does (raw counts — non-negative integers — are scaled to the median library size over all genes and
 * log1p-transformed; anything else is used as given). Unlike the preparation for inference, no cell or gene is
 * dropped and only the requested genes are made dense, so a 100,000-cell file with 30,000 genes costs only the
 * network genes' dense copy.
 */
public final class PerturbMatrix {
    private PerturbMatrix() {
    }

    /**
     * The result.
     *
     * @param matrix     cells × genes (requested genes found in the file, in request order)
     * @param normalized whether counts were detected and normalised + log1p
     * @param targetSum  the library size used (NaN when not normalised)
     */
    public record Prepared(ExpressionMatrix matrix, boolean normalized, double targetSum) {
    }

    /**
     * @param m      cells × genes, the file's matrix
     * @param names  its gene names (column order)
     * @param cells  its cell names
     * @param genes  genes wanted; those absent from {@code names} are skipped
     * @throws ModelException (field {@code field}) on a non-finite value
     */
    public static Prepared of(Matrix m, List<String> names, List<String> cells, List<String> genes, String field) {
        int nC = m.nRows();
        int nAll = m.nCols();
        Map<String, Integer> col = new HashMap<>();
        for (int j = 0; j < names.size(); j++) {
            col.putIfAbsent(names.get(j), j);
        }
        int[] colMap = new int[nAll];
        Arrays.fill(colMap, -1);
        List<String> kept = genes.stream().filter(col::containsKey).distinct().toList();
        for (int i = 0; i < kept.size(); i++) {
            colMap[col.get(kept.get(i))] = i;
        }
        int nG = kept.size();
        if ((long) nC * nG > Integer.MAX_VALUE - 8) {
            throw new ModelException("genes", nC + " cells × " + nG + " network genes is too large for one dense "
                    + "matrix");
        }
        double[] lib = new double[nC];
        boolean[] counts = {true};
        Preparation.forEachEntry(m, (r, c, v) -> {
            if (!Double.isFinite(v)) {
                throw new ModelException(field, "value " + v + " at cell " + cells.get(r) + ", gene " + names.get(c)
                        + " is not finite");
            }
            if (v < 0 || v != Math.rint(v)) {
                counts[0] = false;
            }
            lib[r] += v;
        });
        double target = Double.NaN;
        if (counts[0]) {
            double[] positive = Arrays.stream(lib).filter(l -> l > 0).sorted().toArray();
            target = positive.length == 0 ? 1 : positive.length % 2 == 1 ? positive[positive.length / 2]
                    : 0.5 * (positive[positive.length / 2 - 1] + positive[positive.length / 2]);
        }
        float[] values = new float[nC * nG];
        final double t = target;
        final boolean norm = counts[0];
        Preparation.forEachEntry(m, (r, c, v) -> {
            int g = colMap[c];
            if (g >= 0) {
                values[r * nG + g] = (float) (norm ? Math.log1p(v / lib[r] * t) : v);
            }
        });
        return new Prepared(new ExpressionMatrix(values, cells, kept), norm, target);
    }
}
