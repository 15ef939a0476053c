package io.scgrn.anndata.read;

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
}
