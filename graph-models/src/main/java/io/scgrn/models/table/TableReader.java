package io.scgrn.models.table;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Rows of a delimited text file, read with Commons CSV: fields may be quoted ({@code "a,b"} is one field, {@code ""}
 * inside quotes is a quote), surrounding spaces are trimmed and blank lines skipped. The delimiter is given or
 * sniffed from the first data line (tab, else comma, else runs of white space). Gzip is detected by content
 * ({@link TextFiles}).
 *
 * <pre>{@code
 * try (TableReader t = TableReader.open(file, TableReader.Options.sniffed())) {
 *     for (TableReader.Row row; (row = t.next()) != null; ) { ... row.line() ... row.field(0) ... }
 * }
 * }</pre>
 */
public final class TableReader implements Closeable {
    /** How fields are separated. */
    public enum Delimiter {
        TAB('\t'), COMMA(','), WHITESPACE(' ');

        private final char c;

        Delimiter(char c) {
            this.c = c;
        }

        /** Tab when the line has one, else comma when it has one, else white space. */
        public static Delimiter sniff(String line) {
            return line.indexOf('\t') >= 0 ? TAB : line.indexOf(',') >= 0 ? COMMA : WHITESPACE;
        }

        /** How the delimiter is named in messages ({@code <tab>}, {@code ,}, {@code <space>}). */
        public String label() {
            return this == TAB ? "<tab>" : this == COMMA ? "," : "<space>";
        }
    }

    /**
     * @param delimiter    the delimiter, or null to sniff it from the first data line
     * @param quotes       whether {@code "} quotes fields (false for BED/GTF, whose fields may contain quotes)
     * @param hashComments whether lines starting with {@code #} are skipped
     */
    public record Options(Delimiter delimiter, boolean quotes, boolean hashComments) {
        /** Sniffed delimiter, quoted fields, no comments. */
        public static Options sniffed() {
            return new Options(null, true, false);
        }

        /** Tab-separated, quoted fields, no comments. */
        public static Options tsv() {
            return new Options(Delimiter.TAB, true, false);
        }

        public Options withHashComments() {
            return new Options(delimiter, quotes, true);
        }

        public Options withoutQuotes() {
            return new Options(delimiter, false, hashComments);
        }
    }

    /**
     * One row.
     *
     * @param line   1-based line number in the file (of the row's first line)
     * @param fields the fields, unquoted and trimmed
     */
    public record Row(long line, List<String> fields) {
        public int size() {
            return fields.size();
        }

        public String field(int i) {
            return fields.get(i);
        }
    }

    private final BufferedReader reader;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final Delimiter delimiter;
    private long lastLine;

    private TableReader(BufferedReader reader, CSVParser parser, Delimiter delimiter) {
        this.reader = reader;
        this.parser = parser;
        this.records = parser.iterator();
        this.delimiter = delimiter;
    }

    /** Opens {@code file}; the caller closes the reader. */
    public static TableReader open(Path file, Options options) throws IOException {
        BufferedReader r = TextFiles.open(file);
        try {
            Delimiter d = options.delimiter() != null ? options.delimiter() : sniff(r, options.hashComments());
            CSVFormat format = CSVFormat.DEFAULT.builder()
                    .setDelimiter(d.c)
                    .setQuote(options.quotes() ? Character.valueOf('"') : null)
                    .setCommentMarker(options.hashComments() ? Character.valueOf('#') : null)
                    .setIgnoreEmptyLines(true)
                    .setIgnoreSurroundingSpaces(true)
                    .setTrim(true)
                    .setRecordSeparator('\n')
                    .get();
            return new TableReader(r, CSVParser.builder().setReader(r).setFormat(format).get(), d);
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** The delimiter in use (given or sniffed). */
    public Delimiter delimiter() {
        return delimiter;
    }

    /**
     * The next row that has a non-blank field, or null at the end.
     *
     * @throws IOException on a read error or malformed quoting (message names the line)
     */
    public Row next() throws IOException {
        try {
            while (records.hasNext()) {
                CSVRecord rec = records.next();
                List<String> f = new ArrayList<>(rec.size());
                boolean blank = true;
                for (String v : rec) {
                    if (delimiter == Delimiter.WHITESPACE && v.isEmpty()) {
                        continue; // runs of spaces separate one field
                    }
                    blank &= v.isBlank();
                    f.add(v);
                }
                // the parser counts line breaks read, one short on a last line without a break
                lastLine = Math.max(parser.getCurrentLineNumber(), lastLine + 1);
                if (!blank) {
                    return new Row(lastLine, f);
                }
            }
            return null;
        } catch (UncheckedIOException e) {
            throw new IOException("line " + parser.getCurrentLineNumber() + ": " + e.getCause().getMessage(), e);
        }
    }

    /** Index of the first header field equal (ignoring case and quotes) to one of {@code names}, in name order. */
    public static int column(List<String> header, String... names) {
        for (String name : names) {
            for (int i = 0; i < header.size(); i++) {
                if (unquote(header.get(i)).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** {@code s} trimmed, without one pair of surrounding double quotes. */
    public static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"'
                ? t.substring(1, t.length() - 1) : t;
    }

    private static Delimiter sniff(BufferedReader r, boolean hashComments) throws IOException {
        r.mark(1 << 20);
        try {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !(hashComments && line.startsWith("#"))) {
                    return Delimiter.sniff(line);
                }
            }
            return Delimiter.TAB;
        } finally {
            r.reset();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            parser.close();
        } finally {
            reader.close();
        }
    }
}
