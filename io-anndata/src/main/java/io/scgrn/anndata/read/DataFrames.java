package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DataFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Shared parts of the dataframe decoders: the index and the column-order walk. */
final class DataFrames {
    private DataFrames() {
    }

    /**
     * Reads a dataframe group: the index named by the {@code _index} attribute, then each column of
     * {@code column-order}, decoded by {@code decodeColumn}.
     */
    static DataFrame read(ReadContext ctx, Group g, Function<Node, Object> decodeColumn) {
        String indexName = ctx.attrString(g, "_index");
        if (indexName == null) {
            throw ctx.fail(g.getPath() + "@_index", "dataframe has no _index attribute");
        }
        Node indexNode = ctx.child(g, indexName)
                .orElseThrow(() -> ctx.fail(g.getPath() + "/" + indexName, "dataframe index is missing"));
        List<String> index = labels(ctx, indexNode.getPath(), decodeColumn.apply(indexNode));
        List<Column> columns = new ArrayList<>();
        for (String name : ctx.attrStrings(g, "column-order")) {
            Node n = ctx.child(g, name)
                    .orElseThrow(() -> ctx.fail(g.getPath() + "/" + name, "column listed in column-order is missing"));
            Column c = Columns.toColumn(ctx, n.getPath(), name, decodeColumn.apply(n));
            if (c.length() != index.size()) {
                throw ctx.fail(n.getPath(), "column has " + c.length() + " rows, the index " + index.size());
            }
            columns.add(c);
        }
        return new DataFrame(indexName, index, columns);
    }

    /** Index labels from a decoded index column (numbers become decimal strings, as anndata does). */
    static List<String> labels(ReadContext ctx, String path, Object value) {
        if (value instanceof Column.Strings s) {
            for (String v : s.values()) {
                if (v == null) {
                    throw ctx.fail(path, "the index has missing values");
                }
            }
            return List.of(s.values());
        }
        return Columns.labels(ctx, path, value);
    }
}
