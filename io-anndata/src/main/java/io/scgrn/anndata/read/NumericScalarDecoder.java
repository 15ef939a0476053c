package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.scgrn.anndata.DType;
import java.lang.reflect.Array;

/** {@code numeric-scalar} 0.2.0: a scalar number or bool, read as Long, Double or Boolean. */
final class NumericScalarDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "numeric-scalar";
    }

    @Override
    public String encodingVersion() {
        return "0.2.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        if (!(node instanceof Dataset ds)) {
            throw ctx.fail(node.getPath(), "encoding 'numeric-scalar' needs a dataset, found a group");
        }
        DType dtype = H5Arrays.dtype(ds);
        if (dtype == null || dtype == DType.STRING) {
            throw ctx.fail(ds.getPath(), "encoding 'numeric-scalar' needs a number");
        }
        Object flat = H5Arrays.readFlat(ctx, ds, false);
        if (Array.getLength(flat) != 1) {
            throw ctx.fail(ds.getPath(), "encoding 'numeric-scalar' needs one value");
        }
        return ArrayDecoder.scalar(ctx, ds.getPath(), flat, dtype);
    }
}
