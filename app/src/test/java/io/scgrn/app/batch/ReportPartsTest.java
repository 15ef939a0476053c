package io.scgrn.app.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's building blocks: chart helpers and the network summary. */
class ReportPartsTest {
    @TempDir
    Path dir;

    @Test
    void ticksAreRoundAndCoverTheRange() {
        assertArrayEquals(new double[] {0, 2, 4, 6, 8}, SvgChart.ticks(0, 7.3, 4));
        double[] t = SvgChart.ticks(0.013, 0.87, 5);
        assertTrue(t[0] <= 0.013 && t[t.length - 1] >= 0.87, Arrays.toString(t));
        assertEquals("7", SvgChart.num(7.0));
        assertEquals("0.257", SvgChart.num(0.2571));
        assertEquals("1.50e-04", SvgChart.num(1.5e-4));
    }

    @Test
    void textIsEscapedInChartsAndLegendsFit() {
        String svg = SvgChart.bars("<b>&", List.of("a<b"), List.of(new SvgChart.Series("x'y", new double[] {1})),
                "y", Double.NaN, 300, 200);
        assertFalse(svg.contains("<b>&"), svg);
        assertTrue(svg.contains("&lt;b&gt;&amp;") && svg.contains("a&lt;b"), svg);
        assertEquals(3, SvgChart.legendColumns(List.of("short", "names"), 600));
        assertEquals(1, SvgChart.legendColumns(List.of("a".repeat(80)), 600));
    }

    @Test
    void summaryTakesTheTopTenthAsTheNetwork() throws IOException {
        StringBuilder sb = new StringBuilder("tf\ttarget\tscore\tsign\tstability\n");
        for (int i = 0; i < 200; i++) {
            // TF A holds the 12 best edges, B the next ones
            sb.append(i < 12 ? "A" : "B").append("\tG").append(i).append('\t').append(1.0 - i / 200.0)
                    .append("\t1\tNaN\n");
        }
        Path f = Files.writeString(dir.resolve("network.tsv"), sb.toString());
        ReportWriter.NetworkSummary s = ReportWriter.summarise(f);
        assertEquals(200, s.nEdges());
        assertEquals(20, s.nTop());
        assertEquals(List.of("A", "B"), s.regulons().stream().map(ReportWriter.Regulon::tf).toList());
        assertEquals(12, s.regulons().get(0).nTargets());
        assertEquals(200, Arrays.stream(s.scoreCounts()).sum());

        Files.writeString(f, "tf\ttarget\tscore\nA\tonly-two-columns\n");
        assertThrows(IOException.class, () -> ReportWriter.summarise(f));
    }

    @Test
    void perGroupPhasesAreSummedInTheTable() {
        Map<String, Double> phases = new LinkedHashMap<>();
        phases.put("read", 1.0);
        phases.put("infer", 0.5);
        phases.put("infer cell_type=B", 0.25);
        assertEquals("read 1.00, infer 0.75", ReportWriter.phases(phases));
    }
}
