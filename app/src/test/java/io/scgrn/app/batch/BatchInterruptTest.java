package io.scgrn.app.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C on a real process: {@code kill -INT} a child JVM running a batch, then resume it. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class BatchInterruptTest {
    @TempDir
    Path dir;

    @Test
    void sigintRecordsInterruptedTasksExits130AndTheRerunResumes() throws Exception {
        Fixtures.copyTiny(dir);
        Path plan = Fixtures.write(dir.resolve("plan.yaml"), """
                datasets: [tiny.h5ad]
                models: [{name: pearson, params: {x: [1, 2, 3, 4]}}]
                """);
        Path out = dir.resolve("out");
        Path markers = Files.createDirectories(dir.resolve("markers"));
        Path log = dir.resolve("child.log");
        List<String> cmd = new ArrayList<>();
        if (envResetsSignals()) {
            // A JVM whose parent ignored SIGINT (background job without job control) never installs its Ctrl-C
            // handler; give the child the default disposition so the test means the same everywhere.
            cmd.addAll(List.of("env", "--default-signal=INT"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", InterruptChild.class.getName(),
                markers.toString(), plan.toString(), "--out", out.toString(), "--jobs", "2"));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            try {
                Awaitility.await("two tasks running").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(50)).failFast("the child exited", () -> !child.isAlive())
                        .until(() -> count(markers) >= 2);
            } catch (ConditionTimeoutException | TerminalFailureException e) {
                fail("two tasks never ran (" + e.getMessage() + "); child log:\n" + Files.readString(log));
            }
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not stop after SIGINT");
        } finally {
            child.destroyForcibly();
        }
        String childLog = Files.readString(log);
        assertEquals(130, child.exitValue(), childLog);

        List<TaskSpec> tasks = TaskSpec.expand(new PlanParser(null).parse(plan), null);
        Path tasksDir = out.resolve("tasks");
        assertEquals(TaskStatus.OK, TaskManifest.read(tasksDir.resolve(tasks.get(0).folder())).status(), childLog);
        for (TaskSpec t : tasks.subList(1, 3)) {
            TaskManifest m = TaskManifest.read(tasksDir.resolve(t.folder()));
            assertEquals(TaskStatus.INTERRUPTED, m.status(), childLog);
            assertEquals(130, m.exitCode());
            assertTrue(m.epochs() > 0, "the loss curve up to the interruption is kept");
            assertFalse(Files.exists(tasksDir.resolve(t.folder()).resolve("network.tsv")));
        }
        assertFalse(Files.exists(tasksDir.resolve(tasks.get(3).folder())), "x=4 never started");
        try (Stream<Path> s = Files.list(tasksDir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary folder left");
        }
        JsonObject summary = new JsonObject(Files.readString(out.resolve(ReportWriter.JSON)));
        assertTrue(summary.getBoolean("cancelled"));
        assertEquals(2, summary.getJsonObject("counts").getInteger("interrupted"));
        assertEquals(1, summary.getJsonObject("counts").getInteger("not-run"));

        // The rerun (fast tasks now) reuses x=1 and runs the three others.
        AtomicInteger ran = new AtomicInteger();
        TaskExecutor fast = (task, outDir, progress) -> {
            ran.incrementAndGet();
            BatchRunnerTest.writeNetwork(outDir.resolve("network.tsv"), 2);
            return new TaskExecutor.TaskOutput("cpu", 60);
        };
        Fixtures.Run r = Fixtures.batch(cfg -> fast, new TaskStore(), plan.toString(), "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(3, ran.get());
        assertTrue(r.out().contains("4 ok (1 reused)"), r.out());
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static boolean envResetsSignals() {
        try {
            return new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
