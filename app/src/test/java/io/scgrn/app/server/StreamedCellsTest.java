package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.H5adWriter;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.MuData;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed per-cell values of a dataset too large to hold ({@link StreamedCells}) against the in-memory ones
 * ({@link CellData}) on the same file, for CSR, CSC and dense X; and {@link Datasets} holding such a dataset
 * without its matrices.
 */
class StreamedCellsTest {
    static final int CELLS = 300;
    static final int GENES = 40;

    @TempDir
    Path dir;

    /** Sparse counts with a few cell-type programmes, so the PCA has structure. */
    static float[] counts() {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[CELLS * GENES];
        for (int c = 0; c < CELLS; c++) {
            int type = c % 3;
            for (int g = 0; g < GENES; g++) {
                double rate = g % 3 == type ? 6 : 0.4;
                if (r.nextDouble() < 0.5) {
                    x[c * GENES + g] = (float) Math.floor(r.nextDouble() * 2 * rate + (g == 5 ? 12 : 0));
                }
            }
        }
        return x;
    }

    static Matrix matrix(float[] x, String layout) {
        if (layout.equals("dense")) {
            return new DenseMatrix(CELLS, GENES, DType.FLOAT32, new NumArray.F32(x.clone()));
        }
        DenseMatrix d = new DenseMatrix(CELLS, GENES, DType.FLOAT32, new NumArray.F32(x));
        return SparseMatrix.fromDense(d, layout.equals("csr") ? SparseMatrix.Layout.CSR : SparseMatrix.Layout.CSC);
    }

    static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    Path write(String layout) {
        Path f = dir.resolve(layout + ".h5ad");
        H5adWriter.of(DataFrame.empty(names("cell", CELLS)), DataFrame.empty(names("G", GENES)))
                .x(matrix(counts(), layout)).write(f);
        return f;
    }

    @Test
    void streamedValuesEqualLoadedOnes() {
        for (String layout : List.of("csr", "csc", "dense")) {
            Path f = write(layout);
            AnnData a = AnnDataFiles.readH5ad(f);
            StreamedCells.Source src = new StreamedCells.Source(f, "/X");
            int[] genes = {5, 0, 39, 5, 17};
            StreamedCells.Columns cols = StreamedCells.columns(src, genes);
            for (int i = 0; i < genes.length; i++) {
                assertArrayEquals(CellData.expression(a, genes[i]), cols.dense(i), layout + " gene " + genes[i]);
            }
            assertEquals(CellData.looksLikeCounts(a.x()), StreamedCells.looksLikeCounts(src), layout);

            List<String> targets = List.of("G5", "G1", "G9", "G30");
            List<Integer> signs = List.of(1, -1, 1, 1);
            float[] loaded = CellData.moduleScore(a, targets, signs);
            float[] streamed = StreamedCells.moduleScore(src, new int[] {5, 1, 9, 30}, new int[] {1, -1, 1, 1});
            for (int c = 0; c < CELLS; c++) {
                assertEquals(loaded[c], streamed[c], 1e-4, layout + " module score of cell " + c);
            }

            // fitted on every cell: the in-memory PCA, and projecting the cells again gives the same scores
            CellData.Embedding e = StreamedCells.pca(src, 11, CELLS);
            float[][] pc = CellData.pca2(a.x(), 11);
            assertEquals("pca (computed)", e.basis());
            assertArrayEquals(pc[0], e.x(), 1e-3f, layout);
            assertArrayEquals(pc[1], e.y(), 1e-3f, layout);
            CellData.PcaFit fit = CellData.pcaFit(a.x(), true, 11);
            float[][] projected = StreamedCells.project(src, fit);
            assertArrayEquals(fit.scores()[0], projected[0], 1e-3f, layout + " projection");
            assertArrayEquals(fit.scores()[1], projected[1], 1e-3f, layout + " projection");
        }
    }

    @Test
    void sampledPcaSeparatesTheCellTypes() {
        Path f = write("csr");
        // two runs of 100 consecutive cells, one in each half of the file
        CellData.Embedding e = StreamedCells.pca(new StreamedCells.Source(f, "/X"), 3, 200);
        assertEquals("pca (computed on 200 sampled cells)", e.basis());
        assertEquals(CELLS, e.x().length);
        // three programmes: the type means on the first two PCs are well apart relative to the spread
        double[][] mean = new double[3][2];
        for (int c = 0; c < CELLS; c++) {
            mean[c % 3][0] += e.x()[c] / (CELLS / 3.0);
            mean[c % 3][1] += e.y()[c] / (CELLS / 3.0);
        }
        double sd = 0;
        for (int c = 0; c < CELLS; c++) {
            double dx = e.x()[c] - mean[c % 3][0];
            double dy = e.y()[c] - mean[c % 3][1];
            sd += (dx * dx + dy * dy) / CELLS;
        }
        sd = Math.sqrt(sd);
        for (int s = 0; s < 3; s++) {
            for (int t = s + 1; t < 3; t++) {
                double d = Math.hypot(mean[s][0] - mean[t][0], mean[s][1] - mean[t][1]);
                assertTrue(d > 2 * sd, "types " + s + " and " + t + " apart: " + d + " vs spread " + sd);
            }
        }
    }

    @Test
    void sampleIsSeededAndExact() {
        int[] a = StreamedCells.sampleRows(1000, 100, 5);
        int[] b = StreamedCells.sampleRows(1000, 100, 5);
        assertArrayEquals(a, b);
        assertEquals(100, Arrays.stream(a).filter(i -> i >= 0).count());
    }

    @Test
    void datasetsHoldALargeDatasetWithoutItsMatrices() throws Exception {
        Path f = write("csr");
        Workspace ws = Workspace.open(dir.resolve("ws"));
        Datasets roomy = new Datasets(ws, 2, new MemoryBudget(1L << 30), AnnDataFiles::readAny);
        JsonObject meta = roomy.importLocal(f, "big.h5ad", new JsonObject());
        String id = meta.getString("id");
        // a budget below the file's decoded size (a 413 before streaming): held without X, X is streamed
        Datasets small = new Datasets(ws, 2, new MemoryBudget(MemoryBudget.declaredBytes(meta) - 1),
                AnnDataFiles::readAny);
        assertTrue(small.streams(meta));
        StreamedCells.Source src = small.streamedX(id).orElseThrow();
        assertEquals("/X", src.xPath());
        MuData md = small.use(id, m -> m);
        assertNull(Datasets.primary(md).x());
        assertEquals(CELLS, Datasets.primary(md).nObs());
        assertEquals(Datasets.metadataBytes(meta), small.budget().used(), "only obs/var are reserved");
        assertTrue(Datasets.metadataBytes(meta) < MemoryBudget.declaredBytes(meta));

        assertTrue(roomy.streamedX(id).isEmpty());
        assertTrue(roomy.use(id, m -> Datasets.primary(m).x()) != null);
    }
}
