package io.scgrn.models.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Proves the PyTorch engine loads offline from the class path and computes. */
class EngineSmokeTest {
    static {
        // Tiny tensors gain nothing from intra-op threads, and on a shared CI box spinning OpenMP threads make the
        // tests many times slower; one thread also makes CPU runs bit-identical. Read when the engine first loads.
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    @Test
    void matmulOnTheEngine() {
        assertEquals("PyTorch", Engine.getInstance().getEngineName());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray b = m.create(new float[] {5, 6, 7, 8}, new Shape(2, 2));
            assertArrayEquals(new float[] {19, 22, 43, 50}, a.matMul(b).toFloatArray());
        }
    }
}
