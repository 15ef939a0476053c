package io.scgrn.app.server.bench;

import io.scgrn.app.server.Ids;
import io.scgrn.app.server.ScgrnServer;
import io.scgrn.app.server.ServerConfig;
import io.scgrn.app.server.Workspace;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server load benchmark (not a test). In one JVM: a server on a fresh workspace holding a finished job whose
 * network has 1,000,000 edges (1,000 regulators x 1,000 targets over 20,000 genes, random scores), then
 * <ol>
 *   <li>50 concurrent clients (java.net.http, keep-alive) for a fixed duration, each alternating
 *       {@code GET /network?top=1000} and {@code GET /network/neighbourhood?gene=<random TF>&depth=1}: latency
 *       p50/p99 per endpoint and overall throughput;</li>
 *   <li>an upload of a large file streamed through multipart (a non-HDF5 file of SIZE MiB, so that only the
 *       streaming path runs: it ends in 415 after the signature check), sampling the heap every 20 ms: peak heap
 *       growth vs file size.</li>
 * </ol>
 * Usage: {@code ServerLoadBenchmark [seconds=20] [clients=50] [uploadMiB=1024]} (seconds 0: the upload only, e.g.
 * under -Xmx128m); run with bench/server-benchmark.sh.
 */
public final class ServerLoadBenchmark {
    private ServerLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int uploadMiB = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        Path root = Files.createTempDirectory("scgrn-server-bench");
        Path ws = root.resolve("ws");
        if (seconds == 0) {
            // Upload only (to run under a small heap): shows the upload does not grow with the file.
            try (ScgrnServer server = ScgrnServer.start(ServerConfig.loopback(ws, 0),
                    (spec, input, out, progress) -> new JsonObject())) {
                upload(server.port(), root, uploadMiB);
            }
            return;
        }
        String job = Ids.newId();
        long t0 = System.nanoTime();
        List<String> tfs = writeJob(Workspace.open(ws), job, 1000, 1000, 20_000);
        System.out.printf(Locale.ROOT, "wrote 1,000,000-edge network.tsv in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        try (ScgrnServer server = ScgrnServer.start(ServerConfig.loopback(ws, 0),
                (spec, input, out, progress) -> new JsonObject())) {
            String base = "http://127.0.0.1:" + server.port() + "/api/v1/jobs/" + job;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .executor(Executors.newFixedThreadPool(4, daemon())).build();
            t0 = System.nanoTime();
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(base + "/network?top=1000"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            System.out.printf(Locale.ROOT, "first query (loads and indexes the network): %d in %.2f s%n",
                    first.statusCode(), (System.nanoTime() - t0) / 1e9);

            // Warm-up so the JIT has compiled the hot paths before measuring.
            run(http, base, tfs, clients, 5, new Random(1));
            Result r = run(http, base, tfs, clients, seconds, new Random(2));
            System.out.printf(Locale.ROOT, "%d clients, %d s: %d requests, %.0f req/s, errors %d%n", clients, seconds,
                    r.top.length + r.nb.length, (r.top.length + r.nb.length) / r.seconds, r.errors);
            System.out.printf(Locale.ROOT, "  top=1000            n=%d p50 %.1f ms p99 %.1f ms (%.0f kB per response)%n",
                    r.top.length, pct(r.top, 50), pct(r.top, 99), r.topBytes / 1024.0);
            System.out.printf(Locale.ROOT, "  neighbourhood d=1   n=%d p50 %.1f ms p99 %.1f ms (%.0f kB per response)%n",
                    r.nb.length, pct(r.nb, 50), pct(r.nb, 99), r.nbBytes / 1024.0);

            upload(server.port(), root, uploadMiB);
        }
    }

    /** Writes workspace/jobs/JOB/{job.json, out/network.tsv} as a finished job would have. */
    static List<String> writeJob(Workspace ws, String job, int nTf, int perTf, int nGenes) throws IOException {
        Path dir = ws.jobDir(job);
        Files.createDirectories(dir.resolve("out"));
        Random rnd = new Random(42);
        int m = nTf * perTf;
        float[] score = new float[m];
        int[] tf = new int[m];
        int[] target = new int[m];
        for (int t = 0, e = 0; t < nTf; t++) {
            // Targets of one TF: perTf distinct genes.
            int[] pool = rnd.ints(0, nGenes).distinct().filter(g -> g != 0).limit(perTf).toArray();
            for (int g : pool) {
                tf[e] = t;
                target[e] = g;
                score[e] = rnd.nextFloat();
                e++;
            }
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(score[b], score[a]));
        List<String> tfNames = new ArrayList<>();
        for (int t = 0; t < nTf; t++) {
            tfNames.add("TF" + t);
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("out/network.tsv"), StandardCharsets.UTF_8)) {
            w.write("tf\ttarget\tscore\tsign\tstability\n");
            for (int i : order) {
                w.write(tfNames.get(tf[i]) + "\tG" + target[i] + "\t" + score[i] + "\t1\tNaN\n");
            }
        }
        JsonObject spec = new JsonObject().put("dataset", Ids.newId()).put("device", "auto").put("seed", 0);
        Workspace.writeJson(dir.resolve(Workspace.JOB), new JsonObject().put("id", job).put("status", "done")
                .put("dataset", spec.getString("dataset")).put("dataset_name", "synthetic").put("spec", spec)
                .put("created", "2026-01-01T00:00:00Z").put("result", new JsonObject().put("edges", m)));
        return tfNames;
    }

    /** Daemon threads, so a failed run cannot keep the JVM alive. */
    static ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };
    }

    record Result(double[] top, double[] nb, long errors, double seconds, long topBytes, long nbBytes) {
    }

    static Result run(HttpClient http, String base, List<String> tfs, int clients, int seconds, Random seed)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients, daemon());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        AtomicLong topBytes = new AtomicLong();
        AtomicLong nbBytes = new AtomicLong();
        List<Future<double[][]>> fs = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long s = seed.nextLong();
            fs.add(pool.submit(() -> {
                Random rnd = new Random(s);
                List<Double> top = new ArrayList<>();
                List<Double> nb = new ArrayList<>();
                boolean odd = rnd.nextBoolean();
                while (System.nanoTime() < end) {
                    odd = !odd;
                    String uri = odd ? base + "/network?top=1000"
                            : base + "/network/neighbourhood?gene=" + tfs.get(rnd.nextInt(tfs.size())) + "&depth=1";
                    long t = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    double ms = (System.nanoTime() - t) / 1e6;
                    if (r.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                    (odd ? top : nb).add(ms);
                    (odd ? topBytes : nbBytes).set(r.body().length);
                }
                return new double[][] {top.stream().mapToDouble(Double::doubleValue).toArray(),
                    nb.stream().mapToDouble(Double::doubleValue).toArray()};
            }));
        }
        List<double[]> top = new ArrayList<>();
        List<double[]> nb = new ArrayList<>();
        for (Future<double[][]> f : fs) {
            double[][] x = f.get();
            top.add(x[0]);
            nb.add(x[1]);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(concat(top), concat(nb), errors.get(), secs, topBytes.get(), nbBytes.get());
    }

    static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static long heapUsed() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getUsage().getUsed();
            }
        }
        return sum;
    }

    /** Streams MiB of zeros as multipart field "file" (fixed length, 1 MiB writes) and samples the heap meanwhile. */
    static void upload(int port, Path root, int mib) throws Exception {
        System.gc();
        Thread.sleep(200);
        long base = heapUsed();
        AtomicLong peak = new AtomicLong(base);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(heapUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        String boundary = "scgrnbench";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.h5ad\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long size = (long) mib << 20;
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/api/v1/datasets")
                .openConnection();
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "multipart/form-data; boundary=" + boundary);
        c.setFixedLengthStreamingMode(head.length + size + tail.length);
        long t0 = System.nanoTime();
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = c.getOutputStream()) {
            out.write(head);
            for (long sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk);
            }
            out.write(tail);
        }
        int status = c.getResponseCode();
        String body;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        sampler.interrupt();
        System.out.printf(Locale.ROOT, "upload %d MiB: HTTP %d in %.1f s (%.0f MiB/s); heap before %.0f MiB, peak growth "
                        + "%.0f MiB (%.1f%% of the file)%n  response: %s%n", mib, status, secs, mib / secs,
                base / 1048576.0, (peak.get() - base) / 1048576.0, 100.0 * (peak.get() - base) / size, body);
    }
}
