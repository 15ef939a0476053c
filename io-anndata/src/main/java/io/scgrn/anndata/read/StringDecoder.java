package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Node;

/** {@code string} 0.2.0: a scalar string dataset. */
final class StringDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "string";
    }

    @Override
    public String encodingVersion() {
        return "0.2.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        if (!(node instanceof Dataset ds)) {
            throw ctx.fail(node.getPath(), "encoding 'string' needs a dataset, found a group");
        }
        String[] v = H5Arrays.toStrings(ctx, ds.getPath(), H5Arrays.readFlat(ctx, ds, false));
        if (v.length != 1) {
            throw ctx.fail(ds.getPath(), "encoding 'string' needs one value, found " + v.length);
        }
        return v[0];
    }
}
