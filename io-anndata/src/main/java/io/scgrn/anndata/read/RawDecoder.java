package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;

/**
 * {@code raw} 0.1.0 met outside an AnnData (where {@link AnnDataReading} reads it with the main obs): X and var,
 * with an obs of row numbers.
 */
final class RawDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "raw";
    }

    @Override
    public String encodingVersion() {
        return "0.1.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        Group g = group(ctx, node);
        return AnnDataReading.raw(ctx, decoders, g, null);
    }
}
