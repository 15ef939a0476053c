package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.anndata.AnnDataException;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.MuData;
import io.scgrn.app.cli.ServeCommand;
import io.scgrn.app.cli.ServeCommandAccess;
import io.scgrn.app.run.InferPipeline;
import io.scgrn.app.run.PerturbRequest;
import io.scgrn.models.Edge;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.perturb.Perturbation;
import io.scgrn.models.regulon.NetworkDiff;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input suite (issue 11): each test replays an attack or a careless use that once got through, and
 * asserts the safe outcome. Requests a browser on another site would send are written as raw HTTP, so their
 * headers (Host, Origin, Content-Type) are exactly the attacker's.
 */
class HostileInputTest {
    @TempDir
    Path tmp;

    /** A raw HTTP/1.1 exchange: status code, headers (lower-case names) and body. */
    record Raw(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) {
                    return line.substring(c + 1).trim();
                }
            }
            return null;
        }

        JsonObject json() {
            return new JsonObject(body);
        }
    }

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}; reads to EOF. */
    static Raw raw(int port, String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            String h = head + "\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
            out.write(h.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(s.getInputStream());
        }
    }

    static Raw read(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        int n;
        try {
            while ((n = in.read(b)) > 0) {
                buf.write(b, 0, n);
            }
        } catch (SocketException e) {
            // The server may close after answering while the client is still sending: what it sent counts.
        }
        String all = buf.toString(StandardCharsets.UTF_8);
        int split = all.indexOf("\r\n\r\n");
        assertTrue(split > 0, "no HTTP response: " + all);
        String head = all.substring(0, split);
        String body = all.substring(split + 4);
        if (head.toLowerCase().contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Raw(Integer.parseInt(head.split(" ")[1]), head, body);
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int nl = s.indexOf("\r\n", i);
            int len = Integer.parseInt(s.substring(i, nl).trim(), 16);
            if (len == 0) {
                break;
            }
            out.append(s, nl + 2, nl + 2 + len);
            i = nl + 2 + len + 2;
        }
        return out.toString();
    }

    static Raw get(int port, String path, String... headers) throws IOException {
        return raw(port, "GET " + path + " HTTP/1.1\r\n" + hostLine(port, headers) + String.join("\r\n", headers),
                null);
    }

    /** A Host header for 127.0.0.1 unless the caller gives one. */
    private static String hostLine(int port, String... headers) {
        for (String h : headers) {
            if (h.regionMatches(true, 0, "Host:", 0, 5)) {
                return "";
            }
        }
        return "Host: 127.0.0.1:" + port + (headers.length == 0 ? "" : "\r\n");
    }

    static Raw post(int port, String path, String contentType, String body, String... headers) throws IOException {
        String extra = headers.length == 0 ? "" : "\r\n" + String.join("\r\n", headers);
        return raw(port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: " + contentType
                + extra, body.getBytes(StandardCharsets.UTF_8));
    }

    static void assertJsonError(Raw r, int status) {
        assertEquals(status, r.status(), r.head() + "\n" + r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.head());
        JsonObject e = r.json();
        assertEquals(status, e.getInteger("status"));
        String msg = e.getString("error");
        assertTrue(msg != null && !msg.isBlank() && !msg.contains("\n"), msg);
    }

    static String uploadDataset(TestServer ts, Path dir) {
        HttpResponse<Buffer> r = ts.upload(TestServer.fixture("pbmc_small.h5ad", dir), "p.h5ad");
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
    }

    // ---- 1. cross-site requests, DNS rebinding, content types, CORS -------------------------------------------

    @Test
    void dnsRebindingHostIsRefused() throws Exception {
        try (TestServer ts = TestServer.start(tmp.resolve("ws"))) {
            int port = ts.port();
            assertJsonError(get(port, "/api/v1/datasets", "Host: attacker.example:" + port), 403);
            assertJsonError(get(port, "/", "Host: attacker.example:" + port), 403);
            assertEquals(200, get(port, "/api/v1/datasets").status());
            assertEquals(200, get(port, "/api/v1/datasets", "Host: localhost:" + port).status());
            assertEquals(200, get(port, "/api/v1/datasets", "Host: [::1]:" + port).status());
            // HTTP/2 (h2c upgrade, as java.net.http does) has no Host header, only :authority: still served.
            HttpClient h2 = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_2).build();
            for (int i = 0; i < 2; i++) {
                java.net.http.HttpResponse<String> r = h2.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/datasets")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
        }
    }

    @Test
    void crossSitePagesCanNeitherReadNorWrite() throws Exception {
        try (TestServer ts = TestServer.start(tmp.resolve("ws"))) {
            int port = ts.port();
            String ds = uploadDataset(ts, tmp);
            String evil = "Origin: http://evil.example";
            // A page elsewhere: fetch() with text/plain (no pre-flight), a form, a read.
            assertJsonError(post(port, "/api/v1/jobs", "text/plain", "{\"dataset\":\"" + ds + "\"}", evil), 403);
            assertJsonError(get(port, "/api/v1/datasets", evil), 403);
            assertJsonError(get(port, "/api/v1/datasets", "Sec-Fetch-Site: cross-site"), 403);
            assertJsonError(post(port, "/api/v1/datasets", "multipart/form-data; boundary=x",
                    "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.h5ad\"\r\n\r\nabc\r\n--x--\r\n",
                    evil), 403);
            assertJsonError(post(port, "/api/v1/jobs", "application/json", "{}", "Origin: null"), 403);
            assertEquals(0, ts.get("/api/v1/jobs").bodyAsJsonObject().getJsonArray("jobs").size());
            assertEquals(1, ts.get("/api/v1/datasets").bodyAsJsonObject().getJsonArray("datasets").size());
            // The UI itself (same origin) still works.
            Raw same = post(port, "/api/v1/jobs", "application/json", "{\"dataset\":\"" + ds + "\"}",
                    "Origin: http://127.0.0.1:" + port);
            assertEquals(201, same.status(), same.body());
        }
    }

    @Test
    void jsonRoutesRequireApplicationJson() throws Exception {
        try (TestServer ts = new TestServer(tmp.resolve("ws"), ServerConfig.loopback(tmp.resolve("ws"), 0),
                JobControlTest.WAITS_FOR_CANCEL)) {
            String ds = uploadDataset(ts, tmp);
            String body = "{\"dataset\":\"" + ds + "\"}";
            for (String ct : new String[] {"text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x"}) {
                assertJsonError(post(ts.port(), "/api/v1/jobs", ct, body), 415);
            }
            assertEquals(0, ts.get("/api/v1/jobs").bodyAsJsonObject().getJsonArray("jobs").size());
            Raw ok = post(ts.port(), "/api/v1/jobs", "application/json; charset=utf-8", body);
            assertEquals(201, ok.status());
            // Every other POST route too (cancel here), whatever its handler expects.
            String id = ok.json().getString("id");
            assertJsonError(post(ts.port(), "/api/v1/jobs/" + id + "/cancel", "text/plain", "x"), 415);
            String status = ts.get("/api/v1/jobs/" + id).bodyAsJsonObject().getString("status");
            assertTrue(status.equals("queued") || status.equals("running"), "not cancelled by it: " + status);
        }
    }

    @Test
    void corsRefusalIs403AndSecurityHeadersAreSent() throws Exception {
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws"), 1 << 20, null, "http://ui.test",
                false, 1, 1);
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, new PipelineJobExecutor())) {
            int port = ts.port();
            assertJsonError(get(port, "/api/v1/datasets", "Origin: http://evil.test"), 403);
            Raw pre = raw(port, "OPTIONS /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nOrigin: http://evil.test\r\nAccess-Control-Request-Method: POST", null);
            assertEquals(403, pre.status(), pre.head());
            Raw ok = get(port, "/api/v1/datasets", "Origin: http://ui.test");
            assertEquals(200, ok.status());
            assertEquals("http://ui.test", ok.header("Access-Control-Allow-Origin"));
            for (String path : new String[] {"/", "/api/v1/health", "/api/v1/nothing"}) {
                Raw r = get(port, path);
                assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
                assertEquals("DENY", r.header("X-Frame-Options"), path);
                assertTrue(r.header("Content-Security-Policy").contains("frame-ancestors 'none'"), path);
            }
        }
    }

    @Test
    void tokenOnlyInTheHeaderForStateChangingRequests() throws Exception {
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws"), 1 << 20, "s3cret", null, false, 1, 1);
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, JobControlTest.WAITS_FOR_CANCEL)) {
            int port = ts.port();
            assertEquals(200, get(port, "/api/v1/datasets?access_token=s3cret").status());
            Raw viaQuery = post(port, "/api/v1/jobs?access_token=s3cret", "application/json", "{\"dataset\":\"x\"}");
            assertJsonError(viaQuery, 401);
            assertTrue(viaQuery.json().getString("error").contains("Authorization"), viaQuery.body());
            Raw del = raw(port, "DELETE /api/v1/datasets/x?access_token=s3cret HTTP/1.1\r\nHost: 127.0.0.1:" + port,
                    null);
            assertJsonError(del, 401);
            Raw viaHeader = post(port, "/api/v1/jobs", "application/json", "{\"dataset\":\"0123456789abcdef\"}",
                    "Authorization: Bearer s3cret");
            assertJsonError(viaHeader, 404); // authorised; the dataset does not exist
            assertJsonError(post(port, "/api/v1/jobs", "application/json", "{\"dataset\":\"x\"}",
                    "Authorization: Bearer wrong"), 401);
            assertEquals(200, get(port, "/api/v1/jobs", "Authorization: Bearer s3cret").status());
            assertJsonError(get(port, "/api/v1/jobs"), 401);
        }
    }

    @Test
    void tokenFromAFileNotTheCommandLine() throws Exception {
        Path f = tmp.resolve("token.txt");
        Files.writeString(f, "from-file\nignored\n");
        ServeCommandAccess cmd = new ServeCommandAccess();
        assertEquals("from-file", cmd.resolve(null, f));
        assertEquals("argv", cmd.resolve("argv", null));
        // $SCGRN_TOKEN when neither option is given (trimmed; blank is no token); an option given wins over it.
        assertEquals("from-env", cmd.resolve(null, null, " from-env\n"));
        assertEquals(null, cmd.resolve(null, null, "  "));
        assertEquals(null, cmd.resolve(null, null, null));
        assertEquals("from-file", cmd.resolve(null, f, "from-env"));
        assertEquals("argv", cmd.resolve("argv", null, "from-env"));
        Files.writeString(f, "\n");
        IllegalArgumentException e = Assertions.assertThrows(IllegalArgumentException.class,
                () -> cmd.resolve(null, f));
        assertTrue(e.getMessage().contains("--token-file"), e.getMessage());
        assertNotNull(ServeCommand.TOKEN_ENV);
        assertFalse(e.getMessage().contains("\n"));
    }

    // ---- helpers for jobs ------------------------------------------------------------------------------------

    /** Writes a network of {@code edges} edges (tf i → target j, descending scores) and finishes at once. */
    static JobExecutor writesNetwork(int edges) {
        return (spec, input, out, progress) -> {
            try {
                Files.createDirectories(out);
                StringBuilder b = new StringBuilder("tf\ttarget\tscore\n");
                for (int e = 0; e < edges; e++) {
                    b.append("TF").append(e % 50).append("\tG").append(e).append('\t')
                            .append(1.0 - e / (double) (edges + 1)).append('\n');
                }
                Files.writeString(out.resolve("network.tsv"), b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new JsonObject().put("edges", edges);
        };
    }

    /** Waits (on the job's event stream, which ends with the job) until the job is finished; its final state. */
    static JsonObject awaitEnd(TestServer ts, String jobId) {
        String sse = ts.get("/api/v1/jobs/" + jobId + "/events").bodyAsString();
        String[] events = sse.split("\n\n");
        String last = events[events.length - 1].trim();
        assertTrue(last.startsWith("data: "), sse);
        return new JsonObject(last.substring(6));
    }

    static String submit(TestServer ts, JsonObject body) {
        HttpResponse<Buffer> r = ts.post("/api/v1/jobs", body);
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
    }

    // ---- 2. decompression bombs: memory budget for decoded arrays ---------------------------------------------

    @Test
    void datasetLargerThanTheMemoryBudgetIs413NotOutOfMemory() throws Exception {
        ServerConfig cfg = ServerConfig.loopback(tmp.resolve("ws"), 0)
                .withLimits(ServerConfig.Limits.defaults().withDecodeBudget(512 * 1024));
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, writesNetwork(10))) {
            // Upload checks metadata only, so a file whose arrays decode to more than the budget is accepted …
            String ds = uploadDataset(ts, tmp);
            // … and every request that would decode it is refused before a byte is decoded.
            for (String path : new String[] {"/embedding", "/obs/louvain", "/expression/CD3D", "/genes?q=CD"}) {
                HttpResponse<Buffer> r = ts.get("/api/v1/datasets/" + ds + path);
                assertEquals(413, r.statusCode(), path + ": " + r.bodyAsString());
                assertTrue(r.bodyAsJsonObject().getString("error").contains("decodes to about"), r.bodyAsString());
            }
            HttpResponse<Buffer> job = ts.post("/api/v1/jobs", new JsonObject().put("dataset", ds));
            assertEquals(413, job.statusCode(), job.bodyAsString());
            assertEquals(0, ts.get("/api/v1/jobs").bodyAsJsonObject().getJsonArray("jobs").size());
            assertEquals(0, ts.server.context().datasets().budget().used());
            assertEquals(200, ts.get("/api/v1/health").statusCode());
        }
    }

    @Test
    void concurrentFirstReadsShareOneLoadAndTheBudgetHoldsInTotal() throws Exception {
        Workspace ws = Workspace.open(tmp.resolve("ws"));
        Datasets tmpDs = new Datasets(ws, 2);
        String a = tmpDs.importLocal(TestServer.fixture("pbmc_small.h5ad", tmp), "a.h5ad", new JsonObject())
                .getString("id");
        String b = tmpDs.importLocal(TestServer.fixture("pbmc_small.h5ad", tmp), "b.h5ad", new JsonObject())
                .getString("id");
        long one = MemoryBudget.declaredBytes(ws.datasetMeta(a).orElseThrow());
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch finishRead = new CountDownLatch(1);
        Function<Path, MuData> reader = f -> {
            reads.incrementAndGet();
            reading.countDown();
            await(finishRead);
            return AnnDataFiles.readAny(f);
        };
        // Room for one dataset, not two: a budget of two, one byte of it held elsewhere (a dataset may take at most
        // half the budget to be held with its matrices, else it is streamed; see Datasets.STREAM_SHARE).
        Datasets ds = new Datasets(ws, 2, new MemoryBudget(2 * one), reader);
        long other = 1;
        assertTrue(ds.budget().tryReserve(other));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch inUse = new CountDownLatch(4);
            CountDownLatch done = new CountDownLatch(1);
            List<Future<Integer>> users = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                users.add(pool.submit(() -> ds.usePrimary(a, x -> {
                    inUse.countDown();
                    await(done);
                    return x.nObs();
                })));
            }
            await(reading);
            finishRead.countDown();
            await(inUse);
            assertEquals(1, reads.get(), "four concurrent first requests, one read");
            assertEquals(one + other, ds.budget().used());
            // While a is in use, b does not fit: refused, not loaded next to it.
            ApiException busy = Assertions.assertThrows(ApiException.class,
                    () -> ds.use(b, x -> 0));
            assertEquals(503, busy.status());
            done.countDown();
            for (var u : users) {
                assertEquals(200, u.get());
            }
            // a is idle now: b replaces it, and the budget holds one dataset again.
            assertEquals(200, (int) ds.usePrimary(b, x -> x.nObs()));
            assertEquals(one + other, ds.budget().used());
            // A job needing the room takes it from the idle cache rather than waiting for ever.
            assertTrue(ds.budget().reserve(one, () -> true), "idle datasets give their memory to a job");
            assertEquals(one + other, ds.budget().used());
            ds.budget().release(one);
            assertEquals(200, (int) ds.usePrimary(b, x -> x.nObs()));
            ds.evict(b);
            ds.budget().release(other);
            assertEquals(0, ds.budget().used());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch l) {
        try {
            assertTrue(l.await(60, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- 3. response cache keyed on parsed parameters, bounded in bytes ---------------------------------------

    @Test
    void junkParametersDoNotGrowTheResponseCache() throws Exception {
        ServerConfig cfg = ServerConfig.loopback(tmp.resolve("ws"), 0)
                .withLimits(ServerConfig.Limits.defaults().withResponseCache(256 * 1024));
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, writesNetwork(5000))) {
            String job = submit(ts, new JsonObject().put("dataset", uploadDataset(ts, tmp)));
            assertEquals("done", awaitEnd(ts, job).getString("status"));
            String base = "/api/v1/jobs/" + job + "/network?top=1000";
            assertEquals(200, ts.get(base).statusCode());
            LoadedNetwork n = ts.server.context().networks().load(job, null);
            long one = n.responseBytes();
            assertTrue(one > 0);
            for (int i = 0; i < 200; i++) {
                assertEquals(200, ts.get(base + "&junk=" + i).statusCode());
            }
            assertEquals(one, n.responseBytes(), "unknown parameters are not part of the key");
            for (int top = 1000; top < 5000; top += 50) {
                assertEquals(200, ts.get("/api/v1/jobs/" + job + "/network?top=" + top).statusCode());
            }
            assertTrue(n.responseBytes() <= 256 * 1024, "bounded: " + n.responseBytes());
        }
    }

    // ---- 7. a dataset with queued or running jobs cannot be deleted -------------------------------------------

    @Test
    void datasetOfARunningJobCannotBeDeleted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        JobExecutor signals = (spec, input, out, progress) -> {
            started.countDown();
            return JobControlTest.WAITS_FOR_CANCEL.run(spec, input, out, progress);
        };
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws"), 1 << 20, null, null, false, 1, 4);
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, signals)) {
            String ds = uploadDataset(ts, tmp);
            String running = submit(ts, new JsonObject().put("dataset", ds));
            String queued = submit(ts, new JsonObject().put("dataset", ds));
            await(started);
            HttpResponse<Buffer> del = TestServer.await(ts.client.delete("/api/v1/datasets/" + ds).send());
            assertEquals(409, del.statusCode(), del.bodyAsString());
            assertTrue(del.bodyAsJsonObject().getString("error").contains("cancel them first"));
            assertEquals(200, ts.get("/api/v1/datasets/" + ds).statusCode(), "the dataset is intact");
            ts.post("/api/v1/jobs/" + queued + "/cancel", new JsonObject());
            ts.post("/api/v1/jobs/" + running + "/cancel", new JsonObject());
            assertEquals("cancelled", awaitEnd(ts, running).getString("status"));
            assertEquals(200, TestServer.await(ts.client.delete("/api/v1/datasets/" + ds).send()).statusCode());
        }
    }

    // ---- 8. validation at submit, queue-full, paging ----------------------------------------------------------

    @Test
    void badModelParamsAndSeedsAre400AtSubmitWithNoJobLeft() throws Exception {
        try (TestServer ts = TestServer.start(tmp.resolve("ws"))) {
            String ds = uploadDataset(ts, tmp);
            JsonObject[] bad = {
                new JsonObject().put("dataset", ds).put("model", "nope"),
                new JsonObject().put("dataset", ds).put("model", "gnn").put("params", new JsonObject()
                        .put("epochs", "many")),
                new JsonObject().put("dataset", ds).put("model", "pearson").put("params", new JsonObject()
                        .put("no-such-param", 1)),
                new JsonObject().put("dataset", ds).put("model", "sem").put("params", new JsonObject()
                        .put("steps", -5)),
                new JsonObject().put("dataset", ds).put("prep_params", new JsonObject().put("metacells", "x")),
                new JsonObject().put("dataset", ds).put("seed", new BigInteger("100000000000000000000")),
                new JsonObject().put("dataset", ds).put("seed", 1e19),
                new JsonObject().put("dataset", ds).put("seed", 1.5),
                new JsonObject().put("dataset", ds).put("groupby", "no_such_column"),
            };
            for (JsonObject b : bad) {
                HttpResponse<Buffer> r = ts.post("/api/v1/jobs", b);
                assertEquals(400, r.statusCode(), b.encode() + " -> " + r.bodyAsString());
            }
            assertEquals(0, ts.get("/api/v1/jobs").bodyAsJsonObject().getInteger("total"));
            assertEquals(0, Files.list(ts.workspace.resolve("jobs")).count(), "no job folders left");
        }
    }

    @Test
    void queueFullLeavesNoJobRecordAndJobsArePaged() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        JobExecutor signals = (spec, input, out, progress) -> {
            started.countDown();
            return JobControlTest.WAITS_FOR_CANCEL.run(spec, input, out, progress);
        };
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws"), 1 << 20, null, null, false, 1, 1);
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, signals)) {
            String ds = uploadDataset(ts, tmp);
            String a = submit(ts, new JsonObject().put("dataset", ds));
            await(started);
            String b = submit(ts, new JsonObject().put("dataset", ds));
            for (int i = 0; i < 3; i++) {
                // A full queue is the client's rate, not a server fault: 429 with Retry-After and a JSON error.
                Raw full = post(ts.port(), "/api/v1/jobs", "application/json", "{\"dataset\":\"" + ds + "\"}");
                assertJsonError(full, 429);
                assertTrue(full.json().getString("error").contains("queue is full"), full.body());
                assertEquals(Integer.toString(JobManager.RETRY_AFTER_S), full.header("Retry-After"), full.head());
            }
            JsonObject all = ts.get("/api/v1/jobs").bodyAsJsonObject();
            assertEquals(2, all.getInteger("total"), all.encode());
            assertEquals(2, Files.list(ts.workspace.resolve("jobs")).count());
            JsonObject page = ts.get("/api/v1/jobs?limit=1&offset=1").bodyAsJsonObject();
            assertEquals(1, page.getJsonArray("jobs").size());
            assertEquals(2, page.getInteger("total"));
            assertEquals(a, page.getJsonArray("jobs").getJsonObject(0).getString("id"), "newest first");
            assertEquals(400, ts.get("/api/v1/jobs?limit=0").statusCode());
            ts.post("/api/v1/jobs/" + b + "/cancel", new JsonObject());
            ts.post("/api/v1/jobs/" + a + "/cancel", new JsonObject());
            awaitEnd(ts, a);
        }
    }

    @Test
    void finishedJobsLeaveMemoryAndArePagedFromDisk() throws Exception {
        ServerConfig cfg = ServerConfig.loopback(tmp.resolve("ws"), 0);
        List<String> ids = new ArrayList<>();
        String ds1;
        String ds2;
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, writesNetwork(300))) {
            JobManager jobs = ts.server.context().jobs();
            jobs.keepFinished(2);
            ds1 = uploadDataset(ts, tmp);
            ds2 = uploadDataset(ts, tmp);
            for (int i = 0; i < 7; i++) {
                String id = submit(ts, new JsonObject().put("dataset", i % 3 == 0 ? ds2 : ds1));
                assertEquals("done", awaitEnd(ts, id).getString("status"));
                ids.add(0, id); // newest first
            }
            // A job's final state is visible a moment before its worker hands it over from the live set.
            Awaitility.await("only the most recently used finished jobs stay in memory")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> ids.stream().filter(id -> jobs.inMemory(id) != null).count() == 2);
            String old = ids.get(ids.size() - 1);
            assertEquals(null, jobs.inMemory(old));
            // Every job is still served, from its job.json: by id, in pages, filtered, and its network.
            JsonObject one = ts.get("/api/v1/jobs/" + old).bodyAsJsonObject();
            assertEquals("done", one.getString("status"), one.encode());
            assertEquals(old, one.getString("id"));
            assertPages(ts, ids, ds1, ds2);
            HttpResponse<Buffer> net = ts.get("/api/v1/jobs/" + old + "/network?top=5");
            assertEquals(200, net.statusCode(), net.bodyAsString());
            assertEquals(5, net.bodyAsJsonObject().getJsonArray("edges").size());
            assertEquals(404, ts.get("/api/v1/jobs/" + Ids.newId()).statusCode());
            assertEquals(202, ts.post("/api/v1/jobs/" + ids.get(3) + "/cancel", new JsonObject()).statusCode(),
                    "cancelling a finished job out of memory answers its state");
            assertEquals(2, ids.stream().filter(id -> jobs.inMemory(id) != null).count(), "still bounded");
        }
        // A restart reads the records back, keeps the same order, and the same bound.
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, writesNetwork(300))) {
            assertPages(ts, ids, ds1, ds2);
            assertTrue(ids.stream().filter(id -> ts.server.context().jobs().inMemory(id) != null).count()
                    <= JobStore.DEFAULT_KEEP_FINISHED);
        }
    }

    @Test
    void neuralJobsAreReproducibleWhateverRunsBesideThem() throws Exception {
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws"), 1 << 20, null, null, false, 2, 8);
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, new PipelineJobExecutor())) {
            String ds = uploadDataset(ts, tmp);
            JsonObject gnn7 = new JsonObject().put("dataset", ds).put("model", "gnn").put("seed", 7)
                    .put("params", new JsonObject().put("epochs", 3));
            String alone = submit(ts, gnn7);
            assertEquals("done", awaitEnd(ts, alone).getString("status"));
            // The same job again, submitted together with a neural job of another seed and a plain job: the lane
            // runs the neural ones one at a time, each seeded from its own spec.
            String other = submit(ts, gnn7.copy().put("seed", 99));
            String plain = submit(ts, new JsonObject().put("dataset", ds).put("model", "pearson"));
            String again = submit(ts, gnn7);
            for (String id : new String[] {other, plain, again}) {
                assertEquals("done", awaitEnd(ts, id).getString("status"), id);
            }
            Path jobs = ts.workspace.resolve("jobs");
            assertEquals(Files.readString(jobs.resolve(alone).resolve("out").resolve("network.tsv")),
                    Files.readString(jobs.resolve(again).resolve("out").resolve("network.tsv")),
                    "same spec and seed, same network, whatever ran beside it");
            // …and the seed matters (else the equality above would prove nothing).
            assertFalse(Files.readString(jobs.resolve(alone).resolve("out").resolve("network.tsv")).equals(
                    Files.readString(jobs.resolve(other).resolve("out").resolve("network.tsv"))), "seed 99 differs");
        }
    }

    @Test
    void finishedPerturbationRunsAreBoundedInMemory() throws Exception {
        PerturbRuns runs = new PerturbRuns();
        List<PerturbRuns.Run> all = new ArrayList<>();
        // Runs on a file that does not exist fail at once: each is a finished run the server would hold.
        for (int i = 0; i < PerturbRuns.KEEP_FINISHED + 10; i++) {
            PerturbRuns.Run r = runs.submit("job", new PerturbRequest(tmp.resolve("none.h5ad"),
                    tmp.resolve("none"), List.of(Perturbation.ko("TF")), null, null, null,
                    null, 1, 10, 10, 0, tmp.resolve("out" + i)));
            r.finished.get(60, TimeUnit.SECONDS);
            assertEquals("failed", r.status());
            all.add(r);
        }
        runs.submit("job", all.get(0).request); // eviction happens at a submit
        long kept = all.stream().filter(r -> runs.get("job", r.id).isPresent()).count();
        assertEquals(PerturbRuns.KEEP_FINISHED, kept, "the oldest finished runs are forgotten");
        assertTrue(runs.get("job", all.get(all.size() - 1).id).isPresent(), "the newest is kept");
        assertFalse(runs.get("job", all.get(0).id).isPresent());
    }

    @Test
    void serverUsesTheNativeTransportOnLinux() {
        Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64"), "native epoll is bundled for Linux x86-64 only");
        try (TestServer ts = TestServer.start(tmp.resolve("ws"))) {
            assertTrue(ts.server.vertx().isNativeTransportEnabled(),
                    String.valueOf(ts.server.vertx().unavailableNativeTransportCause()));
        }
    }

        /** Pages of two over {@code newestFirst}, and the filter by dataset (every third job was on {@code ds2}). */
    private static void assertPages(TestServer ts, List<String> newestFirst, String ds1, String ds2) {
        List<String> seen = new ArrayList<>();
        for (int off = 0; off < newestFirst.size(); off += 2) {
            JsonObject page = ts.get("/api/v1/jobs?limit=2&offset=" + off).bodyAsJsonObject();
            assertEquals(newestFirst.size(), page.getInteger("total"), page.encode());
            for (int i = 0; i < page.getJsonArray("jobs").size(); i++) {
                JsonObject j = page.getJsonArray("jobs").getJsonObject(i);
                assertEquals("done", j.getString("status"), j.encode());
                assertFalse(j.containsKey("losses"), "lists carry no loss curves");
                seen.add(j.getString("id"));
            }
        }
        assertEquals(newestFirst, seen);
        JsonObject only2 = ts.get("/api/v1/jobs?dataset=" + ds2).bodyAsJsonObject();
        assertEquals(3, only2.getInteger("total"), only2.encode());
        for (int i = 0; i < 3; i++) {
            assertEquals(ds2, only2.getJsonArray("jobs").getJsonObject(i).getString("dataset"));
        }
        assertEquals(4, ts.get("/api/v1/jobs?dataset=" + ds1).bodyAsJsonObject().getInteger("total"));
        assertEquals(0, ts.get("/api/v1/jobs?dataset=not-an-id").bodyAsJsonObject().getInteger("total"));
    }

    // ---- 9. neural-model jobs run one at a time ---------------------------------------------------------------

    @Test
    void exclusiveJobsRunOneAtATimeNextToOthers() throws Exception {
        AtomicInteger exclusiveNow = new AtomicInteger();
        AtomicInteger maxExclusive = new AtomicInteger();
        CountDownLatch firstExclusive = new CountDownLatch(1);
        CountDownLatch plainStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JobExecutor exec = new JobExecutor() {
            @Override
            public JsonObject run(JobSpec spec, Path input, Path out, Progress progress) {
                if (exclusive(spec)) {
                    maxExclusive.accumulateAndGet(exclusiveNow.incrementAndGet(), Math::max);
                    firstExclusive.countDown();
                    await(release);
                    exclusiveNow.decrementAndGet();
                } else {
                    plainStarted.countDown();
                }
                return writesNetwork(3).run(spec, input, out, progress);
            }

            @Override
            public boolean exclusive(JobSpec spec) {
                return InferPipeline.usesDjl(spec.model());
            }
        };
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws"), 1 << 20, null, null, false, 2, 4);
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, exec)) {
            String ds = uploadDataset(ts, tmp);
            String g1 = submit(ts, new JsonObject().put("dataset", ds).put("model", "gnn"));
            String g2 = submit(ts, new JsonObject().put("dataset", ds).put("model", "sem"));
            await(firstExclusive);
            // Two pool workers: the plain job runs beside the neural one, the second neural job waits its turn.
            String p = submit(ts, new JsonObject().put("dataset", ds).put("model", "pearson"));
            await(plainStarted);
            assertEquals("done", awaitEnd(ts, p).getString("status"));
            assertEquals("queued", ts.get("/api/v1/jobs/" + g2).bodyAsJsonObject().getString("status"));
            release.countDown();
            assertEquals("done", awaitEnd(ts, g1).getString("status"));
            assertEquals("done", awaitEnd(ts, g2).getString("status"));
            assertEquals(1, maxExclusive.get());
        }
        assertTrue(InferPipeline.usesDjl("gnn") && InferPipeline.usesDjl("sem")
                && !InferPipeline.usesDjl("pearson"));
    }

    // ---- 4. idle and request timeouts -------------------------------------------------------------------------

    @Test
    void idleConnectionsAreClosed() throws Exception {
        ServerConfig cfg = ServerConfig.loopback(tmp.resolve("ws"), 0)
                .withLimits(ServerConfig.Limits.defaults().withIdleTimeout(1));
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, writesNetwork(1))) {
            try (Socket s = new Socket("127.0.0.1", ts.port())) {
                s.setSoTimeout(30_000);
                long t0 = System.nanoTime();
                // Says nothing: the server must hang up (read returns end of stream), not wait forever.
                assertEquals(-1, s.getInputStream().read());
                assertTrue(System.nanoTime() - t0 < 25_000_000_000L);
            }
            assertEquals(200, get(ts.port(), "/api/v1/health").status());
        }
    }

    @Test
    void slowRequestsAreAnswered503AfterTheRequestTimeout() throws Exception {
        Path ws = tmp.resolve("ws");
        String job;
        try (TestServer ts = new TestServer(ws, ServerConfig.loopback(ws, 0), writesNetwork(200_000))) {
            job = submit(ts, new JsonObject().put("dataset", uploadDataset(ts, tmp)));
            assertEquals("done", awaitEnd(ts, job).getString("status"));
        }
        // Reading a 200,000-edge network takes far longer than 1 ms; the answer is a 503, not a hung client.
        ServerConfig cfg = ServerConfig.loopback(ws, 0).withLimits(ServerConfig.Limits.defaults()
                .withRequestTimeout(1));
        try (TestServer ts = new TestServer(ws, cfg, writesNetwork(1))) {
            assertJsonError(get(ts.port(), "/api/v1/jobs/" + job + "/network?top=10"), 503);
            assertEquals(200, get(ts.port(), "/api/v1/health").status());
        }
    }

    // ---- 5. groupby cardinality -------------------------------------------------------------------------------

    @Test
    void groupbyOnAHighCardinalityColumnIs400NamingIt() throws Exception {
        try (TestServer ts = TestServer.start(tmp.resolve("ws"))) {
            String ds = uploadDataset(ts, tmp);
            HttpResponse<Buffer> r = ts.post("/api/v1/jobs", new JsonObject().put("dataset", ds)
                    .put("model", "pearson").put("groupby", "n_counts"));
            assertEquals(400, r.statusCode(), r.bodyAsString());
            assertTrue(r.bodyAsJsonObject().getString("error").matches(
                    "groupby: column 'n_counts' has \\d+ distinct values; at most 64 groups.*"), r.bodyAsString());
            assertEquals(0, ts.get("/api/v1/jobs").bodyAsJsonObject().getInteger("total"));
            // A categorical column within the limit is accepted.
            assertEquals(201, ts.post("/api/v1/jobs", new JsonObject().put("dataset", ds).put("model", "pearson")
                    .put("groupby", "louvain")).statusCode());
        }
    }

    @Test
    void networkDiffStopsWhenCancelled() {
        Map<String, Network> nets = new LinkedHashMap<>();
        for (int g = 0; g < 3; g++) {
            nets.put("g" + g, new Network(List.of(
                    new Edge("A", "B", 1.0, 1, 1.0))));
        }
        AtomicInteger checks = new AtomicInteger();
        Assertions.assertThrows(CancellationException.class,
                () -> NetworkDiff.compare(nets, 10, () -> checks.incrementAndGet() > 2));
        assertEquals(3, checks.get(), "checked inside the loop, not only before it");
    }

    // ---- 6. non-multipart bodies to /datasets are refused before they are read --------------------------------

    @Test
    void nonMultipartUploadIsRefusedWithoutReadingTheBody() throws Exception {
        try (TestServer ts = TestServer.start(tmp.resolve("ws"))) {
            for (String ct : new String[] {"application/octet-stream", "text/plain", "multipart/form-data"}) {
                try (Socket s = new Socket("127.0.0.1", ts.port())) {
                    s.setSoTimeout(30_000);
                    // Announces 10 GB and sends 1 kB: the answer must come without the rest.
                    String head = "POST /api/v1/datasets HTTP/1.1\r\nHost: 127.0.0.1:" + ts.port()
                            + "\r\nContent-Type: " + ct + "\r\nContent-Length: 10000000000\r\n\r\n";
                    s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().write(new byte[1024]);
                    s.getOutputStream().flush();
                    Raw r = read(s.getInputStream());
                    assertJsonError(r, ct.startsWith("multipart") ? 400 : 415);
                }
            }
            assertEquals(0, Files.list(ts.workspace.resolve("uploads")).count(), "nothing buffered to disk");
            // Over HTTP/2 the refusal must not take the connection (and other requests on it) down.
            HttpClient h2 = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_2).build();
            String base = "http://127.0.0.1:" + ts.port() + "/api/v1";
            for (int i = 0; i < 3; i++) {
                assertEquals(200, h2.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
                java.net.http.HttpResponse<String> r = h2.send(HttpRequest.newBuilder(
                        URI.create(base + "/datasets")).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1 << 16])).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(415, r.statusCode(), r.body());
            }
        }
    }

    // ---- 8. smaller items -------------------------------------------------------------------------------------

    @Test
    void hugeFileNamesAndBoundarylessMultipartAreClientErrors() throws Exception {
        try (TestServer ts = TestServer.start(tmp.resolve("ws"))) {
            String name = "x".repeat(5000) + ".h5ad";
            HttpResponse<Buffer> r = ts.upload(TestServer.fixture("pbmc_small.h5ad", tmp), name);
            assertTrue(r.statusCode() == 201 || (r.statusCode() >= 400 && r.statusCode() < 500), r.bodyAsString());
            if (r.statusCode() == 201) {
                assertTrue(r.bodyAsJsonObject().getString("name").length() <= 120);
            }
            assertJsonError(post(ts.port(), "/api/v1/datasets", "multipart/form-data; boundary=", "--\r\n"), 400);
            assertEquals(200, get(ts.port(), "/api/v1/health").status());
        }
    }

    @Test
    void clientErrorsCarryNoServerPathsOrClassNames() throws Exception {
        Path ws = tmp.resolve("ws");
        JobExecutor leaks = (spec, input, out, progress) -> {
            throw new AnnDataException(input, "/X", "cannot decode chunk at "
                    + input.toAbsolutePath() + " (java.io.IOException: bad)");
        };
        try (TestServer ts = new TestServer(ws, ServerConfig.loopback(ws, 0), leaks)) {
            String job = submit(ts, new JsonObject().put("dataset", uploadDataset(ts, tmp)));
            String error = awaitEnd(ts, job).getString("error");
            assertNotNull(error);
            assertFalse(error.contains(ws.getFileName().toString()) || error.contains(tmp.toString()), error);
            assertFalse(error.contains("java.io") || error.contains("Exception"), error);
            assertTrue(error.contains("data.h5ad"), "the file is still named: " + error);
        }
        assertEquals("data.h5ad: bad", Errors.clientSafe("/srv/ws/datasets/abc/data.h5ad: java.io.IOException: bad"));
        assertEquals("no such API route: GET /api/v1/x/y", Errors.clientSafe("no such API route: GET /api/v1/x/y"));
    }

    @Test
    void crashLeftoversAreRemovedAtStart() throws Exception {
        Path ws = tmp.resolve("ws");
        String job;
        try (TestServer ts = new TestServer(ws, ServerConfig.loopback(ws, 0), writesNetwork(3))) {
            job = submit(ts, new JsonObject().put("dataset", uploadDataset(ts, tmp)));
            awaitEnd(ts, job);
        }
        // What kill -9 leaves: a half-written output stage, an output folder with only that, a Vert.x file cache.
        Path half = Files.createDirectories(ws.resolve("jobs").resolve(job).resolve("out").resolve(".tmp-1234abcd"));
        Files.writeString(half.resolve("network.tsv"), "tf\ttarget\tscore\n");
        String other = Ids.newId();
        Path orphan = Files.createDirectories(ws.resolve("jobs").resolve(other).resolve("out").resolve(".tmp-x"));
        Path cache = Files.createDirectories(ws.resolve("cache").resolve("vertx-cache-" + UUID.randomUUID()));
        Files.writeString(cache.resolve("index.html"), "stale");
        try (TestServer ts = new TestServer(ws, ServerConfig.loopback(ws, 0), writesNetwork(3))) {
            assertFalse(Files.exists(half), "half-written output removed");
            assertFalse(Files.exists(orphan.getParent()), "an out folder holding only leftovers is removed");
            assertTrue(Files.exists(ws.resolve("jobs").resolve(job).resolve("out").resolve("network.tsv")),
                    "finished outputs are kept");
            assertFalse(Files.exists(cache), "stale file cache removed");
            assertEquals(200, ts.get("/api/v1/jobs/" + job + "/network").statusCode());
        }
    }
}
