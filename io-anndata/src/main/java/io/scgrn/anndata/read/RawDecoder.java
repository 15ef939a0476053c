package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.Matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code raw} 0.1.0 met outside an AnnData (where {@link AnnDataReading} reads it with the main obs): X and var,
 * with an obs of row numbers.
 */
final class RawDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "raw";
    }

    @Override
    public String encodingVersion() {
        return "0.1.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        if (!(node instanceof Group g)) {
            throw ctx.fail(node.getPath(), "encoding 'raw' needs a group, found a dataset");
        }
        Node x = ctx.child(g, "X").orElseThrow(() -> ctx.fail(node.getPath() + "/X", "raw has no X"));
        Matrix m = AnnDataReading.matrix(ctx, decoders, x);
        List<String> rows = new ArrayList<>(m.nRows());
        for (int i = 0; i < m.nRows(); i++) {
            rows.add(Integer.toString(i));
        }
        return AnnDataReading.raw(ctx, decoders, g, DataFrame.empty(rows));
    }
}
