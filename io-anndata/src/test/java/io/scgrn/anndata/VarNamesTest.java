package io.scgrn.anndata;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VarNamesTest {
    private static final List<String> IDS = List.of("ENSG00000102145", "ENSG00000066336.12", "ENSG00000075624",
            "ENSG00000111640", "ENSG00000000003");

    @Test
    void aCellxgeneStyleTableGivesItsSymbols() {
        // CELLxGENE: stable ids as the index, symbols in a categorical feature_name; a gene without a symbol keeps
        // its id
        Column featureName = new Column.Categorical("feature_name", new int[] {0, 1, 2, 3, -1},
                List.of("GATA1", "SPI1", "ACTB", "GAPDH"), false, DType.STRING, "categorical");
        VarNames.Names n = VarNames.of(new DataFrame("_index", IDS, List.of(featureName)));
        assertEquals(List.of("GATA1", "SPI1", "ACTB", "GAPDH", "ENSG00000000003"), n.names());
        assertEquals(Optional.of("feature_name"), n.column());
        // scanpy's read_10x(var_names="gene_ids"): strings in gene_symbols, found whatever the column's case
        Column symbols = new Column.Strings("Gene_Symbols", new String[] {"Gata1", "Spi1", "Actb", "Gapdh", "Tp53"},
                "string-array");
        assertEquals(List.of("Gata1", "Spi1", "Actb", "Gapdh", "Tp53"),
                VarNames.of(new DataFrame("_index", IDS, List.of(symbols))).names());
    }

    @Test
    void theIndexIsKeptWhenItHoldsSymbolsOrNoColumnHoldsThem() {
        List<String> symbols = List.of("GATA1", "SPI1", "ACTB", "GAPDH", "TP53");
        Column ids = new Column.Strings("gene_ids", IDS.toArray(String[]::new), "string-array");
        VarNames.Names named = VarNames.of(new DataFrame("_index", symbols, List.of(ids)));
        assertEquals(symbols, named.names());
        assertEquals(Optional.empty(), named.column());
        // ids as the index and the "symbol" column holding ids too: nothing better to use
        Column alsoIds = new Column.Strings("gene_name", IDS.toArray(String[]::new), "string-array");
        assertEquals(IDS, VarNames.of(new DataFrame("_index", IDS, List.of(alsoIds))).names());
        assertEquals(IDS, VarNames.of(DataFrame.empty(IDS)).names());
    }
}
