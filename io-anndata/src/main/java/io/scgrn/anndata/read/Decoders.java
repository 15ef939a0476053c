package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.AnnDataException;
import io.scgrn.anndata.SparseMatrix;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of element decoders, keyed by encoding type and version. Nodes without encoding attributes (files
 * written before anndata 0.7.x, or muon) fall back to what their HDF5 shape says: a dataset is an array (or a
 * rec-array when compound), a group with {@code h5sparse_format} is an h5sparse matrix, any other group a dict.
 */
public final class Decoders {
    private static final Decoders STANDARD = new Decoders(List.of(
            new ArrayDecoder(), new StringArrayDecoder(), new StringDecoder(), new NumericScalarDecoder(),
            new CategoricalDecoder(), new NullableIntegerDecoder(), new NullableBooleanDecoder(),
            new NullableStringArrayDecoder(), new SparseMatrixDecoder(SparseMatrix.Layout.CSR),
            new SparseMatrixDecoder(SparseMatrix.Layout.CSC),
            new DataFrameDecoder(), new LegacyDataFrameDecoder(), new DictDecoder(), new RecArrayDecoder(),
            new AnnDataDecoder(), new RawDecoder()));

    private final Map<String, ElementDecoder> byKey = new HashMap<>();

    private Decoders(List<ElementDecoder> decoders) {
        for (ElementDecoder d : decoders) {
            byKey.put(key(d.encodingType(), d.encodingVersion()), d);
        }
    }

    /** The decoders for every encoding this library reads. */
    public static Decoders standard() {
        return STANDARD;
    }

    private static String key(String type, String version) {
        return type + "@" + version;
    }

    /** The decoder registered for a type and version, or null. */
    public ElementDecoder find(String type, String version) {
        return byKey.get(key(type, version));
    }

    /** The encoding type of a node: its attribute, or what the legacy layout implies. */
    public static String encodingType(ReadContext ctx, Node node) {
        String t = ctx.attrString(node, "encoding-type");
        if (t != null) {
            return t;
        }
        if (node instanceof Dataset ds) {
            return ds.isCompound() ? "rec-array" : "array";
        }
        if (ctx.attr(node, "h5sparse_format") != null) {
            return "h5sparse";
        }
        return "dict";
    }

    /** Decodes any element, wrapping every failure with the file and the node's path. */
    public Object read(ReadContext ctx, Node node) {
        String path = node.getPath();
        try {
            String type = ctx.attrString(node, "encoding-type");
            ElementDecoder d;
            if (type == null) {
                d = legacy(ctx, node);
            } else {
                String version = ctx.attrString(node, "encoding-version");
                d = find(type, version == null ? "" : version);
                if (d == null) {
                    throw ctx.fail(path, "unknown encoding '" + type + "' version '" + version + "'");
                }
            }
            return d.decode(ctx, node, this);
        } catch (AnnDataException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw ctx.wrap(path, e);
        }
    }

    private ElementDecoder legacy(ReadContext ctx, Node node) {
        if (node instanceof Dataset ds) {
            return ds.isCompound() ? find("rec-array", "0.2.0") : find("array", "0.2.0");
        }
        if (ctx.attr(node, "h5sparse_format") != null) {
            return new H5SparseDecoder();
        }
        if (node instanceof Group) {
            return find("dict", "0.1.0");
        }
        throw ctx.fail(node.getPath(), "neither a dataset nor a group");
    }
}
