package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;

/** {@code anndata} 0.1.0: a group holding obs, var, X, layers, obsm, varm, obsp, varp, uns and raw. */
final class AnnDataDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "anndata";
    }

    @Override
    public String encodingVersion() {
        return "0.1.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        Group g = group(ctx, node);
        return AnnDataReading.read(ctx, g, decoders);
    }
}
