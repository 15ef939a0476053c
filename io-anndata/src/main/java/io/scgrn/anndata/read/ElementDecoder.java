package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;

/**
 * Decodes one anndata element encoding at one version (for example {@code csr_matrix} 0.1.0). Implementations are
 * stateless; {@link Decoders} picks one from the node's {@code encoding-type} and {@code encoding-version}.
 */
public interface ElementDecoder {
    /** The {@code encoding-type} attribute value handled. */
    String encodingType();

    /** The {@code encoding-version} attribute value handled. */
    String encodingVersion();

    /**
     * Decodes {@code node}. Returns one of: {@link io.scgrn.anndata.Matrix}, {@link io.scgrn.anndata.Column} (for
     * 1-D arrays and column encodings), {@link io.scgrn.anndata.DataFrame}, {@code Map<String,Object>},
     * {@link io.scgrn.anndata.AnnData}, String, Long, Double, Boolean or {@link io.scgrn.anndata.NumArray}.
     */
    Object decode(ReadContext ctx, Node node, Decoders decoders);

    /**
     * {@code node} as the group this encoding is stored in; a dataset instead fails with the node's path
     * ("encoding 'TYPE' needs a group, found a dataset").
     */
    default Group group(ReadContext ctx, Node node) {
        if (!(node instanceof Group g)) {
            throw ctx.fail(node.getPath(), "encoding '" + encodingType() + "' needs a group, found a dataset");
        }
        return g;
    }
}
