package io.scgrn.anndata;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads every real file (formats/) and every valid fixture (fixtures/) and compares with what anndata / h5py read
 * ({@code expected.json}, written by {@code scripts/export_expected.py}): shapes, names, every obs/var column value,
 * matrix encodings, dtypes, nnz, sums and selected entries, layers, obsm/varm shapes, obsp, uns keys and raw.
 */
class ExpectedValuesTest {

    @SuppressWarnings("unchecked")
    @TestFactory
    Stream<DynamicTest> everyFileMatchesReference() throws IOException {
        String text = Files.readString(TestFiles.resource("expected.json"));
        Map<String, Object> root = (Map<String, Object>) TestJson.parse(text);
        Map<String, Object> files = (Map<String, Object>) root.get("files");
        assertTrue(files.size() >= 20, "expected.json lists " + files.size() + " files");
        return files.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> check(e.getKey(), (Map<String, Object>) e.getValue())));
    }

    @SuppressWarnings("unchecked")
    private static void check(String rel, Map<String, Object> exp) {
        MuData md = AnnDataFiles.readAny(TestFiles.resource(rel));
        assertEquals(exp.get("kind"), md.kind(), "kind");
        Map<String, Object> mods = (Map<String, Object>) exp.get("mods");
        if (exp.containsKey("mod_order")) {
            assertEquals(exp.get("mod_order"), new ArrayList<>(md.mod().keySet()), "modality order");
        }
        assertEquals(mods.keySet(), md.mod().keySet(), "modalities");
        if (exp.containsKey("obs_names")) {
            assertEquals(exp.get("obs_names"), md.obs().index(), "global obs names");
            assertEquals(exp.get("var_names"), md.var().index(), "global var names");
            assertEquals(((Number) exp.get("axis")).intValue(), md.axis(), "axis");
        }
        for (Map.Entry<String, Object> m : mods.entrySet()) {
            checkAnnData(rel + ":" + m.getKey(), (Map<String, Object>) m.getValue(), md.mod().get(m.getKey()));
        }
        if (md.kind().equals("h5ad")) {
            // the direct entry point must agree with readAny
            AnnData direct = AnnDataFiles.readH5ad(TestFiles.resource(rel));
            assertEquals(md.mod().get(AnnDataFiles.SINGLE_MODALITY).obs().index(), direct.obs().index());
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkAnnData(String where, Map<String, Object> exp, AnnData a) {
        assertNotNull(a, where);
        assertEquals(num(exp.get("n_obs")), a.nObs(), where + " n_obs");
        assertEquals(num(exp.get("n_vars")), a.nVars(), where + " n_vars");
        checkFrame(where + " obs", (Map<String, Object>) exp.get("obs"), a.obs());
        checkFrame(where + " var", (Map<String, Object>) exp.get("var"), a.var());
        checkMatrix(where + " X", (Map<String, Object>) exp.get("x"), a.x());
        Map<String, Object> layers = (Map<String, Object>) exp.get("layers");
        assertEquals(layers.keySet(), a.layers().keySet(), where + " layers");
        layers.forEach((k, v) -> checkMatrix(where + " layer " + k, (Map<String, Object>) v, a.layers().get(k)));
        checkShapes(where + " obsm", (Map<String, Object>) exp.get("obsm"), a.obsm());
        checkShapes(where + " varm", (Map<String, Object>) exp.get("varm"), a.varm());
        Map<String, Object> obsp = (Map<String, Object>) exp.get("obsp");
        assertEquals(obsp.keySet(), a.obsp().keySet(), where + " obsp");
        obsp.forEach((k, v) -> checkMatrix(where + " obsp " + k, (Map<String, Object>) v, a.obsp().get(k)));
        assertEquals(new HashSet<>((List<String>) exp.get("uns_keys")), a.uns().keySet(), where + " uns keys");
        Map<String, Object> raw = (Map<String, Object>) exp.get("raw");
        if (raw == null) {
            assertNull(a.raw(), where + " raw");
        } else {
            assertNotNull(a.raw(), where + " raw");
            assertEquals(raw.get("var_names"), a.raw().var().index(), where + " raw var names");
            checkMatrix(where + " raw X", (Map<String, Object>) raw.get("x"), a.raw().x());
        }
    }

    private static void checkShapes(String where, Map<String, Object> exp, Map<String, Matrix> got) {
        assertEquals(exp.keySet(), got.keySet(), where);
        exp.forEach((k, v) -> {
            List<?> shape = (List<?>) v;
            Matrix m = got.get(k);
            assertEquals(num(shape.get(0)), m.nRows(), where + " " + k + " rows");
            assertEquals(shape.size() > 1 ? num(shape.get(1)) : 1, m.nCols(), where + " " + k + " cols");
        });
    }

    @SuppressWarnings("unchecked")
    private static void checkMatrix(String where, Map<String, Object> exp, Matrix m) {
        if (exp == null) {
            assertNull(m, where);
            return;
        }
        assertNotNull(m, where);
        assertEquals(exp.get("encoding"), m.encoding(), where + " encoding");
        List<?> shape = (List<?>) exp.get("shape");
        assertEquals(num(shape.get(0)), m.nRows(), where + " rows");
        assertEquals(num(shape.get(1)), m.nCols(), where + " cols");
        assertEquals(exp.get("dtype"), m.dtype().numpyName(), where + " dtype");
        assertEquals(((Number) exp.get("nnz")).longValue(), m.nnz(), where + " nnz");
        // every stored value once (dense values or sparse data), summed in double
        NumArray values = m instanceof SparseMatrix s ? s.data() : ((DenseMatrix) m).values();
        double sum = 0;
        for (int k = 0; k < values.length(); k++) {
            sum += values.get(k);
        }
        double want = ((Number) exp.get("sum")).doubleValue();
        // scipy sums float32 data in float32, Java in double: allow float32 rounding
        assertEquals(want, sum, 1e-6 * Math.max(1, Math.abs(want)), where + " sum");
        for (Object o : (List<?>) exp.get("entries")) {
            List<?> e = (List<?>) o;
            int i = num(e.get(0));
            int j = num(e.get(1));
            assertEquals(((Number) e.get(2)).doubleValue(), m.get(i, j), 0.0, where + " [" + i + "," + j + "]");
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkFrame(String where, Map<String, Object> exp, DataFrame df) {
        assertEquals(exp.get("index"), df.index(), where + " index");
        Map<String, Object> cols = (Map<String, Object>) exp.get("columns");
        List<String> names = df.columns().stream().map(Column::name).toList();
        assertEquals(new ArrayList<>(cols.keySet()), names, where + " columns");
        for (Map.Entry<String, Object> e : cols.entrySet()) {
            Column c = df.column(e.getKey()).orElseThrow();
            checkColumn(where + "." + e.getKey(), (Map<String, Object>) e.getValue(), c);
        }
    }

    private static void checkColumn(String where, Map<String, Object> exp, Column c) {
        String type = (String) exp.get("type");
        switch (type) {
            case "categorical" -> {
                if (!(c instanceof Column.Categorical k)) {
                    fail(where + " should be categorical, is " + c);
                    return;
                }
                assertEquals(exp.get("categories"), k.categories(), where + " categories");
                List<?> codes = (List<?>) exp.get("codes");
                for (int i = 0; i < codes.size(); i++) {
                    assertEquals(num(codes.get(i)), k.codes()[i], where + " code " + i);
                }
                assertEquals(exp.get("ordered"), k.ordered(), where + " ordered");
            }
            case "numeric" -> {
                if (!(c instanceof Column.Numeric n)) {
                    fail(where + " should be numeric, is " + c);
                    return;
                }
                List<?> v = (List<?>) exp.get("values");
                assertEquals(v.size(), n.length(), where + " length");
                for (int i = 0; i < v.size(); i++) {
                    boolean na = n.valid() != null && !n.valid()[i];
                    double got = n.values().get(i);
                    if (v.get(i) == null) {
                        assertTrue(na || Double.isNaN(got), where + " row " + i + " should be NA");
                    } else {
                        assertTrue(!na, where + " row " + i + " should not be NA");
                        assertEquals(((Number) v.get(i)).doubleValue(), got, 0.0, where + " row " + i);
                    }
                }
            }
            case "bool" -> {
                if (!(c instanceof Column.Bool b)) {
                    fail(where + " should be bool, is " + c);
                    return;
                }
                List<?> v = (List<?>) exp.get("values");
                for (int i = 0; i < v.size(); i++) {
                    boolean na = b.valid() != null && !b.valid()[i];
                    if (v.get(i) == null) {
                        assertTrue(na, where + " row " + i + " should be NA");
                    } else {
                        assertTrue(!na, where + " row " + i + " should not be NA");
                        assertEquals(v.get(i), b.values()[i], where + " row " + i);
                    }
                }
            }
            case "string" -> {
                if (!(c instanceof Column.Strings s)) {
                    fail(where + " should be strings, is " + c);
                    return;
                }
                assertEquals(exp.get("values"), Arrays.asList(s.values()), where);
            }
            default -> fail(where + ": unknown expected type " + type);
        }
    }

    private static int num(Object o) {
        return ((Number) o).intValue();
    }
}
