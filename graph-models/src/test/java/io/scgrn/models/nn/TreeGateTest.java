package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * crowd's {@code tree-gate=within} (round 11): the tree term only where the within-state gate opens. On one Gaussian
 * population (gate closed) the trees are never trained and the network is the one without them, score for score;
 * on two planted cell states (gate open) the tree term changes the network exactly as the ungated term does.
 */
class TreeGateTest {
    /** The phases {@link GrnBoostModel#importances} reports while it bins and trains a tree term. */
    private static final List<String> TREE_PHASES = List.of("bin", "train");

    @Test
    void gateClosedLeavesTheNetworkAsItIsWithoutTrainingTheTrees() {
        // no cell states: the regulators' between-state share is small, the within-state gate is closed
        ExpressionMatrix closed = Synthetic.linear(300, 40, 3, new int[][] {{0, 3, 90}, {1, 4, -90}, {2, 5, 80},
            {0, 6, 70}, {1, 7, 70}}, 4);
        List<String> tfs = List.of("g0", "g1", "g2");
        List<String> phases = new ArrayList<>();
        Network base = crowd(closed, tfs, Map.of("w-learned", "0"), phases);
        assertFalse(phases.stream().anyMatch(TREE_PHASES::contains), "no trees by default: " + phases);
        phases.clear();
        Network ungated = crowd(closed, tfs, Map.of("w-learned", "0", "w-tree", "1"), phases);
        assertTrue(phases.containsAll(TREE_PHASES), "the ungated term trains its trees: " + phases);
        assertNotEquals(base.edges(), ungated.edges(), "the ungated tree term changes the closed set's network");
        phases.clear();
        Network gated = crowd(closed, tfs, Map.of("w-learned", "0", "w-tree", "1", "tree-gate", "within"), phases);
        assertEquals(base.edges(), gated.edges(), "gate closed: the network without the tree term");
        assertFalse(phases.stream().anyMatch(TREE_PHASES::contains), "gate closed: no tree trained: " + phases);
        // the same with the within term off (the gate measured for itself) and for the candidate-tree term
        assertEquals(crowd(closed, tfs, Map.of("w-learned", "0", "within", "off"), phases).edges(),
                crowd(closed, tfs, Map.of("w-learned", "0", "within", "off", "w-tree", "1", "tree-gate", "within"),
                        phases).edges());
        assertEquals(base.edges(), crowd(closed, tfs, Map.of("w-learned", "0", "w-ktree", "1", "tree-gate",
                "within"), phases).edges(), "gate closed: no candidate-tree term either");
    }

    @Test
    void gateOpenAddsTheTreeTermAsTheUngatedOptionDoes() {
        // two cell states holding ~72 % of the regulators' variance (WithinStatesTest): the gate opens
        ExpressionMatrix open = WithinStatesTest.twoStates(3);
        List<String> tfs = new ArrayList<>(List.of("t1", "t2"));
        for (int m = 0; m < 8; m++) {
            tfs.add("m" + m);
        }
        List<String> phases = new ArrayList<>();
        Network base = crowd(open, tfs, Map.of("w-learned", "0"), phases);
        phases.clear();
        Network gated = crowd(open, tfs, Map.of("w-learned", "0", "w-tree", "1", "tree-gate", "within"), phases);
        assertTrue(phases.containsAll(TREE_PHASES), "gate open: the trees are trained: " + phases);
        assertNotEquals(base.edges(), gated.edges(), "gate open: the tree term changes the network");
        assertEquals(crowd(open, tfs, Map.of("w-learned", "0", "w-tree", "1"), phases).edges(), gated.edges(),
                "gate open: exactly the ungated tree term");
        Map<String, String> offWithin = new HashMap<>(Map.of("w-learned", "0", "w-tree", "1", "within", "off"));
        Network ungatedOff = crowd(open, tfs, offWithin, phases);
        offWithin.put("tree-gate", "within");
        assertEquals(ungatedOff.edges(), crowd(open, tfs, offWithin, phases).edges(),
                "within=off: the gate measured for itself opens too");
    }

    @Test
    void badValuesNameTheField() {
        ExpressionMatrix data = Synthetic.linear(100, 10, 2, new int[][] {{0, 3, 90}}, 1);
        List<String> tfs = List.of("g0", "g1");
        ModelException e = assertThrows(ModelException.class,
                () -> crowd(data, tfs, Map.of("w-tree", "1", "tree-gate", "inside"), new ArrayList<>()));
        assertEquals("tree-gate", e.field());
        assertTrue(e.getMessage().contains("inside"), e.getMessage());
        // only the gated tree term: nothing would be left where the gate is closed
        e = assertThrows(ModelException.class, () -> crowd(data, tfs, Map.of("w-pcor", "0", "w-mi", "0",
                "w-learned", "0", "w-tree", "1", "tree-gate", "within"), new ArrayList<>()));
        assertEquals("tree-gate", e.field());
    }

    private static Network crowd(ExpressionMatrix data, List<String> tfs, Map<String, String> params,
                                 List<String> phases) {
        Progress recording = new Progress() {
            @Override
            public void phase(String name) {
                phases.add(name);
            }
        };
        return new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", params, List.of()), recording);
    }
}
