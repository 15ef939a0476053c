package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.SparseMatrix;

/**
 * The h5sparse layout of anndata before 0.7 ({@code raw.X}, {@code uns/neighbors/connectivities}): a group with
 * {@code h5sparse_format} ("csr"/"csc") and {@code h5sparse_shape} attributes. Not in the registry because it has
 * no encoding attributes; {@link Decoders} picks it by the {@code h5sparse_format} attribute.
 */
final class H5SparseDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "h5sparse";
    }

    @Override
    public String encodingVersion() {
        return "";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        if (!(node instanceof Group g)) {
            throw ctx.fail(node.getPath(), "h5sparse matrix needs a group, found a dataset");
        }
        String fmt = ctx.attrString(g, "h5sparse_format");
        SparseMatrix.Layout layout = switch (fmt == null ? "" : fmt) {
            case "csr" -> SparseMatrix.Layout.CSR;
            case "csc" -> SparseMatrix.Layout.CSC;
            default -> throw ctx.fail(g.getPath(), "unknown h5sparse_format '" + fmt + "'");
        };
        return SparseReader.read(ctx, g, layout, ctx.attrLongs(g, "h5sparse_shape"));
    }
}
