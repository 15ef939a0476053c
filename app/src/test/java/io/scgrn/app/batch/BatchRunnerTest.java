package io.scgrn.app.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.anndata.AnnDataException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner with stand-in executors: resume, failures, write errors, cancellation, report files. */
class BatchRunnerTest {
    @TempDir
    Path dir;
    Path out;

    /** Executions per task folder. */
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    @BeforeEach
    void fixture() throws IOException {
        Fixtures.copyTiny(dir);
        out = dir.resolve("out");
    }

    /** Writes a small deterministic network (scores from the task's parameters) and reports 5 epochs. */
    TaskExecutor fake() {
        return (task, outDir, progress) -> {
            runs.computeIfAbsent(task.folder(), k -> new AtomicInteger()).incrementAndGet();
            progress.phase("train");
            for (int e = 1; e <= 5; e++) {
                progress.epoch(e, 5, 1.0 / e);
            }
            progress.phase("write");
            writeNetwork(outDir.resolve("network.tsv"), task.paramsLabel().hashCode());
            return new TaskExecutor.TaskOutput("cpu", 6 * 10);
        };
    }

    static void writeNetwork(Path file, int salt) throws IOException {
        List<String> tfs = List.of("SPI1", "GATA1", "TAL1", "KLF1", "CEBPA", "RUNX1");
        List<String[]> rows = new ArrayList<>();
        for (int t = 0; t < tfs.size(); t++) {
            for (int g = 0; g < 10; g++) {
                // planted edges (GENE j with j % 6 == t) score highest
                double s = (g % 6 == t ? 2.0 : 0.0) + ((salt + 31 * t + 7 * g) & 0xff) / 256.0;
                rows.add(new String[] {tfs.get(t), String.format(Locale.ROOT, "GENE%02d", g), Double.toString(s)});
            }
        }
        rows.sort((a, b) -> Double.compare(Double.parseDouble(b[2]), Double.parseDouble(a[2])));
        StringBuilder sb = new StringBuilder("tf\ttarget\tscore\tsign\tstability\n");
        rows.forEach(r -> sb.append(r[0]).append('\t').append(r[1]).append('\t').append(r[2]).append("\t1\tNaN\n"));
        Files.writeString(file, sb.toString());
    }

    Path plan(String models) throws IOException {
        return Fixtures.write(dir.resolve("plan.yaml"), """
                tfs: tfs.txt
                datasets:
                  - path: tiny.h5ad
                    truth: truth.csv
                models:
                """ + models);
    }

