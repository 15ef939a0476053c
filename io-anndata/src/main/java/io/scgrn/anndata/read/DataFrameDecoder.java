package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;

/** {@code dataframe} 0.2.0: a group whose columns are elements with their own encodings. */
final class DataFrameDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "dataframe";
    }

    @Override
    public String encodingVersion() {
        return "0.2.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        Group g = group(ctx, node);
        return DataFrames.read(ctx, g, n -> decoders.read(ctx, n));
    }
}
