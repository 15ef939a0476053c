package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.SparseMatrix;

/** {@code csr_matrix} 0.1.0: a group with data, indices, indptr and a {@code shape} attribute. */
final class CsrMatrixDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "csr_matrix";
    }

    @Override
    public String encodingVersion() {
        return "0.1.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        if (!(node instanceof Group g)) {
            throw ctx.fail(node.getPath(), "encoding 'csr_matrix' needs a group, found a dataset");
        }
        return SparseReader.read(ctx, g, SparseMatrix.Layout.CSR, ctx.attrLongs(g, "shape"));
    }
}
