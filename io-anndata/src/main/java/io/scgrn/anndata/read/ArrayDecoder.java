package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DenseMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code array} 0.2.0: a plain dataset. Rank 0 gives a scalar (String, Long, Double, Boolean), rank 1 a
 * {@link Column}, rank 2 a {@link DenseMatrix}; higher ranks are flattened to a NumArray with a warning.
 */
final class ArrayDecoder implements ElementDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ArrayDecoder.class);

    @Override
    public String encodingType() {
        return "array";
    }

    @Override
    public String encodingVersion() {
        return "0.2.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        if (!(node instanceof Dataset ds)) {
            throw ctx.fail(node.getPath(), "encoding 'array' needs a dataset, found a group");
        }
        if (ds.isCompound()) {
            return decoders.find("rec-array", "0.2.0").decode(ctx, node, decoders);
        }
        String path = ds.getPath();
        DType dtype = H5Arrays.dtype(ds);
        if (dtype == null) {
            throw ctx.fail(path, "unsupported element type " + ds.getDataType().getClass().getSimpleName());
        }
        long[] dims = H5Arrays.dims(ctx, ds);
        Object flat = H5Arrays.readFlat(ctx, ds, true);
        if (dims.length == 0) {
            return scalar(ctx, path, flat, dtype);
        }
        if (dims.length == 1) {
            return column(ctx, ds.getName(), path, flat, dtype, "array");
        }
        if (dims.length == 2) {
            if (dtype == DType.STRING) {
                throw ctx.fail(path, "a 2-D string array is not a matrix");
            }
            return new DenseMatrix((int) dims[0], (int) dims[1], dtype, H5Arrays.toNum(ctx, path, flat, dtype));
        }
        LOG.warn("{}:{}: {}-D array flattened", ctx.file(), path, dims.length);
        if (dtype == DType.STRING) {
            return H5Arrays.toStrings(ctx, path, flat);
        }
        return H5Arrays.toNum(ctx, path, flat, dtype);
    }

    static Object scalar(ReadContext ctx, String path, Object flat, DType dtype) {
        return switch (dtype) {
            case STRING -> H5Arrays.toStrings(ctx, path, flat)[0];
            case BOOL -> H5Arrays.toBools(ctx, path, flat)[0];
            case FLOAT32, FLOAT64 -> H5Arrays.toNum(ctx, path, flat, DType.FLOAT64).get(0);
            default -> H5Arrays.toLongs(ctx, path, flat)[0];
        };
    }

    /** A 1-D array as the matching column type. */
    static Column column(ReadContext ctx, String name, String path, Object flat, DType dtype, String encoding) {
        return switch (dtype) {
            case STRING -> new Column.Strings(name, H5Arrays.toStrings(ctx, path, flat), encoding);
            case BOOL -> new Column.Bool(name, H5Arrays.toBools(ctx, path, flat), null, encoding);
            default -> new Column.Numeric(name, dtype, H5Arrays.toNum(ctx, path, flat, dtype), null, encoding);
        };
    }
}
