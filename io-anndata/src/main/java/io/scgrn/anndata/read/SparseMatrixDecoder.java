package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.SparseMatrix;

/**
 * {@code csr_matrix} and {@code csc_matrix} 0.1.0 (one decoder per layout): a group with data, indices, indptr and a
 * {@code shape} attribute.
 */
record SparseMatrixDecoder(SparseMatrix.Layout layout) implements ElementDecoder {
    @Override
    public String encodingType() {
        return layout == SparseMatrix.Layout.CSR ? "csr_matrix" : "csc_matrix";
    }

    @Override
    public String encodingVersion() {
        return "0.1.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        Group g = group(ctx, node);
        return SparseReader.read(ctx, g, layout, ctx.attrLongs(g, "shape"));
    }
}
