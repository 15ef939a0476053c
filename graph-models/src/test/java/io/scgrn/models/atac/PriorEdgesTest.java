package io.scgrn.models.atac;

import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriorEdgesTest {
    private static final Map<String, Map<String, Double>> PRIOR = Map.of(
            "TF1", Map.of("G1", 0.8, "G2", 0.2),
            "TF2", Map.of("G1", 0.05));

    @Test
    void priorIsScaledByItsLargestValueThenRaisedToThePower() {
        List<Edge> linear = AtacAnalysis.priorEdges(PRIOR, 1);
        assertEquals(List.of("TF1>G1", "TF1>G2", "TF2>G1"), linear.stream().map(e -> e.tf() + ">" + e.target())
                .toList());
        assertEquals(List.of(1.0, 0.25, 0.0625), linear.stream().map(Edge::score).toList());
        // Square root: 0.25 → 0.5, 0.0625 → 0.25 (exact in binary floating point).
        List<Edge> sqrt = AtacAnalysis.priorEdges(PRIOR, 0.5);
        assertEquals(List.of(1.0, 0.5, 0.25), sqrt.stream().map(Edge::score).toList());
    }

    @Test
    void newSettingsAreParsedAndChecked() {
        AtacSettings s = AtacSettings.fromParams(Map.of("gating", "0.3", "prior-power", "0.5"), 1);
        assertEquals(0.3, s.gating());
        assertEquals(0.5, s.priorPower());
        assertEquals(AtacSettings.DEFAULT_GATING, AtacSettings.defaults(1).gating());
        assertTrue(Double.isNaN(AtacSettings.defaults(1).priorPower()), "auto by default");
        assertTrue(Double.isNaN(AtacSettings.fromParams(Map.of("prior-power", "auto"), 1).priorPower()));
        // auto resolves by motif source; an explicit value stays.
        assertEquals(AtacSettings.SCAN_PRIOR_POWER, AtacSettings.defaults(1).resolvePriorPower(true).priorPower());
        assertEquals(1.0, AtacSettings.defaults(1).resolvePriorPower(false).priorPower());
        assertEquals(0.5, s.resolvePriorPower(true).priorPower());
        assertEquals(0.5, s.resolvePriorPower(false).priorPower());
        assertThrows(ModelException.class, () -> AtacSettings.fromParams(Map.of("prior-power", "0"), 1));
        assertThrows(ModelException.class, () -> AtacSettings.fromParams(Map.of("gating", "1.5"), 1));
    }
}
