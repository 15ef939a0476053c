package io.scgrn.app.server.bench;

import io.scgrn.app.server.Ids;
import io.scgrn.app.server.Workspace;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Soak benchmark of {@code scgrn serve} (issue 11; not a test). Starts the server as its own process
 * ({@code java -Xmx2g … scgrn serve --jobs 2}, loopback only) on a workspace holding a finished job with a
 * 1,000,000-edge network, then runs N clients for a fixed time, each looping over a random mix of:
 * network top-1000 and neighbourhood queries, per-cell requests (embedding, obs, expression) on uploaded datasets,
 * job and dataset lists, uploads of a small .h5ad and deletes (at most 8 datasets at a time), non-HDF5 and
 * non-multipart uploads, real inference jobs (pearson; gnn with few epochs) and long gnn jobs that are cancelled.
 * <p>
 * Reports: responses by status (a full job queue is a 429 with Retry-After, counted apart from 5xx), OutOfMemoryError
 * in the server's output, heap used after a full GC (jcmd GC.run) at the start (network loaded) and at the end (jobs
 * finished or cancelled), and p50/p99 of {@code network?top=1000}; then the four figures of the bar, each
 * with its target and PASS / FAIL.
 * <p>
 * Usage: {@code SoakBenchmark [seconds=600] [clients=50] [xmx=2g]}; run with {@code bench/soak-benchmark.sh}.
 * {@code -Dsoak.serverArgs="-Xlog:gc:file=gc.log …"} adds JVM options to the server's command line.
 */
