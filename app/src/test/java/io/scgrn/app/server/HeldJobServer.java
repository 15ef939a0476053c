package io.scgrn.app.server;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;

/**
 * A child-JVM server for {@link ServerRestartTest}: the real server on a workspace, with a {@link JobExecutor} that
 * holds every job in state running until the job is cancelled or the JVM is killed, so the test can kill a server
 * mid-job without burning CPU. Prints the same "listening on" line as {@code scgrn serve}.
 *
 * <p>Arguments: {@code PORT WORKSPACE}.
 */
final class HeldJobServer {
    private HeldJobServer() {
    }

    /** Runs until cancelled (the latch is never released: only an interrupt, on shutdown, ends the wait). */
    static final JobExecutor HOLDS = (spec, input, out, progress) -> {
        progress.phase("held");
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new CancellationException("interrupted");
    };

    public static void main(String[] args) throws InterruptedException {
        ScgrnServer server = ScgrnServer.start(ServerConfig.loopback(Path.of(args[1]), Integer.parseInt(args[0])),
                HOLDS);
        System.out.println("held-job server listening on http://127.0.0.1:" + server.port() + "/");
        System.out.flush();
        Thread.currentThread().join();
    }
}
