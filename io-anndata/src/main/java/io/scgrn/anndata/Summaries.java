package io.scgrn.anndata;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.read.FileKinds;
import io.scgrn.anndata.read.H5Files;
import io.scgrn.anndata.read.H5muReader;
import io.scgrn.anndata.read.LazySummary;
import io.scgrn.anndata.read.ReadContext;
import io.scgrn.anndata.read.TenXReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@link Summary} trees for the CLI's {@code inspect} and the server's dataset metadata. */
public final class Summaries {
    /** How deep {@link #encodings} walks: root, modalities, their elements and one level below. */
    private static final int MAX_DEPTH = 4;

    private Summaries() {
    }

    /** Summarises a dataset read in memory; {@link Summary#encodings()} is read from its file when it has one. */
    public static Summary summarize(MuData md) {
        List<Summary.Modality> mods = new ArrayList<>();
        md.mod().forEach((name, a) -> mods.add(modality(name, a)));
        Map<String, String> enc = md.source() != null && Files.isRegularFile(md.source())
                ? encodings(md.source()) : Map.of();
        List<Summary.ColumnInfo> globalObs = "h5mu".equals(md.kind()) ? columns(md.obs()) : List.of();
        return new Summary(md.source(), md.kind(), md.axis(), md.nObs(), md.nVars(), mods,
                List.copyOf(md.uns() == null ? List.of() : md.uns().keySet()), globalObs, enc);
    }

    /** One modality. */
    public static Summary.Modality modality(String name, AnnData a) {
        return new Summary.Modality(name, a.nObs(), a.nVars(), a.x() == null ? null : matrix(a.x()),
                columns(a.obs()), columns(a.var()), keys(a.layers()), keys(a.obsm()), keys(a.varm()),
                keys(a.obsp()), keys(a.varp()), keys(a.uns()), a.raw() == null ? -1 : a.raw().nVars());
    }

    private static List<String> keys(Map<String, ?> m) {
        return m == null ? List.of() : List.copyOf(m.keySet());
    }

    /** Encoding, dtype, shape, nnz and density of a matrix. */
    public static Summary.MatrixInfo matrix(Matrix m) {
        double cells = (double) m.nRows() * m.nCols();
        return new Summary.MatrixInfo(m.encoding(), m.dtype().numpyName(), m.nRows(), m.nCols(), m.nnz(),
                cells == 0 ? Double.NaN : m.nnz() / cells);
    }

    /** One entry per column. */
    public static List<Summary.ColumnInfo> columns(DataFrame df) {
        List<Summary.ColumnInfo> out = new ArrayList<>();
        for (Column c : df.columns()) {
            out.add(column(c));
        }
        return out;
    }

    private static Summary.ColumnInfo column(Column c) {
        if (c instanceof Column.Categorical k) {
            long na = 0;
            for (int code : k.codes()) {
                na += code < 0 ? 1 : 0;
            }
            return new Summary.ColumnInfo(k.name(), "categorical", k.categoryDtype().numpyName(), k.encoding(),
                    k.categories().size(), k.ordered(), na);
        }
        if (c instanceof Column.Numeric n) {
            long na = 0;
            for (int i = 0; i < n.length(); i++) {
                na += (n.valid() != null && !n.valid()[i]) || Double.isNaN(n.values().get(i)) ? 1 : 0;
            }
            return new Summary.ColumnInfo(n.name(), "numeric", n.dtype().numpyName(), n.encoding(), -1, false, na);
        }
        if (c instanceof Column.Bool b) {
            long na = 0;
            if (b.valid() != null) {
                for (boolean v : b.valid()) {
                    na += v ? 0 : 1;
                }
            }
            return new Summary.ColumnInfo(b.name(), "bool", "bool", b.encoding(), -1, false, na);
        }
        Column.Strings s = (Column.Strings) c;
        long na = 0;
        for (String v : s.values()) {
            na += v == null ? 1 : 0;
        }
        return new Summary.ColumnInfo(s.name(), "string", "str", s.encoding(), -1, false, na);
    }