public final class SoakBenchmark {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
    /** The first "used N[KMG]" of jcmd GC.heap_info: the heap's (G1 reports K, ZGC M). */
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)([KMG])");

    /** Daemon threads, so the benchmark's JVM exits when main returns. */
    private static final ThreadFactory DAEMON = r -> {
        Thread t = new Thread(r, "soak-client");
        t.setDaemon(true);
        return t;
    };

    private final String base;
    private final HttpClient http;
    private final byte[] fixture;
    private final String bigJob;
    private final List<String> tfs;
    private final List<String> datasets = new CopyOnWriteArrayList<>();
    private final List<String> longJobs = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> actions = new ConcurrentHashMap<>();
    private final List<Long> topLatencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong transportErrors = new AtomicLong();
    private final List<String> transportSamples = new CopyOnWriteArrayList<>();
    private final List<Map<String, Long>> histograms = new ArrayList<>();
    private final List<String> serverErrors = new CopyOnWriteArrayList<>();

    private SoakBenchmark(int port, byte[] fixture, String bigJob, List<String> tfs) {
        this.base = "http://127.0.0.1:" + port + "/api/v1";
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .executor(Executors.newFixedThreadPool(4, DAEMON)).build();
        this.fixture = fixture;
        this.bigJob = bigJob;
        this.tfs = tfs;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        String xmx = args.length > 2 ? args[2] : "2g";
        Path root = Files.createTempDirectory("scgrn-soak");
        Path ws = root.resolve("ws");
        String job = Ids.newId();
        List<String> tfs = ServerLoadBenchmark.writeJob(Workspace.open(ws), job, 1000, 1000, 20_000);
        byte[] fixture;
        try (InputStream in = SoakBenchmark.class.getResourceAsStream("/server/pbmc_small.h5ad")) {
            fixture = in.readAllBytes();
        }
        Path log = root.resolve("server.log");
        String gc = System.getProperty("soak.gc", "G1");
        System.out.println("server JVM: -Xmx" + xmx + " -XX:+Use" + gc + "GC " + System.getProperty("soak.serverArgs",
                ""));
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx" + xmx, "-XX:+Use" + gc + "GC",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Dai.djl.offline=true",
                "-Doffline=true", "-Dai.djl.pytorch.num_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        String extra = System.getProperty("soak.serverArgs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "io.scgrn.app.Main", "serve", "--port", "0", "--workspace", ws.toString(), "--jobs", "2"));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = awaitPort(log, server);
            SoakBenchmark b = new SoakBenchmark(port, fixture, job, tfs);
            b.run(server, seconds, clients, xmx, log);
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            server.destroyForcibly();
            // the soak's jobs fill the workspace (several GB per 10 minutes): removed, the server log kept
            server.waitFor(30, TimeUnit.SECONDS);
            io.scgrn.app.run.FileTrees.delete(ws);
            System.out.println("server log: " + log);
        }
    }

    private static int awaitPort(Path log, Process server) throws Exception {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < until && server.isAlive()) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server did not start:\n" + Files.readString(log));
    }

    private void run(Process server, int seconds, int clients, String xmx, Path log) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> first = send(get("/jobs/" + bigJob + "/network?top=1000"), "warm-up");
        System.out.printf(Locale.ROOT, "warm-up (loads the 1,000,000-edge network): %d in %.1f s%n",
                first.statusCode(), (System.nanoTime() - t0) / 1e9);
        for (int i = 0; i < 2; i++) {
            upload("seed");
        }
        long heapCold = heapAfterGc(server.pid());
        // Fill the bounded answer cache first (every regulator's neighbourhood, more than its 16 MiB bound), so that
        // the start is the steady state: growth after it is the server's, not a cache reaching its bound.
        for (String tf : tfs) {
            send(get("/jobs/" + bigJob + "/network/neighbourhood?gene=" + tf + "&depth=1"), "warm-up");
        }
        System.out.printf(Locale.ROOT, "heap after full GC before the cache warm-up: %.1f MiB%n",
                heapCold / 1048576.0);
        long heapStart = heapAfterGc(server.pid());
        histograms.add(histogram(server.pid()));
        System.out.printf(Locale.ROOT, "heap after full GC at start: %.1f MiB (-Xmx%s)%n", heapStart / 1048576.0, xmx);

        // Two rounds of load, each followed by a settle (long jobs cancelled, queue drained) and a full GC: bounded
        // caches fill in the first round, so a leak shows as growth from the first round's end to the second's.
        List<Long> heaps = new ArrayList<>();
        heaps.add(heapStart);
        double ran = 0;
        for (int round = 0; round < 2; round++) {
            long r0 = System.nanoTime();
            long deadline = r0 + TimeUnit.SECONDS.toNanos(seconds / 2);
            ExecutorService pool = Executors.newFixedThreadPool(clients, DAEMON);
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Random rnd = new Random(1000L * (round + 1) + c);
                fs.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        try {
                            step(rnd);
                        } catch (IOException e) {
                            transportErrors.incrementAndGet();
                            if (transportSamples.size() < 5) {
                                transportSamples.add(e.toString());
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
            ran += (System.nanoTime() - r0) / 1e9;
            settle();
            long h = heapAfterGc(server.pid());
            heaps.add(h);
            histograms.add(histogram(server.pid()));
            System.out.printf(Locale.ROOT, "round %d: heap after settle and full GC %.1f MiB%n", round + 1,
                    h / 1048576.0);
        }
        long heapEnd = heaps.get(2);
        boolean alive = server.isAlive();
        String out = Files.readString(log);
        long ooms = Pattern.compile("OutOfMemoryError").matcher(out).results().count();

        long total = statuses.values().stream().mapToLong(AtomicLong::get).sum();
        long s5xx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue().get())
                .sum();
        long s429 = statuses.getOrDefault(429, new AtomicLong()).get();
        List<Long> lat = new ArrayList<>(topLatencies);
        Collections.sort(lat);
        System.out.printf(Locale.ROOT, "ran %.0f s with %d clients: %d responses (%.0f/s), %d transport errors%n",
                ran, clients, total, total / ran, transportErrors.get());
        transportSamples.forEach(e -> System.out.println("  transport error sample: " + e));
        System.out.println("responses by status: " + new TreeMap<>(statuses));
        System.out.println("actions: " + new TreeMap<>(actions));
        System.out.printf(Locale.ROOT, "5xx: %d; 429 (job queue full, Retry-After; no job record): %d%n", s5xx,
                s429);
        serverErrors.stream().limit(5).forEach(e -> System.out.println("  5xx sample: " + e));
        System.out.printf(Locale.ROOT, "OutOfMemoryError in server output: %d; server alive at the end: %s%n",
                ooms, alive);
        System.out.printf(Locale.ROOT, "heap after full GC: start %.1f MiB, after round 1 %.1f MiB, after round 2 "
                + "%.1f MiB (round 2 vs round 1: %+.1f %%; vs start: %+.1f %%)%n", heapStart / 1048576.0,
                heaps.get(1) / 1048576.0, heapEnd / 1048576.0, 100.0 * (heapEnd - heaps.get(1)) / heaps.get(1),
                100.0 * (heapEnd - heapStart) / heapStart);
        // Where the heap grew from round 1 to round 2: the classes with the largest growth in live bytes.
        Map<String, Long> h1 = histograms.get(1);
        Map<String, Long> h2 = histograms.get(2);
        h2.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue() - h1.getOrDefault(b.getKey(), 0L),
                a.getValue() - h1.getOrDefault(a.getKey(), 0L))).limit(8).forEach(e -> System.out.printf(Locale.ROOT,
                "  live bytes round 1 -> 2: %+8.1f KiB %s%n", (e.getValue() - h1.getOrDefault(e.getKey(), 0L))
                        / 1024.0, e.getKey()));
        double p99 = lat.isEmpty() ? Double.NaN : pct(lat, 0.99);
        if (!lat.isEmpty()) {
            System.out.printf(Locale.ROOT, "network?top=1000: n=%d p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    lat.size(), pct(lat, 0.50), pct(lat, 0.90), p99, lat.get(lat.size() - 1) / 1e6);
        }
        double growth = 100.0 * (heapEnd - heapStart) / heapStart;
        System.out.printf(Locale.ROOT, "%n== the bar (issue 11): %d clients, %.0f s, -Xmx%s ==%n", clients, ran, xmx);
        bar("5xx responses", Long.toString(s5xx), "0", s5xx == 0);
        bar("OutOfMemoryError", Long.toString(ooms), "0", ooms == 0 && alive);
        bar("heap after full GC, end vs start", String.format(Locale.ROOT, "%+.1f %% (%.1f -> %.1f MiB)", growth,
                heapStart / 1048576.0, heapEnd / 1048576.0), "<= +10 %", growth <= 10.0);
        bar("p99 network?top=1000", String.format(Locale.ROOT, "%.1f ms", p99), "<= 50 ms", p99 <= 50.0);
    }

    private static void bar(String what, String value, String target, boolean pass) {
        System.out.printf(Locale.ROOT, "  %-36s %-32s target %-9s %s%n", what, value, target, pass ? "PASS" : "FAIL");
    }

    /**
     * Cancels the long jobs (every one is tracked), then waits (up to 5 minutes) until the server reports no job
     * queued or running; short jobs left in the queue are cancelled on the way (the newest 200 are looked at).
     */
    private void settle() throws IOException, InterruptedException {
        for (String j : longJobs) {
            send(post("/jobs/" + j + "/cancel", "{}"), "cancel");
        }
        longJobs.clear();
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < until) {
            JsonObject health = new JsonObject(send(get("/health"), "settle").body());
            if (health.getInteger("jobs_running", 0) == 0 && health.getInteger("jobs_queued", 0) == 0) {
                return;
            }
            JsonArray arr = new JsonObject(send(get("/jobs?limit=200"), "settle").body()).getJsonArray("jobs");
            for (int i = 0; i < arr.size(); i++) {
                String st = arr.getJsonObject(i).getString("status");
                if (st.equals("queued") || st.equals("running")) {
                    send(post("/jobs/" + arr.getJsonObject(i).getString("id") + "/cancel", "{}"), "cancel");
                }
            }
            Thread.sleep(1000);
        }
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size()))) / 1e6;
    }

    /** One client action, drawn by weight. */
    private void step(Random rnd) throws IOException, InterruptedException {
        int r = rnd.nextInt(100);
        if (r < 55) {
            long t = System.nanoTime();
            HttpResponse<String> resp = send(get("/jobs/" + bigJob + "/network?top=1000"), "network-top1000");
            if (resp.statusCode() == 200) {
                topLatencies.add(System.nanoTime() - t);
            }
        } else if (r < 65) {
            send(get("/jobs/" + bigJob + "/network/neighbourhood?gene=" + tfs.get(rnd.nextInt(tfs.size()))
                    + "&depth=1"), "neighbourhood");
        } else if (r < 73) {
            String ds = pick(rnd, datasets);
            if (ds != null) {
                String[] paths = {"/embedding", "/obs/louvain", "/expression/CD3D", "/genes?q=CD"};
                send(get("/datasets/" + ds + paths[rnd.nextInt(paths.length)]), "per-cell");
            }
        } else if (r < 78) {
            send(get(rnd.nextBoolean() ? "/jobs?limit=20" : "/datasets"), "lists");
        } else if (r < 82) {
            if (datasets.size() < 8) {
                upload("upload");
            } else {
                String ds = pick(rnd, datasets);
                HttpResponse<String> d = send(HttpRequest.newBuilder(URI.create(base + "/datasets/" + ds))
                        .DELETE().build(), "delete");
                if (d.statusCode() == 200) {
                    datasets.remove(ds);
                }
            }
        } else if (r < 83) {
            // Careless or hostile uploads: not HDF5 (415 after streaming), not multipart (415 before reading).
            if (rnd.nextBoolean()) {
                send(multipart("notes.h5ad", new byte[256 * 1024]), "upload-not-hdf5");
            } else {
                send(HttpRequest.newBuilder(URI.create(base + "/datasets")).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1 << 20])).build(), "upload-text");
            }
        } else if (r < 91) {
            String ds = pick(rnd, datasets);
            if (ds != null) {
                String body = rnd.nextInt(4) == 0
                        ? new JsonObject().put("dataset", ds).put("model", "gnn")
                                .put("params", new JsonObject().put("epochs", 3)).encode()
                        : new JsonObject().put("dataset", ds).put("model", "pearson").encode();
                send(post("/jobs", body), "job");
            }
        } else if (r < 95) {
            String ds = pick(rnd, datasets);
            if (ds != null) {
                HttpResponse<String> j = send(post("/jobs", new JsonObject().put("dataset", ds).put("model", "gnn")
                        .put("params", new JsonObject().put("epochs", 5000)).encode()), "job-long");
                if (j.statusCode() == 201) {
                    longJobs.add(new JsonObject(j.body()).getString("id"));
                }
            }
        } else {
            String j = pick(rnd, longJobs);
            if (j != null) {
                send(post("/jobs/" + j + "/cancel", "{}"), "cancel");
                longJobs.remove(j);
            }
        }
    }

    private static String pick(Random rnd, List<String> xs) {
        try {
            return xs.isEmpty() ? null : xs.get(rnd.nextInt(xs.size()));
        } catch (IndexOutOfBoundsException e) {
            return null; // removed meanwhile
        }
    }

    private void upload(String action) throws IOException, InterruptedException {
        HttpResponse<String> r = send(multipart("pbmc_small.h5ad", fixture), action);
        if (r.statusCode() == 201) {
            datasets.add(new JsonObject(r.body()).getString("id"));
        }
    }

    private HttpRequest multipart(String name, byte[] bytes) {
        String boundary = "soak" + Long.toHexString(System.nanoTime());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(bytes);
        b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(base + "/datasets"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.toByteArray())).build();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2)).GET().build();
    }

    private HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private HttpResponse<String> send(HttpRequest req, String action) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
        actions.computeIfAbsent(action, k -> new AtomicLong()).incrementAndGet();
        if (r.statusCode() >= 500 && serverErrors.size() < 50) {
            serverErrors.add(action + " " + req.uri().getPath() + " -> " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    /** Heap used after a full GC in process {@code pid}, in bytes (jcmd GC.run, then GC.heap_info). */
    private static long heapAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("cannot parse jcmd GC.heap_info:\n" + info);
        }
        return Long.parseLong(m.group(1)) << switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
    }

    /** Live bytes per class (jcmd GC.class_histogram, which runs a full GC first). */
    private static Map<String, Long> histogram(long pid) throws IOException, InterruptedException {
        Map<String, Long> out = new HashMap<>();
        Pattern row = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
        for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                out.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
            }
        }
        return out;
    }

    private static String jcmd(long pid, String cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
            }
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return out.toString();
    }
}
