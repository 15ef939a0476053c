package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.app.Main;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad input over HTTP: every refusal is a JSON error with the right status, and the server keeps serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerBadInputTest {
    @TempDir
    static Path tmp;

    TestServer ts;

    @BeforeAll
    void start() {
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws"), 100_000, null, null, false, 1, 4);
        ts = new TestServer(tmp.resolve("ws"), cfg, new PipelineJobExecutor());
    }

    @AfterAll
    void stop() {
        ts.close();
    }

    private static JsonObject error(HttpResponse<Buffer> r, int status) {
        assertEquals(status, r.statusCode(), r.bodyAsString());
        assertTrue(r.getHeader("Content-Type").startsWith("application/json"), r.getHeader("Content-Type"));
        JsonObject e = r.bodyAsJsonObject();
        assertEquals(status, e.getInteger("status"));
        String msg = e.getString("error");
        assertTrue(msg != null && !msg.isBlank() && !msg.contains("\n") && !msg.contains("\tat "), msg);
        return e;
    }

    private void stillServing() {
        HttpResponse<Buffer> h = ts.get("/api/v1/health");
        assertEquals(200, h.statusCode());
        assertEquals("ok", h.bodyAsJsonObject().getString("status"));
    }

    @Test
    void nonHdf5UploadIs415() throws Exception {
        Path f = tmp.resolve("notes.h5ad");
        Files.writeString(f, "this is not an HDF5 file\n".repeat(20));
        JsonObject e = error(ts.upload(f, "notes.h5ad"), 415);
        assertTrue(e.getString("error").contains("notes.h5ad"), e.encode());
        assertTrue(!e.getString("error").contains(tmp.toString()), "no server paths in messages");
        stillServing();
    }

    @Test
    void truncatedHdf5UploadIs422() throws Exception {
        byte[] full = Files.readAllBytes(TestServer.fixture("pbmc_small.h5ad", tmp));
        Path f = tmp.resolve("truncated.h5ad");
        Files.write(f, Arrays.copyOf(full, full.length / 3));
        JsonObject e = error(ts.upload(f, "truncated.h5ad"), 422);
        assertTrue(e.getString("error").startsWith("truncated.h5ad"), e.encode());
        assertTrue(!e.getString("error").contains(ts.workspace.toString()), "no server paths in messages");
        assertEquals(0, ts.get("/api/v1/datasets").bodyAsJsonObject().getJsonArray("datasets").stream()
                .filter(d -> ((JsonObject) d).getString("name").equals("truncated.h5ad")).count());
        stillServing();
    }

    @Test
    void oversizeUploadIs413() {
        Path f = TestServer.fixture("pbmc_small.h5ad", tmp); // 131 kB > the 100 kB limit
        error(ts.upload(f, "big.h5ad"), 413);
        stillServing();
    }

    @Test
    void uploadWithoutFileFieldIs400() {
        HttpResponse<Buffer> r = TestServer.await(ts.client.post("/api/v1/datasets")
                .sendMultipartForm(MultipartForm.create().attribute("x", "y")));
        error(r, 400);
    }

    @Test
    void connectionDroppedMidUploadLeavesNothing() throws Exception {
        try (Socket s = new Socket("127.0.0.1", ts.port())) {
            OutputStream out = s.getOutputStream();
            String boundary = "b0undary";
            String head = "POST /api/v1/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                    + "Content-Length: 90000\r\n\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.h5ad\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[20_000]);
            out.flush();
        }
        stillServing();
        assertEquals(0, ts.get("/api/v1/datasets").bodyAsJsonObject().getJsonArray("datasets").stream()
                .filter(d -> ((JsonObject) d).getString("name").equals("cut.h5ad")).count());
    }

    @Test
    void unknownIdsAre404() {
        String uuid = "00000000-0000-0000-0000-000000000000";
        error(ts.get("/api/v1/datasets/" + uuid), 404);
        error(ts.get("/api/v1/datasets/..%2F..%2Fetc%2Fpasswd"), 404);
        error(ts.get("/api/v1/datasets/" + uuid + "/embedding"), 404);
        error(TestServer.await(ts.client.delete("/api/v1/datasets/" + uuid).send()), 404);
        error(ts.get("/api/v1/jobs/" + uuid), 404);
        error(ts.get("/api/v1/jobs/not-an-id/events"), 404);
        error(ts.get("/api/v1/jobs/" + uuid + "/network"), 404);
        error(ts.get("/api/v1/jobs/" + uuid + "/logs"), 404);
        error(ts.post("/api/v1/jobs/" + uuid + "/cancel", new JsonObject()), 404);
        error(ts.get("/api/v1/no/such/route"), 404);
        stillServing();
    }

    @Test
    void malformedParametersAre400() {
        String uuid = "00000000-0000-0000-0000-000000000000";
        error(ts.get("/api/v1/jobs/" + uuid + "/network?top=abc"), 400);
        error(ts.get("/api/v1/jobs/" + uuid + "/network?top=-1"), 400);
        error(ts.get("/api/v1/jobs/" + uuid + "/network?min_score=high"), 400);
        error(ts.get("/api/v1/jobs/" + uuid + "/network/neighbourhood?gene=SPI1&depth=9"), 400);
        error(ts.get("/api/v1/jobs/" + uuid + "/network/neighbourhood"), 400);
        error(ts.get("/api/v1/jobs/" + uuid + "/network/diff?a=all"), 400);
        error(ts.get("/api/v1/jobs/" + uuid + "/export?format=xls"), 400);
        stillServing();
    }

    @Test
    void badJobRequestsAre400Or404() {
        HttpResponse<Buffer> notJson = TestServer.await(ts.client.post("/api/v1/jobs")
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{not json")));
        error(notJson, 400);
        error(ts.post("/api/v1/jobs", new JsonObject()), 400);
        error(ts.post("/api/v1/jobs", new JsonObject().put("dataset", "x").put("modle", "pearson")), 400);
        error(ts.post("/api/v1/jobs", new JsonObject().put("dataset", "x").put("device", "tpu")), 400);
        error(ts.post("/api/v1/jobs", new JsonObject().put("dataset", "x").put("seed", "many")), 400);
        error(ts.post("/api/v1/jobs", new JsonObject().put("dataset", "x").put("params", "epochs=3")), 400);
        error(ts.post("/api/v1/jobs", new JsonObject().put("dataset", "00000000-0000-0000-0000-000000000000")),
                404);
        stillServing();
    }

    @Test
    void secondServerOnAUsedPortFailsLoudly() {
        ServerConfig same = ServerConfig.loopback(tmp.resolve("ws2"), ts.port());
        WebVerticle.ServerStartException e = assertThrows(WebVerticle.ServerStartException.class,
                () -> ScgrnServer.start(same, new PipelineJobExecutor()).close());
        assertTrue(e.getMessage().contains("address already in use"), e.getMessage());
        assertTrue(e.getMessage().contains(":" + ts.port()), e.getMessage());

        // The command line says the same in one line, with a usage exit code.
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int code = cl.execute("serve", "--port", Integer.toString(ts.port()), "--workspace",
                tmp.resolve("ws3").toString());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().startsWith("scgrn: cannot listen on 127.0.0.1:" + ts.port()), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        stillServing();
    }
}
