package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportsTest {
    @TempDir
    Path tmp;

    @Test
    void graphmlEscapesNamesAndKeepsItsLayout() throws Exception {
        Path tsv = tmp.resolve("network.tsv");
        Files.writeString(tsv, "tf\ttarget\tscore\tsign\tstability\tq\n"
                + "A&<\"x>\tB\t0.5\t1\tNaN\t0.01\n"
                + "B\tC\t0.25\t-1\t0.75\tNaN\n");
        LoadedNetwork n = LoadedNetwork.read(tsv);
        Path file = Exports.export(tmp, null, n, "graphml", null, new JsonObject());
        // The layout the hand-written exporter produced, now through XMLStreamWriter.
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                + "  <key id=\"is_tf\" for=\"node\" attr.name=\"is_tf\" attr.type=\"boolean\"/>\n"
                + "  <key id=\"score\" for=\"edge\" attr.name=\"score\" attr.type=\"double\"/>\n"
                + "  <key id=\"sign\" for=\"edge\" attr.name=\"sign\" attr.type=\"int\"/>\n"
                + "  <key id=\"stability\" for=\"edge\" attr.name=\"stability\" attr.type=\"double\"/>\n"
                + "  <key id=\"q\" for=\"edge\" attr.name=\"q\" attr.type=\"double\"/>\n"
                + "  <graph id=\"grn\" edgedefault=\"directed\">\n"
                + "    <node id=\"A&amp;&lt;&quot;x&gt;\"><data key=\"is_tf\">true</data></node>\n"
                + "    <node id=\"B\"><data key=\"is_tf\">true</data></node>\n"
                + "    <node id=\"C\"><data key=\"is_tf\">false</data></node>\n"
                + "    <edge source=\"A&amp;&lt;&quot;x&gt;\" target=\"B\"><data key=\"score\">0.5</data>"
                + "<data key=\"sign\">1</data><data key=\"q\">0.01</data></edge>\n"
                + "    <edge source=\"B\" target=\"C\"><data key=\"score\">0.25</data><data key=\"sign\">-1</data>"
                + "<data key=\"stability\">0.75</data></edge>\n"
                + "  </graph>\n"
                + "</graphml>\n", Files.readString(file));
    }
}
