package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --demo}: the bundled example is imported once and its network job submitted once, across restarts. */
class DemoTest {
    @TempDir
    Path tmp;

    private static JsonArray waitForDoneJob(TestServer ts) {
        String demoJob = TestServer.await(ts.server.demoJob());
        ts.awaitJobStatus(demoJob, "done");
        return ts.get("/api/v1/jobs").bodyAsJsonObject().getJsonArray("jobs");
    }

    @Test
    void demoLoadsTheExampleOnce() throws Exception {
        assertTrue(Demo.locate().isPresent(), "examples/" + Demo.FILE + " not found from " + Path.of("")
                .toAbsolutePath());
        Path ws = tmp.resolve("ws");
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, ws, 1 << 30, null, null, true, 1, 4);
        String jobId;
        try (TestServer ts = new TestServer(ws, cfg, OpenApiTest.THREE_EDGES)) {
            JsonArray jobs = waitForDoneJob(ts);
            assertEquals(1, jobs.size());
            jobId = jobs.getJsonObject(0).getString("id");
            JsonArray ds = ts.get("/api/v1/datasets").bodyAsJsonObject().getJsonArray("datasets");
            assertEquals(1, ds.size());
            JsonObject demo = ds.getJsonObject(0);
            assertTrue(demo.getBoolean("demo"));
            assertEquals(700, demo.getInteger("n_obs"));
            assertEquals(demo.getString("id"), jobs.getJsonObject(0).getString("dataset"));
        }
        try (TestServer again = new TestServer(ws, cfg, OpenApiTest.THREE_EDGES)) {
            // Wait for the demo to be loaded (the event), then check it reused the finished job.
            assertEquals(jobId, TestServer.await(again.server.demoJob()), "the finished demo job is reused");
            JsonArray jobs = again.get("/api/v1/jobs").bodyAsJsonObject().getJsonArray("jobs");
            assertEquals(1, jobs.size(), "the finished demo job is reused, not rerun");
            assertEquals(jobId, jobs.getJsonObject(0).getString("id"));
            assertEquals(1, again.get("/api/v1/datasets").bodyAsJsonObject().getJsonArray("datasets").size());
        }
    }
}
