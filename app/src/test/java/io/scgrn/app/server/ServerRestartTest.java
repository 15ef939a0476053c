package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability: the server runs as a child JVM ({@code io.scgrn.app.Main serve}), is killed with SIGKILL in the
 * middle of a job, and a new server on the same workspace still has the dataset and the finished result, and
 * reports the killed job as interrupted.
 */
class ServerRestartTest {
    @TempDir
    Path tmp;

    private final List<Process> children = new ArrayList<>();
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void cleanUp() {
        children.forEach(Process::destroyForcibly);
        TestServer.await(vertx.close());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code scgrn serve} in a child JVM and waits for its "listening" line. */
    private Process serve(int port, Path workspace) throws Exception {
        return start("io.scgrn.app.Main", "serve", "--port", Integer.toString(port), "--workspace",
                workspace.toString());
    }

    /** Starts {@code main} in a child JVM on this class path and waits for its "listening" line. */
    private Process start(String main, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Dai.djl.offline=true", "-Xmx1g", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("child-" + children.size() + ".err").toFile())
                .start();
        children.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = out.readLine();
            if (line == null) {
                throw new AssertionError("server exited with " + p.waitFor() + " before listening");
            }
            if (line.contains("listening on")) {
                return p;
            }
        }
        throw new AssertionError("server did not start within 60 s");
    }

    private WebClient client(int port) {
        return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    }

    private static JsonObject waitStatus(WebClient c, String job, String status) {
        return TestServer.awaitJson(() -> TestServer.await(c.get("/api/v1/jobs/" + job).send()).bodyAsJsonObject(),
                j -> status.equals(j.getString("status")), "job " + job + " " + status);
    }

    @Test
    void killedServerRestartsWithDataIntactAndJobInterrupted() throws Exception {
        Path ws = tmp.resolve("ws");
        Path file = TestServer.fixture("pbmc_small.h5ad", tmp);

        // 1. A server computes one network.
        int p1 = freePort();
        Process first = serve(p1, ws);
        WebClient c1 = client(p1);
        HttpResponse<Buffer> up = TestServer.await(c1.post("/api/v1/datasets").sendMultipartForm(
                MultipartForm.create().binaryFileUpload("file", "pbmc_small.h5ad", file.toString(),
                        "application/octet-stream")));
        assertEquals(201, up.statusCode(), up.bodyAsString());
        String ds = up.bodyAsJsonObject().getString("id");
        String done = TestServer.await(c1.post("/api/v1/jobs").sendJsonObject(new JsonObject().put("dataset", ds)
                .put("model", "pearson"))).bodyAsJsonObject().getString("id");
        waitStatus(c1, done, "done");
        JsonObject edgesBefore = TestServer.await(c1.get("/api/v1/jobs/" + done + "/network?top=5").send())
                .bodyAsJsonObject();
        first.destroy();
        first.waitFor(30, TimeUnit.SECONDS);

        // 2. Another server is killed -9 while a job is running (held by its executor until the kill).
        int p2 = freePort();
        Process second = start(HeldJobServer.class.getName(), Integer.toString(p2), ws.toString());
        WebClient c2 = client(p2);
        String slow = TestServer.await(c2.post("/api/v1/jobs").sendJsonObject(new JsonObject().put("dataset", ds)
                .put("model", "pearson"))).bodyAsJsonObject().getString("id");
        waitStatus(c2, slow, "running");
        second.destroyForcibly();
        assertTrue(second.waitFor(30, TimeUnit.SECONDS));

        // 3. A new server on the same workspace.
        int p3 = freePort();
        serve(p3, ws);
        WebClient c3 = client(p3);
        JsonObject datasets = TestServer.await(c3.get("/api/v1/datasets").send()).bodyAsJsonObject();
        assertEquals(1, datasets.getJsonArray("datasets").size());
        assertEquals(ds, datasets.getJsonArray("datasets").getJsonObject(0).getString("id"));
        assertEquals(200, TestServer.await(c3.get("/api/v1/datasets/" + ds).send()).bodyAsJsonObject()
                .getInteger("n_obs"));
        assertEquals("done", TestServer.await(c3.get("/api/v1/jobs/" + done).send()).bodyAsJsonObject()
                .getString("status"));
        JsonObject edgesAfter = TestServer.await(c3.get("/api/v1/jobs/" + done + "/network?top=5").send())
                .bodyAsJsonObject();
        assertEquals(edgesBefore, edgesAfter);
        JsonObject killed = TestServer.await(c3.get("/api/v1/jobs/" + slow).send()).bodyAsJsonObject();
        assertEquals("interrupted", killed.getString("status"), killed.encode());
        // And the workspace is usable: the embedding of the surviving dataset still loads.
        assertEquals(200, TestServer.await(c3.get("/api/v1/datasets/" + ds + "/embedding").send()).statusCode());
    }
}
