package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.anndata.Summaries;
import io.scgrn.anndata.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Summaries of AnnData groups that read obs/var but describe matrices from HDF5 metadata only (dimensions,
 * dtype, shape attributes), for {@link Summaries#summarizeFile}.
 */
public final class LazySummary {
    private LazySummary() {
    }

    /** One modality stored in group {@code g}. */
    public static Summary.Modality modality(ReadContext ctx, String name, Group g) {
        Decoders d = Decoders.standard();
        Node obsNode = ctx.child(g, "obs").orElseThrow(() -> ctx.fail(g.getPath(), "not an AnnData group: no obs"));
        if (obsNode instanceof Dataset) {
            // anndata 0.5: compound tables, read whole
            AnnData a = H5adReader.read(ctx, g);
            return Summaries.modality(name, a);
        }
        Node varNode = ctx.child(g, "var").orElseThrow(() -> ctx.fail(g.getPath(), "not an AnnData group: no var"));
        DataFrame obs = AnnDataReading.frame(ctx, d, obsNode);
        DataFrame var = AnnDataReading.frame(ctx, d, varNode);
        Summary.MatrixInfo x = ctx.child(g, "X").map(n -> matrix(ctx, n)).orElse(null);
        int rawNVars = -1;
        Optional<Node> raw = ctx.child(g, "raw");
        if (raw.isPresent() && raw.get() instanceof Group rg) {
            rawNVars = ctx.child(rg, "var").map(n -> AnnDataReading.frame(ctx, d, n).nRows()).orElse(-1);
        }
        return new Summary.Modality(name, obs.nRows(), var.nRows(), x, Summaries.columns(obs),
                Summaries.columns(var), childNames(ctx, g, "layers"), childNames(ctx, g, "obsm"),
                childNames(ctx, g, "varm"), childNames(ctx, g, "obsp"), childNames(ctx, g, "varp"),
                childNames(ctx, g, "uns"), rawNVars);
    }

    /** Encoding, dtype, shape and nnz of a matrix node, from metadata only. */
    static Summary.MatrixInfo matrix(ReadContext ctx, Node n) {
        if (n instanceof Dataset ds) {
            long[] dims = H5Arrays.dims(ctx, ds);
            DType t = H5Arrays.dtype(ds);
            if (dims.length != 2 || t == null) {
                throw ctx.fail(ds.getPath(), "not a 2-D numeric matrix");
            }
            return info("array", t, (int) dims[0], (int) dims[1], dims[0] * dims[1]);
        }
        Group g = (Group) n;
        String type = Decoders.encodingType(ctx, g);
        SparseReader.Layout l = switch (type) {
            case "csr_matrix" -> SparseReader.layout(ctx, g, SparseMatrix.Layout.CSR, ctx.attrLongs(g, "shape"));
            case "csc_matrix" -> SparseReader.layout(ctx, g, SparseMatrix.Layout.CSC, ctx.attrLongs(g, "shape"));
            case "h5sparse" -> SparseReader.layout(ctx, g,
                    "csc".equals(ctx.attrString(g, "h5sparse_format")) ? SparseMatrix.Layout.CSC
                            : SparseMatrix.Layout.CSR, ctx.attrLongs(g, "h5sparse_shape"));
            default -> throw ctx.fail(g.getPath(), "unknown matrix encoding '" + type + "'");
        };
        String enc = l.layout() == SparseMatrix.Layout.CSR ? "csr_matrix" : "csc_matrix";
        return info(enc, H5Arrays.dtype(l.data()), l.nRows(), l.nCols(), l.nnz());
    }

    private static Summary.MatrixInfo info(String enc, DType t, int rows, int cols, long nnz) {
        double cells = (double) rows * cols;
        return new Summary.MatrixInfo(enc, t.numpyName(), rows, cols, nnz, cells == 0 ? Double.NaN : nnz / cells);
    }

    /** Names of the children of {@code g/name}, or none. */
    public static List<String> childNames(ReadContext ctx, Group g, String name) {
        Optional<Node> n = ctx.child(g, name);
        if (n.isPresent() && n.get() instanceof Group c) {
            return new ArrayList<>(DictDecoder.children(ctx, c).keySet());
        }
        return List.of();
    }

    /** Rows of the dataframe {@code g/name}, or {@code dflt} when absent. */
    public static int rows(ReadContext ctx, Group g, String name, int dflt) {
        return ctx.child(g, name).map(n -> AnnDataReading.frame(ctx, Decoders.standard(), n).nRows()).orElse(dflt);
    }
}
