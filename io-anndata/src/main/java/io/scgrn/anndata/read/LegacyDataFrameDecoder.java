package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.Column;

import java.util.List;

/**
 * {@code dataframe} 0.1.0 (anndata 0.7): plain datasets as columns; a categorical column is its codes dataset with
 * a {@code categories} attribute holding an object reference to the categories dataset (under
 * {@code __categories}), whose {@code ordered} attribute says whether the order matters.
 */
final class LegacyDataFrameDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "dataframe";
    }

    @Override
    public String encodingVersion() {
        return "0.1.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        Group g = group(ctx, node);
        return DataFrames.read(ctx, g, n -> column(ctx, n, decoders));
    }

    private static Object column(ReadContext ctx, Node n, Decoders decoders) {
        Object ref = ctx.attr(n, "categories");
        if (!(n instanceof Dataset codesDs) || ref == null) {
            return decoders.read(ctx, n);
        }
        long address = ref instanceof Number num ? num.longValue()
                : ref instanceof long[] a && a.length == 1 ? a[0] : -1;
        if (address < 0) {
            throw ctx.fail(n.getPath() + "@categories", "expected an object reference");
        }
        Node catNode;
        try {
            catNode = ctx.hdf().getNodeByAddress(address);
        } catch (RuntimeException e) {
            throw ctx.wrap(n.getPath() + "@categories", e);
        }
        if (catNode == null) {
            throw ctx.fail(n.getPath() + "@categories", "reference points nowhere");
        }
        Object cats = decoders.read(ctx, catNode);
        List<String> labels = Columns.labels(ctx, catNode.getPath(), cats);
        int[] codes = H5Arrays.toInts(ctx, codesDs.getPath(), H5Arrays.readFlat(ctx, codesDs, false));
        CategoricalDecoder.checkCodes(ctx, codesDs.getPath(), codes, labels.size());
        return new Column.Categorical(n.getName(), codes, labels, ctx.attrBool(catNode, "ordered", false),
                Columns.labelDtype(cats), "categorical");
    }
}
