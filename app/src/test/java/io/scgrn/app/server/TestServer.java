package io.scgrn.app.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.arrow.memory.RootAllocator;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

/** A server on port 0 with a temporary workspace, and a WebClient pointed at it. */
final class TestServer implements AutoCloseable {
    static {
        // Vert.x caches class-path files it serves; keep that cache under target/, not in the module folder.
        System.setProperty("vertx.cacheDirBase", "target/vertx-cache");
    }

    final ScgrnServer server;
    final Vertx clientVertx;
    final WebClient client;
    final Path workspace;

    TestServer(Path workspace, ServerConfig config, JobExecutor executor) {
        this.workspace = workspace;
        this.server = ScgrnServer.start(config, executor);
        this.clientVertx = Vertx.vertx();
        this.client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(server.port()));
    }

    static TestServer start(Path workspace) {
        return new TestServer(workspace, ServerConfig.loopback(workspace, 0), new PipelineJobExecutor());
    }

    int port() {
        return server.port();
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + e, e);
        }
    }

    HttpResponse<Buffer> get(String uri) {
        return await(client.get(uri).send());
    }

    /**
     * Waits (Awaitility, up to 120 s) until GET {@code uri} returns a JSON object satisfying {@code until}, and
     * returns it; fails naming {@code what} and the last body otherwise.
     */
    JsonObject awaitJson(String uri, Predicate<JsonObject> until, String what) {
        return awaitJson(() -> get(uri).bodyAsJsonObject(), until, what);
    }

    /** Waits until the job's status is {@code status}. */
    JsonObject awaitJobStatus(String job, String status) {
        return awaitJson("/api/v1/jobs/" + job, j -> status.equals(j.getString("status")), "job " + job + " " + status);
    }

    /** Polls {@code read} (every 50 ms, up to 120 s) until {@code until} holds; the failure names the last value. */
    static JsonObject awaitJson(Callable<JsonObject> read, Predicate<JsonObject> until, String what) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        try {
            return Awaitility.await(what).atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        JsonObject j = read.call();
                        last.set(j);
                        return j;
                    }, until::test);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " never happened; last: " + last.get(), e);
        }
    }

    HttpResponse<Buffer> post(String uri, JsonObject body) {
        return await(client.post(uri).sendJsonObject(body));
    }

    HttpResponse<Buffer> upload(Path file, String name) {
        MultipartForm form = MultipartForm.create().binaryFileUpload("file", name, file.toString(),
                "application/octet-stream");
        return await(client.post("/api/v1/datasets").sendMultipartForm(form));
    }

    /** Copies a class-path fixture to a file. */
    static Path fixture(String name, Path dir) {
        try (InputStream in = TestServer.class.getResourceAsStream("/server/" + name)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + name + " missing");
            }
            Path p = dir.resolve(name);
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A decoded Arrow stream: its schema metadata and its columns as float or int arrays. */
    record ArrowTable(Map<String, String> meta, Map<String, Object> columns, int rows) {
    }

    static ArrowTable readArrow(Buffer body) {
        try (RootAllocator a = new RootAllocator();
             ArrowStreamReader r = new ArrowStreamReader(new ByteArrayInputStream(body.getBytes()), a)) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            Map<String, Object> cols = new LinkedHashMap<>();
            int rows = 0;
            while (r.loadNextBatch()) {
                rows += root.getRowCount();
                for (var v : root.getFieldVectors()) {
                    if (v instanceof Float4Vector f) {
                        float[] x = new float[f.getValueCount()];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = f.get(i);
                        }
                        cols.put(v.getName(), x);
                    } else if (v instanceof IntVector iv) {
                        int[] x = new int[iv.getValueCount()];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = iv.get(i);
                        }
                        cols.put(v.getName(), x);
                    }
                }
            }
            Map<String, String> meta = root.getSchema().getCustomMetadata();
            return new ArrowTable(meta == null ? Map.of() : meta, cols, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        await(clientVertx.close());
        server.close();
    }
}
