package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.ArrayDataType;
import io.jhdf.object.datatype.CompoundDataType;
import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.DenseMatrix;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.NumArray;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The anndata 0.5/0.6 layout: obs and var are compound datasets (field {@code index} holds the names),
 * categorical columns are integer codes whose categories sit in {@code uns/<column>_categories} (or in a
 * {@code __categories} group), obsm/varm are compound datasets with one array field per matrix, and raw is
 * stored as {@code raw.X} (h5sparse or dense), {@code raw.var} and {@code raw.varm}.
 */
final class LegacyV05Reader {
    private LegacyV05Reader() {
    }

    static AnnData read(ReadContext ctx, Group g, Decoders d) {
        String base = ReadContext.clean(g.getPath());
        Map<String, Object> uns = AnnDataReading.uns(ctx, d, g);
        DataFrame obs = frame(ctx, g, ctx.node(AnnDataReading.join(base, "obs")), uns);
        DataFrame var = frame(ctx, g, ctx.node(AnnDataReading.join(base, "var")), uns);
        Matrix x = ctx.child(g, "X").map(n -> AnnDataReading.matrix(ctx, d, n)).orElse(null);
        if (x != null) {
            AnnDataReading.checkShape(ctx, AnnDataReading.join(base, "X"), x, obs.nRows(), var.nRows());
        }
        Map<String, Matrix> obsm = compoundMatrices(ctx, g, "obsm", obs.nRows());
        Map<String, Matrix> varm = compoundMatrices(ctx, g, "varm", var.nRows());
        AnnData raw = null;
        Optional<Node> rawX = ctx.child(g, "raw.X");
        if (rawX.isPresent()) {
            Node rawVarNode = ctx.child(g, "raw.var")
                    .orElseThrow(() -> ctx.fail(AnnDataReading.join(base, "raw.var"), "raw.X without raw.var"));
            DataFrame rawVar = frame(ctx, g, rawVarNode, uns);
            Matrix rx = AnnDataReading.matrix(ctx, d, rawX.get());
            AnnDataReading.checkShape(ctx, rawX.get().getPath(), rx, obs.nRows(), rawVar.nRows());
            raw = new AnnData(ctx.file(), AnnDataReading.join(base, "raw"), obs, rawVar, rx, Map.of(), Map.of(),
                    compoundMatrices(ctx, g, "raw.varm", rawVar.nRows()), Map.of(), Map.of(), Map.of(), null);
        }
        Map<String, Matrix> obsp = new LinkedHashMap<>();
        AnnDataReading.moveNeighborGraphs(ctx, uns, obsp, obs.nRows());
        return new AnnData(ctx.file(), base, obs, var, x, Map.of(), obsm, varm, obsp, Map.of(), uns, raw);
    }

    /**
     * A compound obs/var dataset as a dataframe. Categorical codes take their categories from uns (the entry is
     * removed from uns, as anndata does) or from a {@code __categories} group.
     */
    private static DataFrame frame(ReadContext ctx, Group g, Node n, Map<String, Object> uns) {
        if (!(n instanceof Dataset ds) || !ds.isCompound()) {
            throw ctx.fail(n.getPath(), "legacy dataframe must be a compound dataset");
        }
        Map<String, Object> fields = RecArrayDecoder.fields(ctx, ds);
        Object idx = fields.get("index");
        if (!(idx instanceof String[] index)) {
            throw ctx.fail(ds.getPath(), "legacy dataframe has no string 'index' field");
        }
        DataFrame plain = RecArrayDecoder.read(ctx, ds, List.of("index"));
        List<Column> cols = new ArrayList<>();
        for (Column c : plain.columns()) {
            Object cats = categories(ctx, g, uns, c.name());
            if (cats != null && c instanceof Column.Numeric num && num.dtype().isInteger()) {
                String catPath = ds.getPath() + "." + c.name();
                List<String> labels = Columns.labels(ctx, catPath, cats);
                int[] codes = new int[num.length()];
                for (int i = 0; i < codes.length; i++) {
                    codes[i] = (int) num.values().get(i);
                }
                CategoricalDecoder.checkCodes(ctx, catPath, codes, labels.size());
                cols.add(new Column.Categorical(c.name(), codes, labels, false, Columns.labelDtype(cats),
                        "categorical"));
                uns.remove(c.name() + "_categories");
            } else {
                cols.add(c);
            }
        }
        return new DataFrame("index", List.of(index), cols);
    }

    private static Object categories(ReadContext ctx, Group g, Map<String, Object> uns, String column) {
        Object v = uns.get(column + "_categories");
        if (v instanceof String[] s) {
            return new Column.Strings("categories", s, "array");
        }
        if (v instanceof NumArray a) {
            return new Column.Numeric("categories", a instanceof NumArray.F32 ? DType.FLOAT32 : DType.FLOAT64,
                    a, null, "array");
        }
        Optional<Node> cg = ctx.child(g, "__categories");
        if (cg.isPresent() && cg.get() instanceof Group cgg) {
            Optional<Node> c = ctx.child(cgg, column);
            if (c.isPresent()) {
                return Decoders.standard().read(ctx, c.get());
            }
        }
        return null;
    }

    /** obsm/varm as a compound dataset: each field of shape (k,) is an n x k matrix. */
    private static Map<String, Matrix> compoundMatrices(ReadContext ctx, Group g, String name, int rows) {
        Map<String, Matrix> out = new LinkedHashMap<>();
        Optional<Node> n = ctx.child(g, name);
        if (n.isEmpty()) {
            return out;
        }
        if (!(n.get() instanceof Dataset ds) || !ds.isCompound()) {
            throw ctx.fail(n.get().getPath(), "legacy " + name + " must be a compound dataset");
        }
        Map<String, Object> fields = RecArrayDecoder.fields(ctx, ds);
        CompoundDataType ct = (CompoundDataType) ds.getDataType();
        for (CompoundDataType.CompoundDataMember m : ct.getMembers()) {
            Object v = fields.get(m.getName());
            DType t = H5Arrays.dtype(m.getDataType());
            if (t == null && m.getDataType() instanceof ArrayDataType at) {
                t = H5Arrays.dtype(at.getBaseType());
            }
            String path = ds.getPath() + "." + m.getName();
            if (v == null || t == null || t == DType.STRING) {
                throw ctx.fail(path, "not a numeric matrix field");
            }
            int n0 = Array.getLength(v);
            if (n0 != rows) {
                throw ctx.fail(path, "has " + n0 + " rows, expected " + rows);
            }
            int k = 1;
            Object flat = v;
            if (v.getClass().getComponentType().isArray()) {
                k = n0 == 0 ? 0 : Array.getLength(Array.get(v, 0));
                flat = H5Arrays.flatten(v, new int[] {n0, k});
            }
            out.put(m.getName(), new DenseMatrix(n0, k, t, H5Arrays.toNum(ctx, path, flat, t)));
        }
        return out;
    }
}