    /**
     * The {@code encoding-type}/{@code encoding-version} attributes of the file's elements down to a few levels
     * (root, X, obs, var, layers/*, mod/*, mod/*&#47;X, …), as path → "type version".
     */
    public static Map<String, String> encodings(Path file) {
        return H5Files.withFile(file, Summaries::encodings);
    }

    private static Map<String, String> encodings(ReadContext ctx) {
        Map<String, String> out = new LinkedHashMap<>();
        walk(ctx, ctx.hdf(), 0, out);
        return out;
    }

    /**
     * Summarises a file without loading its matrices: obs/var tables are read (they are small), matrices are
     * described from their HDF5 dimensions and attributes only, so this works for files far larger than the heap.
     * 10x files and anndata 0.5 layouts are read whole (their obs/var are not separate from the matrix).
     */
    public static Summary summarizeFile(Path file) {
        return H5Files.withFile(file, ctx -> {
            FileKinds.Kind kind = FileKinds.detect(ctx);
            if (kind == FileKinds.Kind.TENX) {
                MuData md = TenXReader.read(ctx);
                List<Summary.Modality> mods = new ArrayList<>();
                md.mod().forEach((name, a) -> mods.add(modality(name, a)));
                return new Summary(file, md.kind(), 0, md.nObs(), md.nVars(), mods, List.of(), List.of(), Map.of());
            }
            List<Summary.Modality> mods = new ArrayList<>();
            Group root = ctx.hdf();
            if (kind == FileKinds.Kind.H5AD) {
                mods.add(LazySummary.modality(ctx, AnnDataFiles.SINGLE_MODALITY, root));
                Summary.Modality m = mods.get(0);
                return new Summary(file, "h5ad", 0, m.nObs(), m.nVars(), mods, m.unsKeys(), List.of(),
                        encodings(ctx));
            }
            Group mod = ctx.group("/mod");
            for (String name : H5muReader.modalityOrder(ctx, mod)) {
                mods.add(LazySummary.modality(ctx, name, ctx.group("/mod/" + name)));
            }
            long[] axisAttr = ctx.attrLongs(root, "axis");
            int axis = axisAttr == null || axisAttr.length == 0 ? 0 : (int) axisAttr[0];
            int nObs = LazySummary.rows(ctx, root, "obs", mods.isEmpty() ? 0 : mods.get(0).nObs());
            int nVars = LazySummary.rows(ctx, root, "var",
                    mods.stream().mapToInt(Summary.Modality::nVars).sum());
            // Without a global obs/var the reader builds them from the modalities, without columns.
            List<Summary.ColumnInfo> globalObs = ctx.child(root, "obs").isEmpty() || ctx.child(root, "var").isEmpty()
                    ? List.of() : LazySummary.modality(ctx, "", root).obs();
            return new Summary(file, "h5mu", axis, nObs, nVars, mods, LazySummary.childNames(ctx, root, "uns"),
                    globalObs, encodings(ctx));
        });
    }

    private static void walk(ReadContext ctx, Node n, int depth, Map<String, String> out) {
        String type = ctx.attrString(n, "encoding-type");
        if (type != null) {
            String version = ctx.attrString(n, "encoding-version");
            out.put(ReadContext.clean(n.getPath()), type + " " + (version == null ? "?" : version));
        }
        boolean leafEncoding = type != null && !type.equals("dict") && !type.equals("anndata")
                && !type.equalsIgnoreCase("MuData") && !type.equals("raw") && !type.equals("dataframe");
        if (depth >= MAX_DEPTH || !(n instanceof Group g) || leafEncoding) {
            return;
        }
        for (Node child : g.getChildren().values()) {
            walk(ctx, child, depth + 1, out);
        }
    }
}
