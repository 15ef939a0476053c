package io.scgrn.models.prep;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.numerics.CountSampler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreparationTest {

    static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    static AnnData anndata(Matrix x, List<String> genes, Map<String, Matrix> layers, List<Column> obsColumns) {
        List<String> cells = names("cell", x.nRows());
        return new AnnData(null, "/", new DataFrame("_index", cells, obsColumns), DataFrame.empty(genes), x, layers,
                Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), null);
    }

    static AnnData dense(int n, int g, float[] x, List<String> genes) {
        return anndata(DenseMatrix.ofFloats(n, g, x), genes, Map.of(), List.of());
    }

    @Test
    void rawCountsAreNormalisedToTheMedianLibrarySizeAndLogged() {
        // libraries 4, 6, 10 → median 6
        float[] x = {1, 3, 0, 2, 2, 2, 5, 0, 5};
        PreparedData p = Preparation.prepare(dense(3, 3, x, List.of("TF1", "G1", "G2")), List.of("TF1"),
                PrepOptions.defaults());
        assertTrue(p.rawCounts());
        assertTrue(p.normalized());
        assertEquals(6.0, p.targetSum());
        double[] lib = {4, 6, 10};
        ExpressionMatrix m = p.matrix();
        for (int c = 0; c < 3; c++) {
            for (int g = 0; g < 3; g++) {
                assertEquals(Math.log1p(x[c * 3 + g] / lib[c] * 6), m.get(c, g), 1e-6);
            }
        }
        assertTrue(p.steps().get(0).startsWith("detected raw counts"), p.steps().toString());
        assertEquals(List.of("TF1"), p.tfs());
    }

    @Test
    void excludeHighSizeFactorsAreExact() {
        // totals 10, 4, 20; max-fraction 0.4 leaves out G0 (cell 1: 2 > 1.6), G1 (cell 1) and G3 (cell 0: 6 > 4,
        // cell 2: 10 > 8); sizes from G2 only: 3, 0, 5; cell 1 falls back to 4 × median(3/10, 5/20) = 1.1;
        // target median(3, 1.1, 5) = 3
        float[] x = {1, 0, 3, 6, 2, 2, 0, 0, 0, 5, 5, 10};
        PreparedData p = Preparation.prepare(dense(3, 4, x, List.of("TF1", "G1", "G2", "G3")), List.of("TF1"),
                PrepOptions.fromParams(null, 0, Map.of("size-factors", "exclude-high", "max-fraction", "0.4")));
        assertEquals(3.0, p.targetSum());
        double[] size = {3, 4 * ((0.3 + 0.25) / 2), 5};
        for (int c = 0; c < 3; c++) {
            for (int g = 0; g < 4; g++) {
                assertEquals((float) Math.log1p(x[c * 4 + g] / size[c] * 3), p.matrix().get(c, g), 0f);
            }
        }
        assertTrue(p.steps().toString().contains("without the 3 genes above 0.4"), p.steps().toString());
        assertTrue(p.steps().toString().contains("1 cells without other counts"), p.steps().toString());
        // at 0.5 only G3 is left out (6 > 5): sizes 4, 4, 10, no fallback, target 4
        PreparedData h = Preparation.prepare(dense(3, 4, x, List.of("TF1", "G1", "G2", "G3")), List.of("TF1"),
                PrepOptions.defaults().withSizeFactors("exclude-high", 0.5));
        assertEquals(4.0, h.targetSum());
        assertEquals((float) Math.log1p(10 / 10.0 * 4), h.matrix().get(2, 3), 0f);
        // every gene left out somewhere: the totals are kept (same as size-factors=total)
        PreparedData all = Preparation.prepare(dense(3, 4, x, List.of("TF1", "G1", "G2", "G3")), List.of("TF1"),
                PrepOptions.defaults().withSizeFactors("exclude-high", 0.01));
        PreparedData total = Preparation.prepare(dense(3, 4, x, List.of("TF1", "G1", "G2", "G3")), List.of("TF1"),
                PrepOptions.defaults());
        assertArrayEquals(total.matrix().values(), all.matrix().values());
    }

    @Test
    void sizeFactorsOffOrOnNonCountsChangeNothing() {
        float[] x = {1, 3, 0, 2, 2, 2, 5, 0, 5};
        List<String> g = List.of("TF1", "G1", "G2");
        PreparedData d = Preparation.prepare(dense(3, 3, x, g), List.of("TF1"), PrepOptions.defaults());
        PreparedData t = Preparation.prepare(dense(3, 3, x, g), List.of("TF1"),
                PrepOptions.fromParams(null, 0, Map.of("size-factors", "total")));
        assertArrayEquals(d.matrix().values(), t.matrix().values());
        assertEquals(d.steps(), t.steps());
        float[] logs = {0.5f, 1.25f, 0f, 2.5f, 0.1f, 3f};
        PreparedData l = Preparation.prepare(dense(3, 2, logs, List.of("TF1", "G1")), List.of("TF1"),
                PrepOptions.defaults().withSizeFactors("exclude-high", 0.05));
        assertArrayEquals(logs, l.matrix().values());
        ModelException e = assertThrows(ModelException.class,
                () -> PrepOptions.fromParams(null, 0, Map.of("size-factors", "deseq")));
        assertEquals("size-factors", e.field());
        assertThrows(ModelException.class, () -> PrepOptions.fromParams(null, 0, Map.of("max-fraction", "0")));
    }

    @Test
    void logNormalisedDataAreUsedAsGiven() {
        float[] x = {0.5f, 1.25f, 0f, 2.5f, 0.1f, 3f};
        PreparedData p = Preparation.prepare(dense(3, 2, x, List.of("TF1", "G1")), List.of("TF1"),
                PrepOptions.defaults());
        assertFalse(p.rawCounts());
        assertFalse(p.normalized());
        assertArrayEquals(x, p.matrix().values());
        assertTrue(p.steps().get(0).contains("already normalised"), p.steps().toString());
    }

    @Test
    void targetSumAndNeverOptionsAreHonoured() {
        float[] x = {1, 3, 2, 2};
        PreparedData fixed = Preparation.prepare(dense(2, 2, x, List.of("TF1", "G1")), List.of("TF1"),
                PrepOptions.fromParams(null, 0, Map.of("target-sum", "10000")));
        assertEquals(Math.log1p(1 / 4.0 * 1e4), fixed.matrix().get(0, 0), 1e-4);
        PreparedData never = Preparation.prepare(dense(2, 2, x, List.of("TF1", "G1")), List.of("TF1"),
                PrepOptions.defaults().withNormalize("never"));
        assertArrayEquals(x, never.matrix().values());
        assertThrows(ModelException.class, () -> PrepOptions.fromParams(null, 0, Map.of("bogus", "1")));
        assertThrows(ModelException.class, () -> PrepOptions.fromParams(null, 0, Map.of("n-top-genes", "x")));
    }

    @Test
    void allZeroAndConstantGenesAreDropped() {
        // log data: gene Z is all zero, gene C constant
        float[] x = {1.5f, 0, 3.5f, 2.5f, 2.5f, 0, 3.5f, 2.5f, 0.5f, 0, 3.5f, 1.5f};
        PreparedData p = Preparation.prepare(dense(3, 4, x, List.of("TF1", "Z", "C", "G")), List.of("TF1", "Z"),
                PrepOptions.defaults());
        assertEquals(List.of("TF1", "G"), p.matrix().genes());
        assertEquals(List.of("TF1"), p.tfs());
    }

    /**
     * Poisson counts over a range of means (2..50), except genes 3..7: zero in half of the cells and Poisson(2μ)
     * in the rest, so their variance (≈ μ + μ²) is far above the Poisson variance at their mean.
     */
    private static float[] hvgData(int n, int g, boolean counts, Random rnd) {
        double[] mu = new double[g];
        for (int j = 0; j < g; j++) {
            mu[j] = Math.exp(Math.log(2) + (Math.log(50) - Math.log(2)) * ((j * 7L) % g) / (g - 1.0));
        }
        float[] x = new float[n * g];
        CountSampler poisson = new CountSampler(rnd);
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                boolean hv = j >= 3 && j < 8;
                double v = hv ? (rnd.nextBoolean() ? 0 : poisson.poisson(2 * mu[j])) : poisson.poisson(mu[j]);
                x[c * g + j] = counts ? (float) v : (float) Math.log1p(v * 0.37);
            }
        }
        return x;
    }

    @Test
    void hvgSelectionKeepsEveryExpressedTfOnCountsAndOnLogData() {
        int n = 200;
        int g = 200;
        List<String> genes = names("G", g);
        List<String> tfs = List.of("G0", "G1", "G2", "NotThere");
        for (boolean counts : new boolean[] {true, false}) {
            float[] x = hvgData(n, g, counts, new Random(1));
            PreparedData p = Preparation.prepare(dense(n, g, x, genes), tfs, PrepOptions.defaults().withNTopGenes(5));
            assertEquals(counts ? "seurat_v3" : "dispersion", p.hvgFlavor());
            assertEquals(List.of("G0", "G1", "G2", "G3", "G4", "G5", "G6", "G7"), p.matrix().genes(),
                    "counts=" + counts);
            assertEquals(List.of("G0", "G1", "G2"), p.tfs());
        }
        // fewer genes than TFs + N: everything is kept
        float[] x = hvgData(n, g, true, new Random(2));
        PreparedData all = Preparation.prepare(dense(n, g, x, genes), tfs, PrepOptions.defaults().withNTopGenes(197));
        assertEquals(g, all.matrix().nGenes());
        assertEquals("none", all.hvgFlavor());
    }

    @Test
    void sparseCsrAndCscGiveTheSameResultAsDense() {
        float[] x = {1, 0, 3, 0, 2, 0, 0, 4, 5, 0, 1, 0};
        List<String> genes = List.of("TF1", "G1", "G2", "G3");
        PreparedData d = Preparation.prepare(dense(3, 4, x, genes), List.of("TF1"), PrepOptions.defaults());
        // indices within a row deliberately unsorted
        SparseMatrix csr = new SparseMatrix(SparseMatrix.Layout.CSR, 3, 4, DType.FLOAT32,
                new NumArray.F32(new float[] {3, 1, 4, 2, 5, 1}), new int[] {2, 0, 3, 0, 0, 2}, new long[] {0, 2, 4, 6});
        SparseMatrix csc = new SparseMatrix(SparseMatrix.Layout.CSC, 3, 4, DType.FLOAT32,
                new NumArray.F32(new float[] {1, 2, 5, 3, 1, 4}), new int[] {0, 1, 2, 0, 2, 1}, new long[] {0, 3, 3, 5, 6});
        for (SparseMatrix s : List.of(csr, csc)) {
            PreparedData p = Preparation.prepare(anndata(s, genes, Map.of(), List.of()), List.of("TF1"),
                    PrepOptions.defaults());
            assertArrayEquals(d.matrix().values(), p.matrix().values(), s.layout().toString());
        }
    }

    @Test
    void layersAndRawAreSelectable() {
        float[] x = {0.5f, 1.5f, 2.5f, 0.25f};
        Matrix counts = DenseMatrix.ofFloats(2, 2, new float[] {1, 3, 2, 2});
        AnnData a = anndata(DenseMatrix.ofFloats(2, 2, x), List.of("TF1", "G1"), Map.of("counts", counts), List.of());
        PreparedData p = Preparation.prepare(a, List.of("TF1"), PrepOptions.defaults().withLayer("counts"));
        assertEquals("layers/counts", p.source());
        assertTrue(p.normalized());
        ModelException e = assertThrows(ModelException.class,
                () -> Preparation.prepare(a, List.of("TF1"), PrepOptions.defaults().withLayer("spliced")));
        assertTrue(e.getMessage().contains("available: X, counts"), e.getMessage());
        assertThrows(ModelException.class,
                () -> Preparation.prepare(a, List.of("TF1"), PrepOptions.defaults().withLayer("raw")));
    }

    @Test
    void badInputsGiveOneLineMessagesNamingTheField() {
        List<String> genes = List.of("TF1", "G1");
        ModelException nan = assertThrows(ModelException.class, () -> Preparation.prepare(
                dense(2, 2, new float[] {1, Float.NaN, 2, 3}, genes), List.of("TF1"), PrepOptions.defaults()));
        assertEquals("X", nan.field());
        assertTrue(nan.getMessage().contains("cell0") && nan.getMessage().contains("G1"), nan.getMessage());

        ModelException inf = assertThrows(ModelException.class, () -> Preparation.prepare(
                dense(2, 2, new float[] {1, 2, Float.POSITIVE_INFINITY, 3}, genes), List.of("TF1"),
                PrepOptions.defaults()));
        assertEquals("X", inf.field());

        ModelException neg = assertThrows(ModelException.class, () -> Preparation.prepare(
                dense(2, 2, new float[] {1, -2, 2, 3}, genes), List.of("TF1"),
                PrepOptions.defaults().withNormalize("always")));
        assertTrue(neg.getMessage().contains("negative"), neg.getMessage());

        ModelException one = assertThrows(ModelException.class, () -> Preparation.prepare(
                dense(1, 2, new float[] {1, 2}, genes), List.of("TF1"), PrepOptions.defaults()));
        assertEquals("cells", one.field());

        ModelException oneGene = assertThrows(ModelException.class, () -> Preparation.prepare(
                dense(2, 1, new float[] {1, 2}, List.of("TF1")), List.of("TF1"), PrepOptions.defaults()));
        assertEquals("genes", oneGene.field());

        ModelException noTf = assertThrows(ModelException.class, () -> Preparation.prepare(
                dense(2, 2, new float[] {1, 2, 2, 3}, genes), List.of("GATA1"), PrepOptions.defaults()));
        assertEquals("tfs", noTf.field());

        // a TF that is present but never expressed is not a usable regulator either
        ModelException silent = assertThrows(ModelException.class, () -> Preparation.prepare(
                dense(2, 2, new float[] {0, 2, 0, 3}, genes), List.of("TF1"), PrepOptions.defaults()));
        assertEquals("tfs", silent.field());
        assertFalse(silent.getMessage().contains("\n"));
    }

    @Test
    void stableIdsInTheIndexGiveWayToTheSymbolColumn() {
        float[] x = {1, 2, 3, 2, 1, 5, 3, 3, 1, 4, 0, 2};
        List<String> ids = List.of("ENSMUSG00000031162", "ENSMUSG00000002111", "ENSMUSG00000029580");
        AnnData a = dense(4, 3, x, ids);
        Column symbols = new Column.Categorical("feature_name", new int[] {0, 1, 2}, List.of("Gata1", "Spi1", "Actb"),
                false, DType.STRING, "categorical");
        AnnData withSymbols = new AnnData(a.source(), a.h5Path(), a.obs(), new DataFrame("_index", ids,
                List.of(symbols)), a.x(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), null);
        assertEquals(List.of("Gata1", "Spi1", "Actb"), Preparation.geneNames(withSymbols, null));
        PreparedData p = Preparation.prepare(withSymbols, List.of("Gata1", "Spi1"), PrepOptions.defaults());
        assertEquals(List.of("Gata1", "Spi1"), p.tfs());
        assertEquals(List.of("Actb", "Gata1", "Spi1"), p.matrix().genes().stream().sorted().toList());
        assertTrue(p.steps().stream().anyMatch(s -> s.contains("var column 'feature_name'")),
                String.join("; ", p.steps()));
    }

    @Test
    void aTfListInAnotherCaseMatchesOnlyWhenNothingMatchesExactly() {
        List<String> genes = List.of("Gata1", "Spi1", "Actb");
        float[] x = {1, 2, 3, 2, 1, 5, 3, 3, 1, 4, 0, 2};
        PreparedData p = Preparation.prepare(dense(4, 3, x, genes), List.of("GATA1", "SPI1", "FOXP3"),
                PrepOptions.defaults());
        assertEquals(List.of("Gata1", "Spi1"), p.tfs());
        assertTrue(p.steps().stream().anyMatch(s -> s.contains("ignoring case")), String.join("; ", p.steps()));
        // one exact match: the list is taken as spelled (Spi1 is not a TF of this list)
        PreparedData exact = Preparation.prepare(dense(4, 3, x, genes), List.of("Gata1", "SPI1"),
                PrepOptions.defaults());
        assertEquals(List.of("Gata1"), exact.tfs());
        assertTrue(exact.steps().stream().noneMatch(s -> s.contains("ignoring case")));
    }

    @Test
    void groupsArePreparedSeparatelyAndTinyGroupsSkipped() {
        int n = 7;
        float[] x = new float[n * 2];
        for (int c = 0; c < n; c++) {
            x[c * 2] = c + 1;
            x[c * 2 + 1] = (c * 3) % 5 + 1;
        }
        Column.Categorical type = new Column.Categorical("type", new int[] {0, 1, 0, 1, 0, -1, 2},
                List.of("a", "b", "c"), false, DType.STRING, "categorical");
        AnnData a = anndata(DenseMatrix.ofFloats(n, 2, x), List.of("TF1", "G1"), Map.of(), List.of(type));
        GroupedData gd = Preparation.prepareGroups(a, "type", List.of("TF1"), PrepOptions.defaults());
        assertEquals(List.of("a", "b"), List.copyOf(gd.groups().keySet()));
        assertEquals(List.of("cell0", "cell2", "cell4"), gd.groups().get("a").matrix().cells());
        assertEquals(List.of("cell1", "cell3"), gd.groups().get("b").matrix().cells());
        assertEquals("a", gd.groups().get("a").group());
        assertEquals(List.of("c"), List.copyOf(gd.skipped().keySet()));

        ModelException e = assertThrows(ModelException.class,
                () -> Preparation.prepareGroups(a, "celltype", List.of("TF1"), PrepOptions.defaults()));
        assertEquals("groupby", e.field());
        assertTrue(e.getMessage().contains("available: type"), e.getMessage());
    }

    @Test
    void metacellsAverageNeighboursWithinClusters() {
        // two well separated clusters of 20 cells; metacells of 5 must never mix them
        int n = 40;
        int g = 6;
        Random rnd = new Random(3);
        float[] x = new float[n * g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                double centre = (c < 20) == (j < 3) ? 5 : 0.5;
                x[c * g + j] = (float) Math.max(0.01, centre + 0.2 * rnd.nextGaussian());
            }
        }
        PreparedData p = Preparation.prepare(dense(n, g, x, names("G", g)), List.of("G0"),
                PrepOptions.defaults().withMetacells(5));
        ExpressionMatrix m = p.matrix();
        assertEquals(8, m.nCells());
        for (int c = 0; c < m.nCells(); c++) {
            boolean first = m.cells().get(c).startsWith("metacell:cell") && Integer.parseInt(
                    m.cells().get(c).substring("metacell:cell".length())) < 20;
            // a metacell from cluster 1 has G0 ≈ 5 and G5 ≈ 0.5; mixing would pull both towards 2.75
            assertEquals(first ? 5 : 0.5, m.get(c, 0), 0.3);
            assertEquals(first ? 0.5 : 5, m.get(c, 5), 0.3);
        }
        assertTrue(p.steps().stream().anyMatch(s -> s.contains("8 metacells")), p.steps().toString());
        // reproducible with the seed
        PreparedData again = Preparation.prepare(dense(n, g, x, names("G", g)), List.of("G0"),
                PrepOptions.defaults().withMetacells(5));
        assertArrayEquals(m.values(), again.matrix().values());
    }

    @Test
    void duplicateGeneNamesAreMadeUnique() {
        float[] x = {1, 2, 3, 2, 1, 5};
        PreparedData p = Preparation.prepare(dense(2, 3, x, List.of("TF1", "G", "G")), List.of("TF1"),
                PrepOptions.defaults());
        assertEquals(List.of("TF1", "G", "G-1"), p.matrix().genes());
    }
}
