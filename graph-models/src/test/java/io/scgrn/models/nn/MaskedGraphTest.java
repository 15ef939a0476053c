package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scgrn.models.numerics.EngineThreads;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskedGraphTest {
    /** Four genes: edges 0-1 and 1-3, self-loops. */
    private static final float[] SMALL = {1, 1, 0, 0,
                                          1, 1, 0, 1,
                                          0, 0, 1, 0,
                                          0, 1, 0, 1};

    /** A random symmetric 0/1 graph on g genes with a diagonal of 1, row-major. */
    private static float[] randomGraph(int g, double density, Random rnd) {
        float[] a = new float[g * g];
        for (int i = 0; i < g; i++) {
            a[i * g + i] = 1;
            for (int j = i + 1; j < g; j++) {
                if (rnd.nextDouble() < density) {
                    a[i * g + j] = 1;
                    a[j * g + i] = 1;
                }
            }
        }
        return a;
    }

    @Test
    void theMaskedNormalisedGraphIsTheDenseDefinition() {
        int g = 40;
        Random rnd = new Random(3);
        float[] a = randomGraph(g, 0.15, rnd);
        try (NDManager m = EngineThreads.newManager(ai.djl.Device.cpu());
             MaskedGraph graph = new MaskedGraph(m, a, g)) {
            // hide five edges (both directions), as the masking plan does
            float[] masked = a.clone();
            long[] hidden = new long[10];
            int q = 0;
            for (int i = 0; i < g && q < 10; i++) {
                for (int j = i + 1; j < g && q < 10; j++) {
                    if (a[i * g + j] != 0) {
                        hidden[q++] = graph.position(i, j);
                        hidden[q++] = graph.position(j, i);
                        masked[i * g + j] = 0;
                        masked[j * g + i] = 0;
                    }
                }
            }
            NDArray an = graph.normalised(m.create(hidden), m.zeros(new Shape(10)));
            assertTrue(an.isSparse(), "sparse on the PyTorch engine");
            float[] got = an.toDense().toFloatArray();
            float[] want = GeneGraph.normaliseWithSelfLoops(m.create(masked, new Shape(g, g))).toFloatArray();
            assertArrayEquals(want, got, 1e-6f);
            // the hidden edges are gone, the others are not
            assertEquals(0f, got[hiddenRow(a, g) * g + hiddenCol(a, g)]);
            // a product with it is the dense product
            NDArray h = m.randomNormal(new Shape(g, 3));
            assertArrayEquals(m.create(want, new Shape(g, g)).matMul(h).toFloatArray(), an.matMul(h).toFloatArray(),
                    1e-5f);
        }
    }

    @Test
    void theSharedGraphOfTheBatchedEnsembleIsAPlusI() {
        int g = 30;
        float[] a = randomGraph(g, 0.2, new Random(5));
        float[] noLoops = a.clone();
        for (int i = 0; i < g; i++) {
            noLoops[i * g + i] = 0;
        }
        try (NDManager m = EngineThreads.newManager(ai.djl.Device.cpu())) {
            NDArray s = GnnEnsemble.sharedGraph(m, noLoops, g);
            assertTrue(s.isSparse(), "sparse on the PyTorch engine");
            assertArrayEquals(a, s.toDense().toFloatArray());
            // still readable after more allocations (its index arrays stay with the manager)
            NDArray h = m.randomNormal(new Shape(g, 4));
            assertArrayEquals(m.create(a, new Shape(g, g)).matMul(h).toFloatArray(), s.matMul(h).toFloatArray(),
                    1e-5f);
        }
    }

    @Test
    void eachEpochMasksOnlyItsOwnHiddenEdges() {
        int g = 4;
        float[] a = SMALL.clone();
        try (NDManager m = EngineThreads.newManager(ai.djl.Device.cpu());
             MaskedGraph graph = new MaskedGraph(m, a, g)) {
            NDArray zeros = m.zeros(new Shape(2));
            float[] first = graph.normalised(m.create(new long[] {graph.position(0, 1), graph.position(1, 0)}), zeros)
                    .toDense().toFloatArray();
            assertEquals(0f, first[1]);
            assertEquals(1f, first[0], 1e-6f, "gene 0 keeps only its self-loop");
            // a later epoch hides another edge: the first epoch's edge is back (the entry list is not changed)
            float[] second = graph.normalised(m.create(new long[] {graph.position(1, 3), graph.position(3, 1)}),
                    zeros).toDense().toFloatArray();
            float[] unmasked = a.clone();
            unmasked[1 * g + 3] = 0;
            unmasked[3 * g + 1] = 0;
            assertArrayEquals(GeneGraph.normaliseWithSelfLoops(m.create(unmasked, new Shape(g, g))).toFloatArray(),
                    second, 1e-6f);
            assertEquals(0.5f, second[1], 1e-6f, "edge 0-1 is back: 1 / sqrt(2 * 2)");
        }
    }

    @Test
    void positionsFollowTheRowMajorEntryList() {
        int g = 4;
        float[] a = SMALL.clone();
        try (NDManager m = EngineThreads.newManager(ai.djl.Device.cpu());
             MaskedGraph graph = new MaskedGraph(m, a, g)) {
            assertEquals(8, graph.entries());
            assertEquals(1, graph.position(0, 1));
            assertEquals(2, graph.position(1, 0));
            assertEquals(4, graph.position(1, 3));
            assertEquals(6, graph.position(3, 1));
            assertThrows(IllegalArgumentException.class, () -> graph.position(0, 2));
        }
    }

    private static int hiddenRow(float[] a, int g) {
        for (int i = 0; i < g; i++) {
            for (int j = i + 1; j < g; j++) {
                if (a[i * g + j] != 0) {
                    return i;
                }
            }
        }
        throw new AssertionError();
    }

    private static int hiddenCol(float[] a, int g) {
        int i = hiddenRow(a, g);
        for (int j = i + 1; j < g; j++) {
            if (a[i * g + j] != 0) {
                return j;
            }
        }
        throw new AssertionError();
    }
}
