package io.scgrn.app.run;

import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The input file's SHA-256 for the manifest, computed on a background daemon thread while the pipeline reads and
 * trains, so a multi-gigabyte input does not add a second sequential pass.
 */
final class Sha256 {
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private volatile boolean cancelled;

    private Sha256() {
    }

    static Sha256 start(Path file) {
        Sha256 s = new Sha256();
        Thread t = new Thread(() -> s.compute(file), "scgrn-sha256");
        t.setDaemon(true);
        t.start();
        return s;
    }

    private void compute(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (cancelled) {
                    result.cancel(false);
                    return;
                }
                md.update(buf, 0, n);
            }
            result.complete(HexFormat.of().formatHex(md.digest()));
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** The hex digest; null when it could not be computed (the reason is in the log, not worth failing a run). */
    String await() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException | CancellationException e) {
            LoggerFactory.getLogger(Sha256.class).warn("sha256 of input failed: {}", e.toString());
            return null;
        }
    }

    /** Stops the computation (run failed or finished). */
    void cancel() {
        cancelled = true;
    }
}
