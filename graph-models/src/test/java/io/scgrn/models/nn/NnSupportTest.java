package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.ModelParams;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NnSupportTest {
    @Test
    void rankStandardiseGivesMeanRanksToTiesAndHandlesNegatives() {
        // One gene over 4 cells: values -2, 5, 5, -0.0 → ranks 1, 3.5, 3.5, 2 → z-scored (mean 2.5, sd sqrt(1.125)).
        ExpressionMatrix m = new ExpressionMatrix(new float[] {-2, 5, 5, -0.0f}, List.of("a", "b", "c", "d"),
                List.of("g"));
        float sd = (float) Math.sqrt(1.125);
        assertArrayEquals(new float[] {-1.5f / sd, 1 / sd, 1 / sd, -0.5f / sd}, NnSupport.rankStandardise(m),
                1e-6f);
        ExpressionMatrix nan = new ExpressionMatrix(new float[] {1, Float.NaN}, List.of("a", "b"), List.of("g"));
        assertEquals("X", assertThrows(ModelException.class, () -> NnSupport.rankStandardise(nan)).field());
    }

    @Test
    void rankScaleSharesTiesAndZeroesSkipped() {
        assertArrayEquals(new float[] {0.25f, 0.625f, 0.625f, 0},
                NnSupport.rankScale(new float[] {1, 3, 3, 9}, new boolean[] {false, false, false, true}), 1e-6f);
    }

    @Test
    void paramsRejectUnknownNamesAndBadValues() {
        assertEquals("foo", assertThrows(ModelException.class,
                () -> new ModelParams(Map.of("foo", "1"), Set.of("bar"))).field());
        ModelParams p = new ModelParams(Map.of("bar", "x", "n", "5"), Set.of("bar", "n"));
        assertEquals("bar", assertThrows(ModelException.class, () -> p.doubleValue("bar", 1, 0, 2)).field());
        assertEquals("n", assertThrows(ModelException.class, () -> p.intValue("n", 1, 0, 4)).field());
        assertEquals(5, p.intValue("n", 1, 0, 10));
        assertEquals("device", assertThrows(ModelException.class, () -> NnSupport.device("tpu")).field());
    }
}
