package io.scgrn.models.prep;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.H5adWriter;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.numerics.CountSampler;
import io.scgrn.models.numerics.Sampling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streaming preparation gives exactly the in-memory result, for every storage layout, with groups and metacells. */
class StreamingPreparationTest {
    static final int CELLS = 900;
    static final int GENES = 160;

    @TempDir
    Path dir;

    /** Negative-binomial-ish counts with a few empty cells, constant genes and a 3-category obs column. */
    static float[] counts(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        CountSampler counts = new CountSampler(r);
        float[] x = new float[CELLS * GENES];
        for (int c = 0; c < CELLS; c++) {
            if (c % 97 == 5) {
                continue; // a cell without counts
            }
            double size = 0.5 + r.nextDouble() * 2;
            for (int g = 0; g < GENES; g++) {
                if (g == 7) {
                    continue; // a gene without counts
                }
                double mean = size * (0.05 + (g % 17) * 0.3) * (1 + (c % 3 == g % 3 ? 2 : 0));
                x[c * GENES + g] = counts.poisson(mean);
            }
        }
        return x;
    }

    static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    static SparseMatrix sparse(float[] x, boolean csr) {
        return SparseMatrix.fromDense(new DenseMatrix(CELLS, GENES, DType.FLOAT32, new NumArray.F32(x)),
                csr ? SparseMatrix.Layout.CSR : SparseMatrix.Layout.CSC);
    }

    Path write(Matrix x, String name) {
        int[] codes = new int[CELLS];
        for (int c = 0; c < CELLS; c++) {
            codes[c] = c % 3;
        }
        codes[11] = -1; // a cell without a category
        DataFrame obs = new DataFrame("_index", names("cell", CELLS), List.of(new Column.Categorical("type", codes,
                List.of("a", "b", "c"), false, DType.STRING, "categorical")));
        Path f = dir.resolve(name + ".h5ad");
        H5adWriter.of(obs, DataFrame.empty(names("G", GENES))).x(x).write(f);
        return f;
    }

    static List<String> tfs() {
        return List.of("G1", "G2", "G3", "G20", "G41", "G7");
    }

    static void assertSame(PreparedData a, PreparedData b) {
        assertEquals(a.describe(), b.describe());
        assertEquals(a.tfs(), b.tfs());
        ExpressionMatrix x = a.matrix();
        ExpressionMatrix y = b.matrix();
        assertEquals(x.cells(), y.cells());
        assertEquals(x.genes(), y.genes());
        assertArrayEquals(x.values(), y.values());
    }

    void check(Matrix x, String name, PrepOptions o) {
        Path f = write(x, name);
        AnnData full = AnnDataFiles.readH5ad(f);
        AnnData meta = AnnDataFiles.readAnyWithout(f, m -> false).mod().get("rna");
        assertNull(meta.x(), "metadata read must not load X");
        PreparedData mem = Preparation.prepare(full, tfs(), o);
        GroupedData memGroups = Preparation.prepareGroups(full, "type", tfs(), o);
        StreamingPreparation.Result s = StreamingPreparation.prepare(f, meta, tfs(), o, "type", Long.MAX_VALUE);
        assertSame(mem, s.all());
        assertEquals(memGroups.groups().keySet(), s.groups().groups().keySet());
        for (String g : memGroups.groups().keySet()) {
            assertSame(memGroups.groups().get(g), s.groups().groups().get(g));
        }
        assertEquals(memGroups.skipped(), s.groups().skipped());
        assertNotNull(s.cellLevel());
    }

    @Test
    void csrCountsWithSeuratV3AndGroupsEqualTheInMemoryPath() {
        float[] x = counts(1);
        check(sparse(x, true), "csr", PrepOptions.defaults().withNTopGenes(40));
    }

    @Test
    void excludeHighSizeFactorsEqualTheInMemoryPathInEveryStorage() {
        float[] x = counts(3);
        PrepOptions o = PrepOptions.defaults().withNTopGenes(40).withSizeFactors("exclude-high", 0.05);
        check(sparse(x, true), "csr-eh", o);
        check(sparse(x, false), "csc-eh", o);
        check(DenseMatrix.ofFloats(CELLS, GENES, x), "dense-eh", o);
    }

    @Test
    void cscAndDenseStorageGiveTheSameResultToo() {
        float[] x = counts(2);
        check(sparse(x, false), "csc", PrepOptions.defaults().withNTopGenes(40));
        check(DenseMatrix.ofFloats(CELLS, GENES, x), "dense", PrepOptions.defaults().withNTopGenes(40));
    }

    @Test
    void logDataWithDispersionAndMetacellsEqualTheInMemoryPath() {
        float[] x = counts(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.log1p(x[i] * 0.37);
        }
        check(sparse(x, true), "log", PrepOptions.defaults().withNTopGenes(30).withMetacells(5));
    }

    @Test
    void aSmallBudgetSketchesTheCellsButKeepsTheGeneSelection() {
        float[] x = counts(4);
        Path f = write(sparse(x, true), "sketch");
        AnnData meta = AnnDataFiles.readAnyWithout(f, m -> false).mod().get("rna");
        PrepOptions o = PrepOptions.defaults().withNTopGenes(40);
        PreparedData mem = Preparation.prepare(AnnDataFiles.readH5ad(f), tfs(), o);
        long budget = 4L * 300 * mem.matrix().nGenes();
        StreamingPreparation.Result s = StreamingPreparation.prepare(f, meta, tfs(), o, null, budget);
        assertEquals(mem.matrix().genes(), s.all().matrix().genes());
        assertEquals(300, s.all().matrix().nCells());
        assertNull(s.cellLevel(), "a sketch is not cell-level data");
        assertTrue(s.all().steps().stream().anyMatch(l -> l.startsWith("sketched 300 of")), s.all().steps()::toString);
        // every sketched cell carries exactly its in-memory values
        ExpressionMatrix m = mem.matrix();
        ExpressionMatrix k = s.all().matrix();
        for (int i = 0; i < k.nCells(); i++) {
            int row = m.cells().indexOf(k.cells().get(i));
            for (int g = 0; g < k.nGenes(); g++) {
                assertEquals(m.get(row, g), k.get(i, g));
            }
        }
        // the same seed draws the same sketch
        assertEquals(k.cells(), StreamingPreparation.prepare(f, meta, tfs(), o, null, budget).all().matrix().cells());
    }

