package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.scgrn.anndata.Column;

/** {@code string-array} 0.2.0: a variable-length string dataset, read as a {@link Column.Strings}. */
final class StringArrayDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "string-array";
    }

    @Override
    public String encodingVersion() {
        return "0.2.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        if (!(node instanceof Dataset ds)) {
            throw ctx.fail(node.getPath(), "encoding 'string-array' needs a dataset, found a group");
        }
        String[] values = H5Arrays.toStrings(ctx, ds.getPath(), H5Arrays.readFlat(ctx, ds, false));
        return new Column.Strings(ds.getName(), values, "string-array");
    }
}
