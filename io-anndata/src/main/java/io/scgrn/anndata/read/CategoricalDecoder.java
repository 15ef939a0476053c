package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.Column;

import java.util.List;

/** {@code categorical} 0.2.0: a group with {@code codes}, {@code categories} and an {@code ordered} attribute. */
final class CategoricalDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "categorical";
    }

    @Override
    public String encodingVersion() {
        return "0.2.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        Group g = group(ctx, node);
        Node codesNode = ctx.child(g, "codes").orElseThrow(() -> ctx.fail(g.getPath() + "/codes", "missing"));
        Node catNode = ctx.child(g, "categories")
                .orElseThrow(() -> ctx.fail(g.getPath() + "/categories", "missing"));
        if (!(codesNode instanceof Dataset codesDs)) {
            throw ctx.fail(codesNode.getPath(), "expected a dataset");
        }
        Object cats = decoders.read(ctx, catNode);
        List<String> labels = Columns.labels(ctx, catNode.getPath(), cats);
        int[] codes = H5Arrays.toInts(ctx, codesDs.getPath(), H5Arrays.readFlat(ctx, codesDs, false));
        checkCodes(ctx, codesDs.getPath(), codes, labels.size());
        return new Column.Categorical(g.getName(), codes, labels, ctx.attrBool(g, "ordered", false),
                Columns.labelDtype(cats), "categorical");
    }

    static void checkCodes(ReadContext ctx, String path, int[] codes, int nCategories) {
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < -1 || codes[i] >= nCategories) {
                throw ctx.fail(path, "code " + codes[i] + " at row " + i + " is outside the " + nCategories
                        + " categories");
            }
        }
    }
}
