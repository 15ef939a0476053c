package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.Matrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one AnnData group (the root of an .h5ad or {@code /mod/<name>} of an .h5mu), whatever its vintage: with
 * encoding attributes (anndata >= 0.8), the 0.7 layout (dataframes with {@code __categories}, no attributes on
 * dicts) or the 0.5 layout (compound obs/var datasets, see {@link LegacyV05Reader}). Checks that every matrix
 * agrees with obs and var.
 */
public final class AnnDataReading {
    private static final Logger LOG = LoggerFactory.getLogger(AnnDataReading.class);

    private AnnDataReading() {
    }

    /** Reads the AnnData stored in group {@code g}. */
    public static AnnData read(ReadContext ctx, Group g, Decoders d) {
        return read(ctx, g, d, true);
    }

    /**
     * Reads the AnnData stored in group {@code g} without its large matrices, for callers that stream the matrix
     * ({@code io.scgrn.anndata.MatrixBlocks}): X and raw.X are null, layers, obsp, varp and varm are left out and
     * obsm keeps only embeddings of at most 2 columns (chosen from the HDF5 metadata, before anything is read).
     * obs, var, raw.var and uns are read as usual. Files in the anndata 0.5 layout are read whole.
     */
    public static AnnData readMetadata(ReadContext ctx, Group g) {
        return read(ctx, g, Decoders.standard(), false);
    }

    /**
     * Reads the AnnData stored in group {@code g} whole except X (null), for callers that stream X
     * ({@code io.scgrn.anndata.MatrixBlocks}) but use the rest (varm, layers, raw). Files in the anndata 0.5 layout
     * are read whole.
     */
    public static AnnData readWithoutX(ReadContext ctx, Group g) {
        return read(ctx, g, Decoders.standard(), true, false);
    }

    private static AnnData read(ReadContext ctx, Group g, Decoders d, boolean matrices) {
        return read(ctx, g, d, matrices, matrices);
    }

    private static AnnData read(ReadContext ctx, Group g, Decoders d, boolean matrices, boolean withX) {
        String base = ReadContext.clean(g.getPath());
        Node obsNode = ctx.child(g, "obs").orElse(null);
        Node varNode = ctx.child(g, "var").orElse(null);
        if (obsNode == null || varNode == null) {
            throw ctx.fail(base, "not an AnnData group: no " + (obsNode == null ? "obs" : "var"));
        }
        if (obsNode instanceof Dataset) {
            return LegacyV05Reader.read(ctx, g, d);
        }
        DataFrame obs = frame(ctx, d, obsNode);
        DataFrame var = frame(ctx, d, varNode);
        int nObs = obs.nRows();
        int nVars = var.nRows();
        Matrix x = !withX ? null : ctx.child(g, "X").map(n -> matrix(ctx, d, n)).orElse(null);
        if (x != null) {
            checkShape(ctx, join(base, "X"), x, nObs, nVars);
        }
        Map<String, Matrix> layers = matrices ? matrices(ctx, d, g, "layers", nObs, nVars) : new LinkedHashMap<>();
        Map<String, Matrix> obsm = matrices ? matrices(ctx, d, g, "obsm", nObs, -1) : embeddings(ctx, d, g, nObs);
        Map<String, Matrix> varm = matrices ? matrices(ctx, d, g, "varm", nVars, -1) : new LinkedHashMap<>();
        Map<String, Matrix> obsp = matrices ? matrices(ctx, d, g, "obsp", nObs, nObs) : new LinkedHashMap<>();
        Map<String, Matrix> varp = matrices ? matrices(ctx, d, g, "varp", nVars, nVars) : new LinkedHashMap<>();
        Map<String, Object> uns = uns(ctx, d, g);
        moveNeighborGraphs(ctx, uns, obsp, nObs);
        AnnData raw = null;
        Optional<Node> rawNode = ctx.child(g, "raw");
        if (rawNode.isPresent()) {
            if (!(rawNode.get() instanceof Group rg)) {
                throw ctx.fail(join(base, "raw"), "expected a group");
            }
            raw = raw(ctx, d, rg, obs, matrices);
        }
        return new AnnData(ctx.file(), base, obs, var, x, layers, obsm, varm, obsp, varp, uns, raw);
    }

    /**
     * A raw group: X and var (and varm) of its own, sharing the main obs. With {@code obs} null (raw met on its
     * own) the obs is the row numbers of X.
     */
    static AnnData raw(ReadContext ctx, Decoders d, Group rg, DataFrame obs) {
        return raw(ctx, d, rg, obs, true);
    }

