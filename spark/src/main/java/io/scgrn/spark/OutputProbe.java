package io.scgrn.spark;

import io.scgrn.app.batch.BatchRunner;
import io.scgrn.app.batch.ClusterBackend.ClusterException;
import io.scgrn.app.batch.TaskStore;
import io.scgrn.app.run.FileTrees;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Whether the executors share the batch's output folder with the driver: the driver writes a random token into a
 * staging folder under {@code OUT/tasks/} (whose {@code .tmp-} name the batch's stale-folder cleaning knows), one
 * Spark task per executor core reads it back and writes a file next to it. An executor that does not find the token
 * sees another folder under that name (the driver's local disk); one that cannot write has no permission there.
 */
final class OutputProbe {
    private static final Logger LOG = LoggerFactory.getLogger(OutputProbe.class);
    static final String DRIVER_FILE = "driver.token";

    private OutputProbe() {
    }

    static void check(JavaSparkContext sc, int parallelism, Path dir) {
        Path probe = dir.resolve(BatchRunner.TASKS_DIR).resolve(TaskStore.TMP_PREFIX + "probe-" + UUID.randomUUID());
        String token = UUID.randomUUID().toString();
        try {
            Files.createDirectories(probe);
            Files.writeString(probe.resolve(DRIVER_FILE), token);
        } catch (IOException | SecurityException e) {
            LOG.debug("cannot write the probe {}: {}", probe, e.toString());
            return;
        }
        try {
            String where = probe.toString();
            List<String> problems = sc.parallelize(IntStream.range(0, parallelism).boxed().toList(), parallelism)
                    .map(i -> OutputProbe.onExecutor(where, token, i)).filter(s -> !s.isEmpty()).collect();
            if (!problems.isEmpty()) {
                throw new ClusterException("the executors cannot use the output folder " + dir + ": "
                        + problems.get(0) + "; --out (and the plan's inputs) must be on a file system every executor "
                        + "sees and can write (NFS, a shared disk)", null);
            }
        } finally {
            try {
                FileTrees.delete(probe);
            } catch (IOException e) {
                LOG.debug("cannot remove {} (the batch's stale-folder cleaning will): {}", probe, e.toString());
            }
        }
    }

    /** On an executor: empty when it reads the driver's token and writes next to it, else what went wrong. */
    static String onExecutor(String probe, String token, int slot) {
        String who;
        try {
            who = "executor on " + InetAddress.getLocalHost().getHostName() + " (pid " + ProcessHandle.current().pid()
                    + ")";
        } catch (IOException e) {
            who = "executor pid " + ProcessHandle.current().pid();
        }
        Path p = Path.of(probe);
        try {
            if (!token.equals(Files.readString(p.resolve(DRIVER_FILE)))) {
                return who + " sees another folder there (the driver's file holds something else)";
            }
        } catch (NoSuchFileException e) {
            return who + " does not see the files the driver writes there";
        } catch (IOException | SecurityException e) {
            return who + " cannot read there (" + e + ")";
        }
        try {
            Files.writeString(p.resolve("executor-" + slot + "-" + ProcessHandle.current().pid()), token);
        } catch (IOException | SecurityException e) {
            return who + " cannot write there (" + e + ")";
        }
        return "";
    }
}
