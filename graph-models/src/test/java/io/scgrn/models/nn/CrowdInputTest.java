package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.CopulaTransform;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** crowd's {@code input} option (round 14): ranks or normal scores of each gene before the terms; off by default. */
class CrowdInputTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    private static final List<String> TFS = List.of("g0", "g1", "g2");
    private static final int[][] EDGES = {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}, {0, 6, 70}, {1, 7, 70}};

    private static Network crowd(ExpressionMatrix data, Map<String, String> p) {
        Map<String, String> params = new HashMap<>(p);
        params.put("epochs", "20"); // a short learned term: the test is about the input, not the training
        return new CrowdModel().infer(data, TFS, new InferenceOptions(0, "cpu", params, List.of()), Progress.NONE);
    }

    @Test
    void offLeavesTheNetworkByteIdentical() {
        ExpressionMatrix data = Synthetic.linear(200, 20, 3, EDGES, 4);
        Network def = crowd(data, Map.of());
        assertEquals(def.edges(), crowd(data, Map.of("input", "values")).edges());
        // the zero-share gate closed (no zero in these data): the values as given
        assertEquals(def.edges(), crowd(data, Map.of("input", "normal-scores", "input-zeros", "0.3")).edges());
        assertNotEquals(def.edges(), crowd(data, Map.of("input", "normal-scores")).edges());
    }

    @Test
    void inputIsTheTransformOfEachGeneAndTheGateReadsTheShareOfZeros() {
        float[] v = {0, 2, 0, -1, 3, 5, 1, 2};
        ExpressionMatrix x = new ExpressionMatrix(v, List.of("c0", "c1", "c2", "c3"), List.of("a", "b"));
        CrowdModel.Settings ranks = CrowdModel.Settings.of(new InferenceOptions(0, "cpu",
                Map.of("input", "ranks"), List.of()));
        assertArrayEquals(CopulaTransform.scaledRanks(v, 4, 2), CrowdModel.input(x, ranks).values());
        CrowdModel.Settings off = CrowdModel.Settings.of(new InferenceOptions(0, "cpu", Map.of(), List.of()));
        assertSame(x, CrowdModel.input(x, off));
        // 2 of 8 values are 0: a gate at 0.25 opens, one at 0.26 stays closed
        CrowdModel.Settings open = CrowdModel.Settings.of(new InferenceOptions(0, "cpu",
                Map.of("input", "normal-scores", "input-zeros", "0.25"), List.of()));
        assertArrayEquals(CopulaTransform.normalScores(v, 4, 2), CrowdModel.input(x, open).values());
        CrowdModel.Settings closed = CrowdModel.Settings.of(new InferenceOptions(0, "cpu",
                Map.of("input", "normal-scores", "input-zeros", "0.26"), List.of()));
        assertSame(x, CrowdModel.input(x, closed));
    }

    @Test
    void learnedTermCanKeepTheValues() {
        ExpressionMatrix data = Synthetic.linear(200, 20, 3, EDGES, 4);
        // without the learned term, input-learned changes nothing
        assertEquals(crowd(data, Map.of("input", "ranks", "w-learned", "0")).edges(),
                crowd(data, Map.of("input", "ranks", "w-learned", "0", "input-learned", "values")).edges());
    }

    @Test
    void invalidValuesNameTheirField() {
        ModelException e = assertThrows(ModelException.class, () -> CrowdModel.Settings.of(
                new InferenceOptions(0, "cpu", Map.of("input", "logs"), List.of())));
        assertEquals("input", e.field());
        e = assertThrows(ModelException.class, () -> CrowdModel.Settings.of(
                new InferenceOptions(0, "cpu", Map.of("input-learned", "x"), List.of())));
        assertEquals("input-learned", e.field());
    }
}