    Fixtures.Run batch(TaskExecutor ex, TaskStore store, Path plan, String... extra) {
        List<String> args = new ArrayList<>(List.of(plan.toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        if (!args.contains("--jobs")) {
            args.addAll(List.of("--jobs", "2"));
        }
        return Fixtures.batch(cfg -> ex, store, args.toArray(String[]::new));
    }

    List<Path> taskDirs() throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("tasks"))) {
            return s.sorted().toList();
        }
    }

    static TaskManifest manifest(Path taskDir) {
        TaskManifest m = TaskManifest.read(taskDir);
        assertNotNull(m, "manifest in " + taskDir);
        return m;
    }

    @Test
    void rerunSkipsCompleteTasksForceRerunsAndNewGridPointsRunAlone() throws IOException {
        Path plan = plan("  - {name: pearson, params: {x: [1, 2, 3]}}\n");
        Fixtures.Run r1 = batch(fake(), new TaskStore(), plan);
        assertEquals(0, r1.code(), r1.err());
        assertEquals(3, runs.size());
        List<Path> dirs = taskDirs();
        assertEquals(3, dirs.size());
        Map<Path, byte[]> manifests = new TreeMap<>();
        for (Path d : dirs) {
            TaskManifest m = manifest(d);
            assertEquals(TaskStatus.OK, m.status());
            assertEquals(5, m.epochs());
            assertTrue(m.phaseSeconds().containsKey("train"), m.phaseSeconds().toString());
            assertEquals(64, m.fingerprint().sha256().length());
            manifests.put(d, Files.readAllBytes(d.resolve(TaskManifest.FILE)));
            assertTrue(Files.isRegularFile(d.resolve(BatchRunner.LOSS)));
        }

        Fixtures.Run r2 = batch(fake(), new TaskStore(), plan);
        assertEquals(0, r2.code(), r2.err());
        assertTrue(r2.out().contains("3 ok (3 reused)"), r2.out());
        runs.values().forEach(c -> assertEquals(1, c.get(), "no task ran twice"));
        for (Path d : dirs) {
            assertArrayEquals(manifests.get(d), Files.readAllBytes(d.resolve(TaskManifest.FILE)),
                    "a reused task's manifest is untouched");
        }

        plan("  - {name: pearson, params: {x: [1, 2, 3, 4]}}\n");
        Fixtures.Run r3 = batch(fake(), new TaskStore(), plan);
        assertEquals(0, r3.code(), r3.err());
        assertEquals(4, runs.size());
        assertEquals(4, runs.values().stream().mapToInt(AtomicInteger::get).sum(), "only the new point ran");

        Fixtures.Run r4 = batch(fake(), new TaskStore(), plan, "--force");
        assertEquals(0, r4.code(), r4.err());
        runs.values().forEach(c -> assertEquals(2, c.get(), "--force reruns everything"));

        // A changed input (same path) invalidates every task of that dataset.
        byte[] data = Files.readAllBytes(dir.resolve("tiny.h5ad"));
        data[data.length - 1] ^= 1;
        Files.write(dir.resolve("tiny.h5ad"), data);
        assertEquals(0, batch(fake(), new TaskStore(), plan).code());
        runs.values().forEach(c -> assertEquals(3, c.get(), "changed input: rerun"));
    }

    @Test
    void failingTaskIsRecordedOthersCompleteExit3() throws IOException {
        Files.copy(dir.resolve("tiny.h5ad"), dir.resolve("broken.h5ad"));
        Path plan = Fixtures.write(dir.resolve("plan.yaml"), """
                datasets: [tiny.h5ad, broken.h5ad]
                models: [{name: pearson, params: {x: [1, 2]}}]
                """);
        TaskExecutor failing = (task, outDir, progress) -> {
            if (task.dataset().name().equals("broken")) {
                runs.computeIfAbsent(task.folder(), k -> new AtomicInteger()).incrementAndGet();
                progress.phase("read");
                Files.writeString(outDir.resolve("network.tsv"), "half-written"); // must not survive
                throw new AnnDataException(task.dataset().path(), "/X/data", "truncated file: read past the end");
            }
            return fake().run(task, outDir, progress);
        };
        Fixtures.Run r = batch(failing, new TaskStore(), plan);
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("failed: " + dir.resolve("broken.h5ad") + ":/X/data: truncated file"), r.err());
        assertTrue(r.out().contains("4 task(s): 2 ok (0 reused), 2 failed"), r.out());
        int failed = 0;
        for (Path d : taskDirs()) {
            TaskManifest m = manifest(d);
            if (m.dataset().equals("broken")) {
                failed++;
                assertEquals(TaskStatus.FAILED, m.status());
                assertEquals(4, m.exitCode());
                assertTrue(m.error().endsWith("truncated file: read past the end"), m.error());
                assertTrue(Files.readString(d.resolve(BatchRunner.ERROR)).contains("AnnDataException"));
                assertFalse(Files.exists(d.resolve("network.tsv")), "no partial output of a failed task");
            } else {
                assertEquals(TaskStatus.OK, m.status());
            }
        }
        assertEquals(2, failed);
        String tsv = Files.readString(out.resolve(ReportWriter.TSV));
        assertEquals(5, tsv.lines().count());
        assertTrue(tsv.lines().filter(l -> l.contains("\tfailed\t")).allMatch(l -> l.contains("\t4\t")), tsv);

        // The rerun redoes only the failed tasks.
        Map<String, Integer> before = new TreeMap<>();
        runs.forEach((k, v) -> before.put(k, v.get()));
        batch(failing, new TaskStore(), plan);
        runs.forEach((k, v) -> assertEquals(before.get(k) + (k.startsWith("broken-") ? 1 : 0), v.get(),
                "only the broken tasks reran: " + k));
    }

    @Test
    void writeFailureIsRecordedAndLeavesNoTemporaryFolder() throws IOException {
        Path plan = plan("  - {name: pearson, params: {x: [1, 2, 3]}}\n");
        TaskStore diskFull = new TaskStore() {
            @Override
            public void commit(Path tmp, Path target) throws IOException {
                if (target.getFileName().toString().equals(victim)) {
                    throw new IOException("No space left on device");
                }
                super.commit(tmp, target);
            }
        };
        BatchPlan p = new PlanParser(null).parse(plan);
        victim = TaskSpec.expand(p, null).get(1).folder();
        Fixtures.Run r = batch(fake(), diskFull, plan);
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("task " + victim + " failed: cannot write results to"), r.err());
        assertTrue(r.err().contains("No space left on device"), r.err());
        for (Path d : taskDirs()) {
            assertFalse(d.getFileName().toString().startsWith("."), "temporary folder left behind: " + d);
            TaskManifest m = manifest(d);
            assertEquals(d.getFileName().toString().equals(victim) ? TaskStatus.FAILED : TaskStatus.OK, m.status());
        }
        JsonObject summary = new JsonObject(Files.readString(out.resolve(ReportWriter.JSON)));
        assertEquals(1, summary.getJsonObject("counts").getInteger("failed"));
        assertEquals(3, summary.getInteger("exit_code"));
    }

    String victim;

    @Test
    void cancelMarksRunningTasksInterruptedAndQueuedNotRun() throws Exception {
        Path plan = plan("  - {name: pearson, params: {x: [1, 2, 3, 4]}}\n");
        List<TaskSpec> tasks = TaskSpec.expand(new PlanParser(null).parse(plan), null);
        CountDownLatch twoRunning = new CountDownLatch(2);
        TaskExecutor slow = (task, outDir, progress) -> {
            if (task.paramsLabel().equals("x=1")) {
                return fake().run(task, outDir, progress);
            }
            twoRunning.countDown();
            for (int e = 1; ; e++) {
                progress.epoch(e, 1_000_000, 1.0); // throws once cancelled
                Thread.sleep(5);
            }
        };
        BatchRunner runner = new BatchRunner(slow, new TaskStore(), BatchListener.NONE,
                new BatchRunner.Options(2, false, "test"));
        Thread canceller = new Thread(() -> {
            try {
                if (twoRunning.await(30, TimeUnit.SECONDS)) {
                    runner.cancel();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();
        BatchResult result = runner.run(out, tasks);
        canceller.join();
        assertTrue(result.cancelled());
        assertEquals(130, result.exitCode());
        assertEquals(List.of(TaskStatus.OK, TaskStatus.INTERRUPTED, TaskStatus.INTERRUPTED, TaskStatus.NOT_RUN),
                result.results().stream().map(TaskResult::status).toList());
        TaskManifest m = manifest(out.resolve("tasks").resolve(tasks.get(1).folder()));
        assertEquals(TaskStatus.INTERRUPTED, m.status());
        assertEquals(130, m.exitCode());
        assertFalse(Files.exists(out.resolve("tasks").resolve(tasks.get(3).folder())));
    }

    @Test
    void exclusiveTasksNeverOverlapAndJobsBoundsTheTotal() throws IOException {
        Path plan = plan("  - {name: pearson, params: {x: [1, 2, 3, 4, 5, 6]}}\n");
        AtomicInteger running = new AtomicInteger();
        AtomicInteger runningExclusive = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger maxExclusive = new AtomicInteger();
        TaskExecutor ex = new TaskExecutor() {
            @Override
            public TaskOutput run(TaskSpec task, Path outDir, TaskProgress progress) throws Exception {
                boolean excl = exclusive(task);
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                if (excl) {
                    maxExclusive.accumulateAndGet(runningExclusive.incrementAndGet(), Math::max);
                }
                Thread.sleep(150);
                if (excl) {
                    runningExclusive.decrementAndGet();
                }
                running.decrementAndGet();
                return fake().run(task, outDir, progress);
            }

            @Override
            public boolean exclusive(TaskSpec task) {
                return Integer.parseInt(task.params().get("x")) <= 4; // like DJL trainings: one at a time
            }
        };
        Fixtures.Run r = batch(ex, new TaskStore(), plan, "--jobs", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, maxExclusive.get(), "exclusive tasks overlapped");
        assertTrue(maxRunning.get() <= 3, "more than --jobs tasks at once: " + maxRunning.get());
    }

    @Test
    void reportIsSelfContainedWithChartsAndScores() throws IOException {
        Path plan = plan("  - {name: pearson, params: {x: [1, 2]}}\n  - spearman\n");
        assertEquals(0, batch(fake(), new TaskStore(), plan).code());
        String html = Files.readString(out.resolve(ReportWriter.HTML));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<svg"), "inline charts");
        assertTrue(html.contains("EPR per dataset"), "cross-model comparison chart");
        assertTrue(html.contains("Loss per epoch"), "loss curves");
        assertTrue(html.contains("Targets per TF") && html.contains("Edge scores"), "degree and score charts");
        assertTrue(html.contains("<b>SPI1</b>") && html.contains("best targets"), "top regulons");
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.replace("xmlns='http://www.w3.org/2000/svg'", "").matches("(?s).*(src|href)=['\"]?https?:.*"),
                "no external requests");
        JsonObject summary = new JsonObject(Files.readString(out.resolve(ReportWriter.JSON)));
        JsonObject first = summary.getJsonArray("tasks").getJsonObject(0);
        JsonObject scores = first.getJsonObject("scores");
        assertNotNull(scores, first.encode());
        // The fake network ranks the 24 planted edges (GENE00..GENE09 part of them) first: EPR well above random.
        assertTrue(scores.getDouble("epr") > 1.5, scores.encode());
        // 60 edges: the top tenth are exactly the 10 planted ones, 2 each for SPI1, GATA1, TAL1 and KLF1.
        JsonObject topRegulon = first.getJsonArray("top_regulons").getJsonObject(0);
        assertEquals(2, topRegulon.getInteger("n_targets"), topRegulon.encode());
        assertTrue(List.of("SPI1", "GATA1", "TAL1", "KLF1").contains(topRegulon.getString("tf")), topRegulon.encode());
        String tsv = Files.readString(out.resolve(ReportWriter.TSV));
        assertTrue(tsv.startsWith("task_id\tfolder\tdataset\tmodel\tparams"), tsv);
    }
}
