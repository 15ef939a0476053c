package io.scgrn.models.numerics;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Base {@link NDManager}s whose thread computes with the engine's thread count from its first product on.
 *
 * <p>Why: PyTorch keeps its intra-op thread count per thread (OpenMP's and MKL's settings are thread-local) and
 * applies the process-wide count ({@code -Dai.djl.pytorch.num_threads}) lazily, at a thread's first element-wise
 * operation large enough to be split. Until then a matrix product runs with the libraries' default (all cores) and
 * rounds its last bits differently. So the same input gave another network on a thread whose first DJL operation
 * was a product (the CLI's main thread: its first correlation) than on one that had already computed (a reused
 * server or batch worker): measured on sergio-DS4 (docs/benchmarks.md, "Engine threads (lead, session 9)").
 * {@link #newManager} runs one 65,536-element element-wise operation the first time a thread asks for a manager.
 */
public final class EngineThreads {
    private static final ThreadLocal<Boolean> READY = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private EngineThreads() {
    }

    /** A new base manager on {@code device}, its thread prepared first ({@link #prepare}); the caller closes it. */
    public static NDManager newManager(Device device) {
        prepare();
        return NDManager.newBaseManager(device);
    }

    /** Applies the engine's thread count to the calling thread, once per thread (cheap after the first call). */
    public static void prepare() {
        if (READY.get()) {
            return;
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.ones(new Shape(1 << 16)).muli(2);
        }
        READY.set(Boolean.TRUE);
    }
}