    /** x with its cells and genes in the orders {@code cellOrder} and {@code geneOrder}, written with their names. */
    Path writePermuted(float[] x, int[] cellOrder, int[] geneOrder, String name) {
        float[] y = new float[x.length];
        List<String> cells = new ArrayList<>();
        List<String> genes = new ArrayList<>();
        for (int j = 0; j < GENES; j++) {
            genes.add("G" + geneOrder[j]);
        }
        for (int i = 0; i < CELLS; i++) {
            cells.add("cell" + cellOrder[i]);
            for (int j = 0; j < GENES; j++) {
                y[i * GENES + j] = x[cellOrder[i] * GENES + geneOrder[j]];
            }
        }
        Path f = dir.resolve(name + ".h5ad");
        H5adWriter.of(new DataFrame("_index", cells, List.of()), DataFrame.empty(genes))
                .x(sparse(y, true)).write(f);
        return f;
    }

    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Sampling.shuffle(p, new SplittableRandom(seed));
        return p;
    }

    static int[] identity(int n) {
        return IntStream.range(0, n).toArray();
    }

    /** cell name → gene name → value, so matrices in different orders compare. */
    static Map<String, Map<String, Float>> byName(ExpressionMatrix m) {
        Map<String, Map<String, Float>> out = new HashMap<>();
        for (int i = 0; i < m.nCells(); i++) {
            Map<String, Float> row = new HashMap<>();
            for (int j = 0; j < m.nGenes(); j++) {
                row.put(m.genes().get(j), m.get(i, j));
            }
            out.put(m.cells().get(i), row);
        }
        return out;
    }

    @Test
    void theSketchDoesNotDependOnTheOrderOfCellsAndGenesInTheFile() {
        float[] x = counts(6);
        Path a = writePermuted(x, identity(CELLS), identity(GENES), "ordered");
        Path b = writePermuted(x, permutation(CELLS, 61), permutation(GENES, 62), "shuffled");
        PrepOptions o = PrepOptions.defaults().withNTopGenes(40);
        long budget = 4L * 300 * Preparation.prepare(AnnDataFiles.readH5ad(a), tfs(), o).matrix().nGenes();
        ExpressionMatrix ka = StreamingPreparation.prepare(a, AnnDataFiles.readAnyWithout(a, m -> false).mod()
                .get("rna"), tfs(), o, null, budget).all().matrix();
        ExpressionMatrix kb = StreamingPreparation.prepare(b, AnnDataFiles.readAnyWithout(b, m -> false).mod()
                .get("rna"), tfs(), o, null, budget).all().matrix();
        assertEquals(300, ka.nCells());
        assertEquals(new HashSet<>(ka.cells()), new HashSet<>(kb.cells()), "the same cells");
        assertEquals(byName(ka), byName(kb), "with the same values");
        // another seed draws another sketch
        ExpressionMatrix kc = StreamingPreparation.prepare(a, AnnDataFiles.readAnyWithout(a, m -> false).mod()
                .get("rna"), tfs(), o.withSeed(5), null, budget).all().matrix();
        assertNotEquals(new HashSet<>(ka.cells()), new HashSet<>(kc.cells()));
    }

    @Test
    void metacellsDoNotDependOnTheOrderOfCellsAndGenesInTheFile() {
        float[] x = counts(7);
        Path a = writePermuted(x, identity(CELLS), identity(GENES), "mc-ordered");
        Path b = writePermuted(x, permutation(CELLS, 71), permutation(GENES, 72), "mc-shuffled");
        PrepOptions o = PrepOptions.defaults().withNTopGenes(40).withMetacells(5);
        ExpressionMatrix ma = Preparation.prepare(AnnDataFiles.readH5ad(a), tfs(), o).matrix();
        ExpressionMatrix mb = Preparation.prepare(AnnDataFiles.readH5ad(b), tfs(), o).matrix();
        assertTrue(ma.cells().get(0).startsWith("metacell:"), ma.cells()::toString);
        assertEquals(ma.cells(), mb.cells());
        Map<String, Map<String, Float>> va = byName(ma);
        Map<String, Map<String, Float>> vb = byName(mb);
        assertEquals(va.keySet(), vb.keySet());
        for (String c : va.keySet()) {
            for (String g : va.get(c).keySet()) {
                assertEquals(va.get(c).get(g), vb.get(c).get(g), 1e-5f, c + " " + g);
            }
        }
    }

    @Test
    void nonFiniteValuesAreReportedAsInMemory() {
        float[] x = counts(5);
        x[3 * GENES + 4] = Float.NaN;
        Path f = write(sparse(x, true), "nan");
        AnnData meta = AnnDataFiles.readAnyWithout(f, m -> false).mod().get("rna");
        ModelException mem = assertThrows(ModelException.class,
                () -> Preparation.prepare(AnnDataFiles.readH5ad(f), tfs(), PrepOptions.defaults()));
        ModelException st = assertThrows(ModelException.class,
                () -> StreamingPreparation.prepare(f, meta, tfs(), PrepOptions.defaults(), "type", Long.MAX_VALUE));
        assertEquals(mem.getMessage(), st.getMessage());
    }
}
