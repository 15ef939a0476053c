package io.scgrn.app.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C during a console run: asks the pipeline to stop (through its progress) and holds the JVM's exit up to
 * 10 s, until {@link #close} says the pipeline has removed its temporary output. Open it before the run, close it
 * when the run has ended (normally or not).
 */
final class CtrlC implements AutoCloseable {
    private final ProgressPrinter progress;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    CtrlC(ProgressPrinter progress) {
        this.progress = progress;
        this.hook = new Thread(() -> {
            progress.cancel();
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "scgrn-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The run has ended: finishes the progress display and lets a pending Ctrl-C exit. */
    @Override
    public void close() {
        progress.finish();
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // already exiting because of Ctrl-C: the hook is running and now returns
        }
    }
}
