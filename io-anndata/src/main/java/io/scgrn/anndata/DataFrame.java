package io.scgrn.anndata;

import java.util.List;
import java.util.Optional;

/**
 * An obs or var table: the index (cell barcodes or gene names) and the columns in {@code column-order}.
 *
 * @param indexName name of the index column in the file ({@code _index} by default)
 * @param index     row names, one per row
 * @param columns   columns in file order
 */
public record DataFrame(String indexName, List<String> index, List<Column> columns) {
    public DataFrame {
        index = List.copyOf(index);
        columns = List.copyOf(columns);
        for (Column c : columns) {
            if (c.length() != index.size()) {
                throw new IllegalArgumentException("column " + c.name() + " has " + c.length() + " rows, index has "
                        + index.size());
            }
        }
    }

    public static DataFrame empty(List<String> index) {
        return new DataFrame("_index", index, List.of());
    }

    public int nRows() {
        return index.size();
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
