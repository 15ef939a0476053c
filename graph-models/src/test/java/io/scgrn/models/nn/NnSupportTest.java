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
    void networkIsTheRankingOfTheEdgesInPositionOrder() {
        // tied scores (a coarse grid, 0 and -0), repeated gene names and signs: the same edges, in the same order,
        // as Network's own sort of the edges listed by (TF, gene) position
        int g = 40;
        List<String> genes = new java.util.ArrayList<>();
        for (int j = 0; j < g; j++) {
            genes.add("g" + (j % 17 == 3 ? 3 : (j * 7) % g));
        }
        int[] tfIdx = {0, 3, 5, 20, 39};
        java.util.Random r = new java.util.Random(11);
        float[] score = new float[tfIdx.length * g];
        float[] sign = new float[score.length];
        for (int k = 0; k < score.length; k++) {
            score[k] = r.nextInt(6) / 5f;
            sign[k] = r.nextFloat() - 0.5f;
        }
        score[1] = -0f;
        List<io.scgrn.models.Edge> positional = new java.util.ArrayList<>();
        for (int t = 0; t < tfIdx.length; t++) {
            for (int j = 0; j < g; j++) {
                if (j != tfIdx[t]) {
                    int k = t * g + j;
                    positional.add(new io.scgrn.models.Edge(genes.get(tfIdx[t]), genes.get(j), score[k],
                            (int) Math.signum(sign[k]), Double.NaN));
                }
            }
        }
        assertEquals(new io.scgrn.models.Network(positional).edges(),
                NnSupport.network(genes, tfIdx, score, sign, null).edges());
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
