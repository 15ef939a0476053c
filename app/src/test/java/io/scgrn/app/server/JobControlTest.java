package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.ModelException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancellation of running and queued jobs, the bounded queue, and failures reported as one-line errors. Uses a
 * stand-in executor that reports progress and waits for cancellation, so no CPU is spent.
 */
class JobControlTest {
    @TempDir
    Path tmp;

    /** Reports epochs until cancelled (or 60 s, so a broken test cannot hang the build). */
    static final JobExecutor WAITS_FOR_CANCEL = (spec, input, out, progress) -> {
        progress.phase("train");
        for (int e = 1; e <= 600; e++) {
            if (progress.cancelled()) {
                throw new CancellationException("cancelled");
            }
            progress.epoch(e, 600, 1.0 / e);
            try {
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                throw new CancellationException("interrupted");
            }
        }
        throw new IllegalStateException("never cancelled");
    };

    private static JsonObject waitFor(TestServer ts, String id, String status) {
        return ts.awaitJobStatus(id, status);
    }

    private static JsonObject waitForPhase(TestServer ts, String id, String phase) {
        return ts.awaitJson("/api/v1/jobs/" + id, j -> phase.equals(j.getString("phase")), "job " + id + " phase "
                + phase);
    }

    @Test
    void cancelRunningAndQueuedJobs() throws Exception {
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws"), 1 << 20, null, null, false, 1, 1);
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, WAITS_FOR_CANCEL)) {
            String ds = ts.upload(TestServer.fixture("pbmc_small.h5ad", tmp), "p.h5ad").bodyAsJsonObject()
                    .getString("id");
            String a = ts.post("/api/v1/jobs", new JsonObject().put("dataset", ds)).bodyAsJsonObject()
                    .getString("id");
            waitFor(ts, a, "running");
            JsonObject running = waitForPhase(ts, a, "train");
            assertEquals("running", running.getString("status"));
            String b = ts.post("/api/v1/jobs", new JsonObject().put("dataset", ds)).bodyAsJsonObject()
                    .getString("id");
            assertEquals("queued", ts.get("/api/v1/jobs/" + b).bodyAsJsonObject().getString("status"));
            // One worker busy, one job waiting: the queue (capacity 1) is full.
            JsonObject full = ts.post("/api/v1/jobs", new JsonObject().put("dataset", ds)).bodyAsJsonObject();
            assertEquals(429, full.getInteger("status"), full.encode());

            assertEquals(202, ts.post("/api/v1/jobs/" + b + "/cancel", new JsonObject()).statusCode());
            assertEquals("cancelled", ts.get("/api/v1/jobs/" + b).bodyAsJsonObject().getString("status"));

            JsonObject progressed = ts.get("/api/v1/jobs/" + a).bodyAsJsonObject();
            assertTrue(progressed.getInteger("epochs") == 600 && progressed.getInteger("epoch") >= 1,
                    progressed.encode());
            ts.post("/api/v1/jobs/" + a + "/cancel", new JsonObject());
            JsonObject cancelled = waitFor(ts, a, "cancelled");
            assertTrue(!cancelled.getJsonArray("losses").isEmpty(), "the loss curve is kept");
            // The SSE stream of a finished job sends its final state and closes.
            String sse = ts.get("/api/v1/jobs/" + a + "/events").bodyAsString();
            assertTrue(sse.startsWith("data: ") && sse.contains("\"cancelled\""), sse);
        }
    }

    @Test
    void failingJobReportsOneLine() throws Exception {
        JobExecutor fails = (spec, input, out, progress) -> {
            throw new ModelException("tfs", "no candidate regulator is among the genes\nsecond");
        };
        ServerConfig cfg = ServerConfig.loopback(tmp.resolve("ws"), 0);
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, fails)) {
            String ds = ts.upload(TestServer.fixture("pbmc_small.h5ad", tmp), "p.h5ad").bodyAsJsonObject()
                    .getString("id");
            String id = ts.post("/api/v1/jobs", new JsonObject().put("dataset", ds)).bodyAsJsonObject()
                    .getString("id");
            JsonObject j = waitFor(ts, id, "failed");
            assertEquals("tfs: no candidate regulator is among the genes", j.getString("error"));
            assertEquals(409, ts.get("/api/v1/jobs/" + id + "/network").statusCode());
        }
    }
}
