package io.scgrn.app.batch;

import io.scgrn.app.cli.BatchCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * The child JVM of {@link BatchInterruptTest}: {@code scgrn batch} with tasks that are slow on purpose (so that
 * Ctrl-C finds them running) except {@code x=1}, which completes at once. A running task drops a marker file so
 * that the test knows when to send SIGINT. Test code: like the real {@code Main}, it is a process entry point and
 * ends with {@link System#exit}.
 */
public final class InterruptChild {
    private InterruptChild() {
    }

    /** {@code args[0]}: marker folder; the rest: {@code scgrn batch} arguments. */
    public static void main(String[] args) {
        Path markers = Path.of(args[0]);
        TaskExecutor slow = (task, outDir, progress) -> {
            if (task.paramsLabel().equals("x=1")) {
                BatchRunnerTest.writeNetwork(outDir.resolve("network.tsv"), 1);
                return new TaskExecutor.TaskOutput("cpu", 60);
            }
            progress.phase("train");
            Files.writeString(markers.resolve(task.folder()), "running");
            for (int e = 1; ; e++) {
                progress.epoch(e, 1_000_000, 1.0 / e); // throws CancellationException once Ctrl-C cancelled the batch
                Thread.sleep(10);
            }
        };
        CommandLine cl = new CommandLine(new BatchCommand(cfg -> slow, new TaskStore()));
        System.exit(cl.execute(Arrays.copyOfRange(args, 1, args.length)));
    }
}
