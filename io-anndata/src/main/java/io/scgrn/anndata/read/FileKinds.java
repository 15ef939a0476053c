package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;

/** Detects what an open HDF5 file holds, from its content rather than its name. */
public final class FileKinds {
    /** The kinds of file {@link io.scgrn.anndata.AnnDataFiles#readAny} understands. */
    public enum Kind { H5AD, H5MU, TENX }

    private FileKinds() {
    }

    /** The kind of the open file; an exception when it is none of them. */
    public static Kind detect(ReadContext ctx) {
        Group root = ctx.hdf();
        String type = ctx.attrString(root, "encoding-type");
        if ("MuData".equalsIgnoreCase(type) || ctx.child(root, "mod").filter(Node::isGroup).isPresent()) {
            return Kind.H5MU;
        }
        if ("anndata".equals(type) || (ctx.child(root, "obs").isPresent() && ctx.child(root, "var").isPresent())) {
            return Kind.H5AD;
        }
        if (ctx.child(root, "matrix").filter(Node::isGroup).isPresent()) {
            return Kind.TENX;
        }
        for (Node n : DictDecoder.children(ctx, root).values()) {
            if (n instanceof Group g && TenXReader.isV2Genome(ctx, g)) {
                return Kind.TENX;
            }
        }
        throw ctx.fail("/", "not an AnnData, MuData or 10x file (no obs/var, /mod or /matrix)");
    }
}
