package io.scgrn.anndata;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The gene names of a var table as a biologist and a TF list spell them. Many files index var by stable ids and keep
 * the symbols in a column: CELLxGENE's {@code feature_name}, scanpy's {@code gene_symbols} (read_10x with
 * {@code var_names="gene_ids"}), {@code gene_name} in GTF-derived tables. A TF list (GATA1, Spi1) matches none of
 * {@code ENSG00000102145}, so such a file would have no regulator; its symbol column is used instead.
 *
 * <p>The column is used only when most of the index looks like stable ids (Ensembl {@code ENS…G…}, FlyBase
 * {@code FBgn…}, WormBase {@code WBGene…}, with or without a version suffix) and most of the column does not; a gene
 * without a symbol keeps its id. Duplicate symbols are left to the caller (the preparation makes them unique as
 * anndata's {@code var_names_make_unique} does).
 */
public final class VarNames {
    /** Columns that hold symbols in common files, in the order they are tried (names compared ignoring case). */
    public static final List<String> SYMBOL_COLUMNS = List.of("feature_name", "gene_symbols", "gene_symbol",
            "gene_name", "gene_names", "symbol", "symbols", "gene", "genes", "feature_names", "name");
    private static final Pattern STABLE_ID = Pattern.compile("(ENS[A-Z]*G\\d{6,}|FBgn\\d{5,}|WBGene\\d{5,})(\\.\\d+)?");
    private static final double MOST = 0.8;

    private VarNames() {
    }

    /** The names, with where they came from: {@code column} is empty when they are the var index. */
    public record Names(List<String> names, Optional<String> column) {
    }

    /** The gene names of {@code var}: its symbol column where the index holds stable ids, else the index. */
    public static Names of(DataFrame var) {
        List<String> index = var.index();
        if (share(index) < MOST) {
            return new Names(index, Optional.empty());
        }
        for (String wanted : SYMBOL_COLUMNS) {
            for (Column c : var.columns()) {
                if (!c.name().toLowerCase(Locale.ROOT).equals(wanted) || c.length() != index.size()) {
                    continue;
                }
                List<String> values = strings(c);
                if (values == null || share(values) >= 1 - MOST) {
                    continue;
                }
                List<String> out = new ArrayList<>(index.size());
                for (int i = 0; i < index.size(); i++) {
                    String v = values.get(i);
                    out.add(v == null || v.isBlank() ? index.get(i) : v.strip());
                }
                return new Names(out, Optional.of(c.name()));
            }
        }
        return new Names(index, Optional.empty());
    }

    /** Share of the names that look like stable gene ids. */
    static double share(List<String> names) {
        if (names.isEmpty()) {
            return 0;
        }
        long ids = names.stream().filter(s -> s != null && STABLE_ID.matcher(s).matches()).count();
        return (double) ids / names.size();
    }

    private static List<String> strings(Column c) {
        if (c instanceof Column.Strings s) {
            return java.util.Arrays.asList(s.values());
        }
        if (c instanceof Column.Categorical cat) {
            List<String> out = new ArrayList<>(cat.length());
            for (int i = 0; i < cat.length(); i++) {
                out.add(cat.label(i));
            }
            return out;
        }
        return null;
    }
}
