package io.scgrn.models.nn;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A daemon thread that calls {@link System#gc()} every millisecond until closed: tests run DJL training beside it to
 * show that no native tensor aliases a Java buffer the collector may free (round 8's {@code createCoo} hazard).
 */
final class GcPressure implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread collector;

    private GcPressure() {
        collector = new Thread(() -> {
            while (!stop.get()) {
                System.gc();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gc-during-training");
        collector.setDaemon(true);
    }

    /** Starts the collector thread. */
    static GcPressure start() {
        GcPressure p = new GcPressure();
        p.collector.start();
        return p;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        collector.join();
    }
}
