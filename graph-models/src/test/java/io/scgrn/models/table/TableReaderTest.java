package io.scgrn.models.table;

import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import io.scgrn.models.eval.Evaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableReaderTest {
    @TempDir
    Path dir;

    @Test
    void quotedFieldsKeepTheirDelimiterAndQuotes() throws IOException {
        Path f = dir.resolve("p.csv");
        Files.writeString(f, "tf,target,score\n\"TF,1\",\"say \"\"hi\"\"\",0.5\nA , B,1\n");
        List<TableReader.Row> rows = readAll(f, TableReader.Options.sniffed());
        assertEquals(List.of("TF,1", "say \"hi\"", "0.5"), rows.get(1).fields());
        assertEquals(List.of("A", "B", "1"), rows.get(2).fields(), "surrounding spaces trimmed");
        assertEquals(3, rows.get(2).line());
        // the same file through the evaluation reader: the comma inside quotes no longer splits the TF name
        List<Edge> e = Evaluation.readPredictions(f);
        assertEquals("TF,1", e.get(0).tf());
        assertEquals("say \"hi\"", e.get(0).target());
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstField() throws IOException {
        Path f = dir.resolve("truth.csv");
        Files.write(f, "\uFEFFGene1,Gene2\r\nA,B\r\n".getBytes(StandardCharsets.UTF_8));
        List<TableReader.Row> rows = readAll(f, TableReader.Options.sniffed());
        assertEquals(List.of("Gene1", "Gene2"), rows.get(0).fields());
        assertEquals(List.of("A", "B"), rows.get(1).fields());
        Path gz = dir.resolve("truth.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write("\uFEFFA\tB\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("A", "B"), readAll(gz, TableReader.Options.tsv()).get(0).fields());
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        Path f = dir.resolve("edges.txt");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            o.write("# comment\n\nA\tB\t0.5\n".getBytes(StandardCharsets.UTF_8));
        }
        List<TableReader.Row> rows = readAll(f, TableReader.Options.sniffed().withHashComments());
        assertEquals(1, rows.size());
        assertEquals(List.of("A", "B", "0.5"), rows.get(0).fields());
        assertEquals(3, rows.get(0).line());
        Path plain = dir.resolve("edges.tsv.gz");
        Files.writeString(plain, "x\ty\n");
        assertEquals(List.of("x", "y"), readAll(plain, TableReader.Options.tsv()).get(0).fields(),
                "a .gz name on plain text is read as text");
    }

    @Test
    void whitespaceRunsSeparateOneFieldAndLastLineWithoutBreakIsNumbered() throws IOException {
        Path f = dir.resolve("w.txt");
        Files.writeString(f, "A   B  0.25\nC D");
        List<TableReader.Row> rows = readAll(f, TableReader.Options.sniffed());
        assertEquals(TableReader.Delimiter.WHITESPACE, TableReader.Delimiter.sniff("A   B"));
        assertEquals(List.of("A", "B", "0.25"), rows.get(0).fields());
        assertEquals(List.of("C", "D"), rows.get(1).fields());
        assertEquals(2, rows.get(1).line());
    }

    @Test
    void unterminatedQuoteIsAnErrorNamingTheFile() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "Gene1,Gene2\nA,\"B\nC,D\n");
        ModelException e = assertThrows(ModelException.class, () -> Evaluation.readTruth(f));
        assertTrue(e.getMessage().contains("bad.csv"), e.getMessage());
    }

    @Test
    void unquoteAndColumnLookup() {
        assertEquals("a b", TableReader.unquote("  \"a b\" "));
        assertEquals("\"", TableReader.unquote("\""));
        assertEquals(1, TableReader.column(List.of("x", "\"Target\"", "tf"), "gene2", "target"));
        assertEquals(-1, TableReader.column(List.of("x"), "tf"));
    }

    private static List<TableReader.Row> readAll(Path f, TableReader.Options o) throws IOException {
        List<TableReader.Row> out = new ArrayList<>();
        try (TableReader r = TableReader.open(f, o)) {
            for (TableReader.Row row; (row = r.next()) != null; ) {
                out.add(row);
            }
        }
        return out;
    }
}
