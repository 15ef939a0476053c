package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;

/** Shared parts of the nullable-* decoders: the group, its datasets and the inverted mask. */
final class Nullables {
    private Nullables() {
    }

    static Group group(ReadContext ctx, Node node, String encoding) {
        if (node instanceof Group g) {
            return g;
        }
        throw ctx.fail(node.getPath(), "encoding '" + encoding + "' needs a group, found a dataset");
    }

    static Dataset dataset(ReadContext ctx, Group g, String name) {
        Node n = ctx.child(g, name).orElseThrow(() -> ctx.fail(g.getPath() + "/" + name, "missing"));
        if (n instanceof Dataset d) {
            return d;
        }
        throw ctx.fail(n.getPath(), "expected a dataset, found a group");
    }

    /** valid[i] = !mask[i]; the mask must have as many entries as the values. */
    static boolean[] valid(ReadContext ctx, Group g, Dataset values) {
        Dataset mask = dataset(ctx, g, "mask");
        boolean[] m = H5Arrays.toBools(ctx, mask.getPath(), H5Arrays.readFlat(ctx, mask, false));
        long n = H5Arrays.dims(ctx, values).length == 0 ? 1 : values.getDimensionsAsLong()[0];
        if (m.length != n) {
            throw ctx.fail(mask.getPath(), "mask has " + m.length + " entries, values " + n);
        }
        boolean[] valid = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            valid[i] = !m[i];
        }
        return valid;
    }
}
