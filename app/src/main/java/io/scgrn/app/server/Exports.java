package io.scgrn.app.server;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.H5adWriter;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.app.run.ResultH5ad;
import io.scgrn.models.EdgeColumns;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Network exports: tsv, csv, graphml, cytoscape (Cytoscape.js / Cytoscape desktop {@code .cyjs} JSON) and h5ad
 * (cells of the dataset with their categorical and numeric annotations as obs, the network's genes as var, the edge
 * table as the data frame {@code uns["grn"]} and the network as the genes × genes matrix {@code varp["grn"]}).
 * Each export is written once into the job's {@code out/exports/} (temporary file, then rename) and served from
 * there afterwards.
 */
public final class Exports {
    /** Format name → file extension and media type. */
    public static final Map<String, String[]> FORMATS = new LinkedHashMap<>();

    static {
        FORMATS.put("tsv", new String[] {"tsv", "text/tab-separated-values; charset=utf-8"});
        FORMATS.put("csv", new String[] {"csv", "text/csv; charset=utf-8"});
        FORMATS.put("graphml", new String[] {"graphml", "application/graphml+xml; charset=utf-8"});
        FORMATS.put("cytoscape", new String[] {"cyjs", "application/json"});
        FORMATS.put("h5ad", new String[] {"h5ad", "application/x-hdf5"});
    }

    private Exports() {
    }

    /**
     * The export file of a job's network in {@code format}, written now if it does not exist yet.
     *
     * @param cells the dataset's expression modality, needed for h5ad only (null otherwise)
     */
    public static Path export(Path outDir, String group, LoadedNetwork n, String format, AnnData cells,
                              JsonObject provenance) {
        String[] f = FORMATS.get(format);
        if (f == null) {
            throw ApiException.badRequest("unknown format '" + format + "'; formats: "
                    + String.join(", ", FORMATS.keySet()));
        }
        Path dir = outDir.resolve("exports");
        Path file = dir.resolve((group == null ? Networks.ALL : group) + "." + f[0]);
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            Files.createDirectories(dir);
            if (format.equals("h5ad")) {
                writeH5ad(file, n, cells, provenance);
                return file;
            }
            Path tmp = Files.createTempFile(dir, ".export-", ".tmp");
            try {
                try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    switch (format) {
                        case "tsv" -> delimited(w, n, '\t');
                        case "csv" -> delimited(w, n, ',');
                        case "graphml" -> graphml(w, n);
                        default -> cytoscape(w, n, provenance);
                    }
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write export " + file + ": " + e.getMessage(), e);
        }
    }

    private static void delimited(Writer w, LoadedNetwork n, char sep) throws IOException {
        w.write(String.join(String.valueOf(sep), List.of("tf", "target", "score", "sign", "stability", "q")));
        w.write('\n');
        for (int e = 0; e < n.size(); e++) {
            w.write(field(n.geneName(n.tf(e)), sep));
            w.write(sep);
            w.write(field(n.geneName(n.target(e)), sep));
            w.write(sep);
            w.write(Float.toString(n.score(e)));
            w.write(sep);
            w.write(Integer.toString(n.sign(e)));
            w.write(sep);
            w.write(Float.isNaN(n.stability(e)) ? "NaN" : Float.toString(n.stability(e)));
            w.write(sep);
            w.write(Float.isNaN(n.q(e)) ? "NaN" : Float.toString(n.q(e)));
            w.write('\n');
        }
    }