    private static AnnData raw(ReadContext ctx, Decoders d, Group rg, DataFrame obs, boolean matrices) {
        String base = ReadContext.clean(rg.getPath());
        Node varNode = ctx.child(rg, "var").orElseThrow(() -> ctx.fail(join(base, "var"), "raw has no var"));
        DataFrame var = frame(ctx, d, varNode);
        Matrix x = !matrices ? null : ctx.child(rg, "X").map(n -> matrix(ctx, d, n)).orElse(null);
        if (obs == null) {
            List<String> rows = new ArrayList<>();
            for (int i = 0; x != null && i < x.nRows(); i++) {
                rows.add(Integer.toString(i));
            }
            obs = DataFrame.empty(rows);
        }
        if (x != null) {
            checkShape(ctx, join(base, "X"), x, obs.nRows(), var.nRows());
        }
        Map<String, Matrix> varm = matrices ? matrices(ctx, d, rg, "varm", var.nRows(), -1) : Map.of();
        return new AnnData(ctx.file(), base, obs, var, x, Map.of(), Map.of(), varm, Map.of(), Map.of(), Map.of(),
                null);
    }

    /** obsm entries of at most 2 columns (embeddings), chosen from metadata so that nothing larger is read. */
    private static Map<String, Matrix> embeddings(ReadContext ctx, Decoders d, Group g, int nObs) {
        Map<String, Matrix> out = new LinkedHashMap<>();
        Optional<Node> n = ctx.child(g, "obsm");
        if (n.isEmpty() || !(n.get() instanceof Group mg)) {
            return out;
        }
        for (Map.Entry<String, Node> e : DictDecoder.children(ctx, mg).entrySet()) {
            if (!(e.getValue() instanceof Dataset ds)) {
                continue; // dataframes and sparse obsm are not embeddings to plot
            }
            long[] dims = H5Arrays.dims(ctx, ds);
            if (dims.length == 2 && dims[1] <= 2 && d.read(ctx, ds) instanceof Matrix m) {
                checkShape(ctx, ds.getPath(), m, nObs, -1);
                out.put(e.getKey(), m);
            }
        }
        return out;
    }

    static String join(String base, String name) {
        return base.equals("/") ? "/" + name : base + "/" + name;
    }

    static DataFrame frame(ReadContext ctx, Decoders d, Node n) {
        Object v = d.read(ctx, n);
        if (v instanceof DataFrame df) {
            return df;
        }
        throw ctx.fail(n.getPath(), "expected a dataframe, found " + Columns.describe(v));
    }

    static Matrix matrix(ReadContext ctx, Decoders d, Node n) {
        Object v = d.read(ctx, n);
        if (v instanceof Matrix m) {
            return m;
        }
        throw ctx.fail(n.getPath(), "expected a matrix, found " + Columns.describe(v));
    }

    static void checkShape(ReadContext ctx, String path, Matrix m, int rows, int cols) {
        if (m.nRows() != rows || (cols >= 0 && m.nCols() != cols)) {
            throw ctx.fail(path, "is " + m.nRows() + " x " + m.nCols() + " but should be " + rows + " x "
                    + (cols >= 0 ? Integer.toString(cols) : "k"));
        }
    }

    /**
     * The matrices of a mapping group (layers, obsm, …); entries that are not matrices (an obsm dataframe) are
     * skipped with a warning, since nothing downstream uses them.
     */
    static Map<String, Matrix> matrices(ReadContext ctx, Decoders d, Group g, String name, int rows, int cols) {
        Map<String, Matrix> out = new LinkedHashMap<>();
        Optional<Node> n = ctx.child(g, name);
        if (n.isEmpty()) {
            return out;
        }
        if (!(n.get() instanceof Group mg)) {
            throw ctx.fail(n.get().getPath(), "expected a group");
        }
        for (Map.Entry<String, Node> e : DictDecoder.children(ctx, mg).entrySet()) {
            Object v = d.read(ctx, e.getValue());
            if (v instanceof Matrix m) {
                checkShape(ctx, e.getValue().getPath(), m, rows, cols);
                out.put(e.getKey(), m);
            } else {
                LOG.warn("{}:{}: {} entry is a {}, not a matrix; skipped", ctx.file(),
                        ReadContext.clean(e.getValue().getPath()), name, Columns.describe(v));
            }
        }
        return out;
    }

    /**
     * Files written before anndata 0.7 keep the neighbour graphs in {@code uns/neighbors}; anndata moves them to
     * obsp on reading, and so do we.
     */
    @SuppressWarnings("unchecked")
    static void moveNeighborGraphs(ReadContext ctx, Map<String, Object> uns, Map<String, Matrix> obsp, int nObs) {
        if (!(uns.get("neighbors") instanceof Map<?, ?> n)) {
            return;
        }
        Map<String, Object> neighbors = (Map<String, Object>) n;
        for (String k : new String[] {"distances", "connectivities"}) {
            if (neighbors.get(k) instanceof Matrix m && m.nRows() == nObs && m.nCols() == nObs) {
                LOG.info("{}: moving uns/neighbors/{} to obsp", ctx.file(), k);
                obsp.put(k, m);
                neighbors.remove(k);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> uns(ReadContext ctx, Decoders d, Group g) {
        Optional<Node> n = ctx.child(g, "uns");
        if (n.isEmpty()) {
            return new LinkedHashMap<>();
        }
        Object v = d.read(ctx, n.get());
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw ctx.fail(n.get().getPath(), "expected a dict, found " + Columns.describe(v));
    }
}
