package io.scgrn.spark;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.app.cli.Cli;
import io.scgrn.app.cli.ExitCodes;
import io.scgrn.app.run.FileTrees;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scgrn batch --spark} on a real standalone cluster: a master and two workers (one core each) started as
 * separate JVMs on the loopback interface, the driver in this JVM. The Spark run must produce the summary and the
 * networks of a local run, resume like one, survive the loss of a worker mid-task, and an unreachable master must be
 * one line with exit code 8.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS) // a broken cluster must fail the test, not hang it
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the worker-kill test last: it leaves one worker
class SparkBatchTest {
    static final Path FIXTURES = Path.of("..", "app", "src", "test", "resources", "batch");
    static final List<Process> PROCESSES = new ArrayList<>();
    static final List<Process> WORKERS = new ArrayList<>();
    static String master;
    static String classPath;

    @TempDir
    static Path shared;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts a Spark daemon; its output goes to NAME.log, and {@code ready} is counted down when a line contains
     * {@code readyLine} (the daemon's own "I am up" message: waiting on it, not on time).
     */
    static Process start(String name, List<String> args, Path sparkHome, String readyLine, CountDownLatch ready)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(List.of(System.getProperty("scgrn.test.spark.jvm.args", "").split(" ")).stream()
                .filter(s -> !s.isBlank()).toList());
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        cmd.addAll(List.of("-cp", classPath));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // a binary distribution's layout: jars/ and the Scala version (else the launcher looks for build folders)
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_DIRS", Files.createDirectories(shared.resolve("local-" + name)).toString());
        Process p = pb.start();
        PROCESSES.add(p);
        Path log = shared.resolve(name + ".log");
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8)); Writer w = Files.newBufferedWriter(log)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    w.write(line + "\n");
                    w.flush();
                    if (line.contains(readyLine)) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "spark-" + name + "-output");
        t.setDaemon(true);
        t.start();
        return p;
    }

    static void awaitLatch(CountDownLatch latch, String what) throws InterruptedException, IOException {
        if (!latch.await(150, TimeUnit.SECONDS)) {
            StringBuilder logs = new StringBuilder();
            try (Stream<Path> s = Files.list(shared)) {
                for (Path f : s.filter(f -> f.toString().endsWith(".log")).toList()) {
                    logs.append("--- ").append(f.getFileName()).append('\n').append(Files.readString(f));
                }
            }
            throw new AssertionError(what + " did not start:\n" + logs);
        }
    }

    @BeforeAll
    static void cluster() throws IOException, InterruptedException {
        classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // A Spark home whose jars/ is this class path: the workers build executor class paths from it.
        Path sparkHome = Files.createDirectories(shared.resolve("spark-home"));
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        for (String e : classPath.split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        CountDownLatch leader = new CountDownLatch(1);
        start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(freePort())), sparkHome,
                "I have been elected leader", leader);
        awaitLatch(leader, "the master");
        CountDownLatch registered = new CountDownLatch(2);
        for (int i = 1; i <= 2; i++) {
            WORKERS.add(start("worker" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--port", "0", "--webui-port", Integer.toString(freePort()), "--cores", "1", "--memory", "768m",
                    "--work-dir", shared.resolve("work" + i).toString(), master), sparkHome,
                    "Successfully registered with master", registered));
        }
        awaitLatch(registered, "the workers");
        // executors: this class path (target/classes of the modules included), small heaps
        System.setProperty("spark.executor.extraClassPath", classPath);
        System.setProperty("spark.executor.memory", "512m");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process p : PROCESSES) {
            p.descendants().forEach(ProcessHandle::destroy); // executors of a worker
            p.destroy();
        }
        for (Process p : PROCESSES) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** summary.tsv without the columns that differ between any two runs (wall time, reuse). */
    static List<String> summary(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("summary.tsv"));
        List<String> header = List.of(lines.get(0).split("\t", -1));
        int seconds = header.indexOf("seconds");
        int reused = header.indexOf("reused");
        List<String> rows = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split("\t", -1);
            f[seconds] = "";
            f[reused] = "";
            rows.add(String.join("\t", f));
        }
        return rows;
    }

    @Test
    void aPlanRunOnTheClusterEqualsTheLocalRunAndResumes() throws IOException {
        for (String f : new String[] {"tiny.h5ad", "tfs.txt", "truth.csv"}) {
            Files.copy(FIXTURES.resolve(f), shared.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(FIXTURES.resolve("tiny.h5ad"), shared.resolve("broken.h5ad"), StandardCopyOption.REPLACE_EXISTING);
        byte[] whole = Files.readAllBytes(shared.resolve("tiny.h5ad"));
        Files.write(shared.resolve("broken.h5ad"), Arrays.copyOf(whole, whole.length / 2));
        Path plan = shared.resolve("plan.yaml");
        Files.writeString(plan, """
                name: spark-e2e
                seed: 1
                device: cpu
                tfs: tfs.txt
                datasets:
                  - {path: tiny.h5ad, truth: truth.csv, groupby: cell_type}
                  - broken.h5ad
                models: [pearson, spearman]
                """);
        Path local = shared.resolve("local");
        Cli l = Cli.run("batch", plan.toString(), "--out", local.toString(), "-j", "2", "-q");
        assertEquals(ExitCodes.BATCH_TASK_FAILED, l.code(), l.toString());

        Path cluster = shared.resolve("cluster");
        Cli s = Cli.run("batch", plan.toString(), "--out", cluster.toString(), "--spark", master, "-q");
        assertEquals(ExitCodes.BATCH_TASK_FAILED, s.code(), s.toString());
        assertTrue(s.out().contains("4 task(s): 2 ok (0 reused), 2 failed"), s.toString());
        assertEquals(summary(local), summary(cluster));
        try (Stream<Path> tasks = Files.list(local.resolve("tasks"))) {
            for (Path d : tasks.toList()) {
                Path twin = cluster.resolve("tasks").resolve(d.getFileName());
                if (d.getFileName().toString().startsWith("broken-")) {
                    assertFalse(Files.exists(twin.resolve("network.tsv")), "a failed task is not complete");
                    continue;
                }
                for (String f : new String[] {"network.tsv", "network.arrow", "regulons.tsv", "network_diff.tsv"}) {
                    assertArrayEquals(Files.readAllBytes(d.resolve(f)), Files.readAllBytes(twin.resolve(f)),
                            d.getFileName() + "/" + f);
                }
            }
        }

        // resumable exactly like local batch: complete tasks are reused, the broken ones tried again
        Cli again = Cli.run("batch", plan.toString(), "--out", cluster.toString(), "--spark", master, "-q");
        assertTrue(again.out().contains("2 ok (2 reused), 2 failed"), again.toString());
    }

    @Test
    void groupsInferredOnTheClusterEqualLocalGroups() throws IOException {
        Path dir = Files.createDirectories(shared.resolve("infer"));
        for (String f : new String[] {"tiny.h5ad", "tfs.txt"}) {
            Files.copy(FIXTURES.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        String in = dir.resolve("tiny.h5ad").toString();
        String tfs = dir.resolve("tfs.txt").toString();
        Cli l = Cli.run("infer", in, "--model", "spearman", "--tfs", tfs, "--groupby", "cell_type", "--no-h5ad", "-q",
                "--out", dir.resolve("local").toString());
        assertEquals(0, l.code(), l.toString());
        Cli s = Cli.run("infer", in, "--model", "spearman", "--tfs", tfs, "--groupby", "cell_type", "--no-h5ad", "-q",
                "--out", dir.resolve("cluster").toString(), "--spark", master);
        assertEquals(0, s.code(), s.toString());
        List<Path> files;
        try (Stream<Path> w = Files.walk(dir.resolve("local"))) {
            files = w.filter(f -> f.toString().endsWith(".tsv")).toList();
        }
        assertTrue(files.stream().filter(f -> f.toString().contains("groups")).count() >= 2, files::toString);
        for (Path f : files) {
            Path twin = dir.resolve("cluster").resolve(dir.resolve("local").relativize(f));
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(twin), f.toString());
        }
    }

    static void copyFixtures(Path dir, String... names) throws IOException {
        for (String f : names) {
            Files.copy(FIXTURES.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Kills the worker (and its executor) that runs a task, while the task is mid-way: model {@code gated}
     * ({@link GatedModels}) blocks its first call until killed and announces it with its pid in a file. Spark must
     * run the task again on the other worker, the batch must end as a local run does (same summary, same files),
     * and the lost attempt's half-written files must not reach the completed task folder.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aTaskWhoseWorkerIsKilledMidwayIsRetriedAndThePlanCompletes() throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createDirectories(shared.resolve("kill"));
        copyFixtures(dir, "tiny.h5ad", "tfs.txt", "truth.csv");
        Path gate = Files.createDirectories(dir.resolve("gate"));
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                name: worker-kill
                seed: 1
                device: cpu
                tfs: tfs.txt
                datasets:
                  - {path: tiny.h5ad, truth: truth.csv}
                models:
                  - pearson
                  - {name: gated, params: {gate: '%s'}}
                  - spearman
                """.formatted(gate));
        Path cluster = dir.resolve("cluster");
        CompletableFuture<Cli> running = CompletableFuture.supplyAsync(() -> Cli.run("batch", plan.toString(),
                "--out", cluster.toString(), "--spark", master, "-q"));

        Path pidFile = gate.resolve(GatedModels.PID);
        await("the gated task to start on an executor").atMost(5, TimeUnit.MINUTES)
                .until(() -> Files.exists(pidFile) || running.isDone());
        assertFalse(running.isDone(), () -> "the batch ended before the gated task started: " + running.join());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Process worker = WORKERS.stream().filter(w -> w.descendants().anyMatch(d -> d.pid() == pid)).findFirst()
                .orElseThrow(() -> new AssertionError("process " + pid + " is not an executor of a worker"));
        // the lost attempt's half-written outputs, in the staging folder the driver made for the task
        Path staging;
        try (Stream<Path> s = Files.list(cluster.resolve("tasks"))) {
            staging = s.filter(f -> f.getFileName().toString().startsWith(".tmp-tiny-gated-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no staging folder for the gated task"));
        }
        Files.writeString(staging.resolve("network.tsv"), "tf\ttarget\tscore\nTF1\tG");
        Files.writeString(staging.resolve("half-written.tsv"), "partial");
        // a worker's machine is lost: the worker and its executor die at once (children first found, then killed)
        List<ProcessHandle> executors = worker.descendants().toList();
        worker.destroyForcibly();
        executors.forEach(ProcessHandle::destroyForcibly);
        assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "the worker did not die");

        Cli s = running.get(5, TimeUnit.MINUTES);
        assertEquals(0, s.code(), s.toString());
        assertTrue(s.out().contains("3 task(s): 3 ok (0 reused)"), s.toString());
        long tCluster = System.nanoTime();

        Path local = dir.resolve("local"); // the gate is claimed: the local run's gated task runs through
        Cli l = Cli.run("batch", plan.toString(), "--out", local.toString(), "-j", "2", "-q");
        assertEquals(0, l.code(), l.toString());
        assertEquals(summary(local), summary(cluster));
        try (Stream<Path> tasks = Files.list(local.resolve("tasks"))) {
            List<Path> folders = tasks.filter(Files::isDirectory).toList();
            assertEquals(3, folders.size(), folders::toString);
            for (Path d : folders) {
                Path twin = cluster.resolve("tasks").resolve(d.getFileName());
                for (String f : new String[] {"network.tsv", "network.arrow", "regulons.tsv"}) {
                    assertArrayEquals(Files.readAllBytes(d.resolve(f)), Files.readAllBytes(twin.resolve(f)),
                            d.getFileName() + "/" + f);
                }
                assertFalse(Files.exists(twin.resolve("half-written.tsv")), twin + ": the lost attempt's file");
            }
        }
        try (Stream<Path> s2 = Files.list(cluster.resolve("tasks"))) {
            assertEquals(List.of(), s2.filter(f -> f.getFileName().toString().startsWith(".tmp-")).toList(),
                    "staging folders left");
        }
        System.out.printf("worker-kill test: cluster run %.1f s, local run %.1f s%n", (tCluster - t0) / 1e9,
                (System.nanoTime() - tCluster) / 1e9);
    }

    /**
     * {@code /proc/self/cwd/...} names a different folder in every process (its working folder): for the driver one
     * under this module, for each executor one under its worker's work folder. So it is an output folder that the
     * executors do not share with the driver, as a driver's local disk is on a real cluster: the batch must stop
     * before any task with one line and exit code 8, leaving no task folder.
     */
    @Test
    void anOutputFolderTheExecutorsDoNotShareIsOneLineAndExitCode8() throws IOException {
        Path dir = Files.createDirectories(shared.resolve("unshared"));
        copyFixtures(dir, "tiny.h5ad", "tfs.txt");
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                name: unshared
                tfs: tfs.txt
                datasets: [tiny.h5ad]
                models: [pearson, spearman]
                """);
        String name = "unshared-out-" + ProcessHandle.current().pid();
        Path driverView = Path.of("").toAbsolutePath().resolve("target").resolve(name);
        String out = "/proc/self/cwd/target/" + name;
        try {
            Cli r = Cli.run("batch", plan.toString(), "--out", out, "--spark", master, "-q");
            assertEquals(ExitCodes.CLUSTER, r.code(), r.toString());
            assertEquals(1, r.err().strip().lines().count(), r.toString());
            assertTrue(r.err().startsWith("scgrn: the executors cannot use the output folder " + out + ": executor "),
                    r.toString());
            assertTrue(r.err().contains("does not see the files the driver writes there"), r.toString());
            try (Stream<Path> s = Files.list(driverView.resolve("tasks"))) {
                assertEquals(List.of(), s.toList(), "no task folder, no staging folder left");
            }
        } finally {
            if (Files.exists(driverView)) {
                FileTrees.delete(driverView);
            }
        }
    }

    @Test
    void anUnreachableMasterIsOneLineAndExitCode8() throws IOException {
        Path plan = Files.writeString(shared.resolve("one.yaml"), """
                name: one
                datasets: [tiny.h5ad]
                models: [pearson]
                """);
        Files.copy(FIXTURES.resolve("tiny.h5ad"), shared.resolve("tiny.h5ad"), StandardCopyOption.REPLACE_EXISTING);
        Cli r = Cli.run("batch", plan.toString(), "--out", shared.resolve("x").toString(), "--spark",
                "spark://127.0.0.1:" + freePort(), "-q");
        assertEquals(ExitCodes.CLUSTER, r.code(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
        assertTrue(r.err().startsWith("scgrn: cannot reach the Spark master spark://127.0.0.1:"), r.toString());
        assertFalse(Files.exists(shared.resolve("x").resolve("tasks")), "nothing is run");
    }
}