    /** CSV quoting (RFC 4180) where needed; TSV fields never contain tabs (names come from the network file). */
    private static String field(String s, char sep) {
        if (sep == ',' && (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0)) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** GraphML through the JDK's {@link XMLStreamWriter} (escaping is the writer's), laid out one element a line. */
    private static void graphml(Writer w, LoadedNetwork n) throws IOException {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("graphml");
            x.writeDefaultNamespace("http://graphml.graphdrawing.org/xmlns");
            key(x, "is_tf", "node", "boolean");
            key(x, "score", "edge", "double");
            key(x, "sign", "edge", "int");
            key(x, "stability", "edge", "double");
            key(x, "q", "edge", "double");
            x.writeCharacters("\n  ");
            x.writeStartElement("graph");
            x.writeAttribute("id", "grn");
            x.writeAttribute("edgedefault", "directed");
            for (int g = 0; g < n.geneCount(); g++) {
                x.writeCharacters("\n    ");
                x.writeStartElement("node");
                x.writeAttribute("id", n.geneName(g));
                data(x, "is_tf", Boolean.toString(n.isTf(g)));
                x.writeEndElement();
            }
            for (int e = 0; e < n.size(); e++) {
                x.writeCharacters("\n    ");
                x.writeStartElement("edge");
                x.writeAttribute("source", n.geneName(n.tf(e)));
                x.writeAttribute("target", n.geneName(n.target(e)));
                data(x, "score", Float.toString(n.score(e)));
                data(x, "sign", Integer.toString(n.sign(e)));
                if (!Float.isNaN(n.stability(e))) {
                    data(x, "stability", Float.toString(n.stability(e)));
                }
                if (!Float.isNaN(n.q(e))) {
                    data(x, "q", Float.toString(n.q(e)));
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
        } catch (XMLStreamException e) {
            throw new IOException("GraphML: " + e.getMessage(), e);
        }
    }

    private static void key(XMLStreamWriter x, String id, String forWhat, String type) throws XMLStreamException {
        x.writeCharacters("\n  ");
        x.writeEmptyElement("key");
        x.writeAttribute("id", id);
        x.writeAttribute("for", forWhat);
        x.writeAttribute("attr.name", id);
        x.writeAttribute("attr.type", type);
    }

    private static void data(XMLStreamWriter x, String key, String value) throws XMLStreamException {
        x.writeStartElement("data");
        x.writeAttribute("key", key);
        x.writeCharacters(value);
        x.writeEndElement();
    }

    private static void cytoscape(Writer w, LoadedNetwork n, JsonObject provenance) throws IOException {
        // Streamed element by element: a million-edge network must not become one giant JsonObject.
        w.write("{\"format_version\":\"1.0\",\"generated_by\":\"scgrn\",\"data\":");
        w.write(provenance.encode());
        w.write(",\"elements\":{\"nodes\":[");
        for (int g = 0; g < n.geneCount(); g++) {
            if (g > 0) {
                w.write(',');
            }
            w.write(new JsonObject().put("data", new JsonObject().put("id", n.geneName(g))
                    .put("name", n.geneName(g)).put("is_tf", n.isTf(g))).encode());
        }
        w.write("],\"edges\":[");
        for (int e = 0; e < n.size(); e++) {
            if (e > 0) {
                w.write(',');
            }
            JsonObject d = new JsonObject().put("id", "e" + e).put("source", n.geneName(n.tf(e)))
                    .put("target", n.geneName(n.target(e))).put("score", n.score(e)).put("sign", n.sign(e));
            if (!Float.isNaN(n.stability(e))) {
                d.put("stability", n.stability(e));
            }
            if (!Float.isNaN(n.q(e))) {
                d.put("q", n.q(e));
            }
            w.write(new JsonObject().put("data", d).encode());
        }
        w.write("]}}\n");
    }

    /** The network as a genes × genes CSR matrix: row = regulator, column = target, value = score. */
    static SparseMatrix adjacency(LoadedNetwork n) {
        int g = n.geneCount();
        long[] indptr = new long[g + 1];
        for (int i = 0; i < g; i++) {
            indptr[i + 1] = indptr[i] + n.outEdges(i).length;
        }
        int m = n.size();
        int[] indices = new int[m];
        float[] data = new float[m];
        int k = 0;
        for (int i = 0; i < g; i++) {
            // Column indices sorted within a row, as in scipy's canonical CSR.
            int[] byTarget = Arrays.stream(n.outEdges(i)).boxed()
                    .sorted(Comparator.comparingInt(n::target)).mapToInt(Integer::intValue).toArray();
            for (int e : byTarget) {
                indices[k] = n.target(e);
                data[k] = n.score(e);
                k++;
            }
        }
        return new SparseMatrix(SparseMatrix.Layout.CSR, g, g, DType.FLOAT32, new NumArray.F32(data), indices,
                indptr);
    }

    private static void writeH5ad(Path file, LoadedNetwork n, AnnData cells, JsonObject provenance) {
        int m = n.size();
        EdgeColumns cols = new EdgeColumns(new String[m], new String[m], new double[m], new int[m], new double[m],
                new double[m]);
        for (int e = 0; e < m; e++) {
            cols.tf()[e] = n.geneName(n.tf(e));
            cols.target()[e] = n.geneName(n.target(e));
            cols.score()[e] = n.score(e);
            cols.sign()[e] = n.sign(e);
            cols.stability()[e] = n.stability(e);
            cols.q()[e] = n.q(e);
        }
        DataFrame edges = ResultH5ad.edgeTable(cols);
        List<String> genes = new ArrayList<>(n.geneCount());
        boolean[] isTf = new boolean[n.geneCount()];
        for (int g = 0; g < n.geneCount(); g++) {
            genes.add(n.geneName(g));
            isTf[g] = n.isTf(g);
        }
        DataFrame var = new DataFrame("_index", genes, List.of(new Column.Bool("is_tf", isTf, null, "array")));
        // Cells keep their categorical and numeric annotations (cell types, QC): useful next to the network.
        List<Column> obsCols = new ArrayList<>();
        for (Column c : cells.obs().columns()) {
            if (c instanceof Column.Categorical || c instanceof Column.Numeric || c instanceof Column.Bool) {
                obsCols.add(c);
            }
        }
        DataFrame obs = new DataFrame("_index", cells.obs().index(), obsCols);
        Map<String, Object> prov = new LinkedHashMap<>();
        for (String k : provenance.fieldNames()) {
            Object v = provenance.getValue(k);
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                prov.put(k, v);
            } else if (v instanceof JsonArray a) {
                prov.put(k, a.stream().map(String::valueOf).toList());
            }
        }
        H5adWriter w = H5adWriter.of(obs, var).uns("grn", edges).uns("scgrn", prov).varp("grn", adjacency(n));
        for (String basis : CellData.BASES) {
            if (cells.obsm().containsKey(basis)) {
                w.obsm(basis, cells.obsm().get(basis));
            }
        }
        w.write(file);
    }
}
