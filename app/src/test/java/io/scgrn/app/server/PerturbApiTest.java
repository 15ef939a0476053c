package io.scgrn.app.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The perturbation API on a real server with the real pipeline: a pearson network of the bundled small PBMC file,
 * a knock-out run to completion (waited for by long polling, not sleeping), its arrows, cells and gene table, and
 * bad requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerturbApiTest {
    @TempDir
    static Path tmp;

    TestServer ts;
    String jobId;
    String tf;

    @BeforeAll
    void start() throws Exception {
        ts = TestServer.start(tmp.resolve("ws"));
        Path file = TestServer.fixture("pbmc_small.h5ad", tmp);
        String datasetId = ts.upload(file, "pbmc_small.h5ad").bodyAsJsonObject().getString("id");
        HttpResponse<Buffer> r = ts.post("/api/v1/jobs", new JsonObject().put("dataset", datasetId)
                .put("model", "pearson").put("seed", 1));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        jobId = r.bodyAsJsonObject().getString("id");
        // the job's event stream ends when the job does
        HttpResponse<Buffer> events = ts.get("/api/v1/jobs/" + jobId + "/events");
        assertTrue(events.bodyAsString().contains("\"done\""), events.bodyAsString());
        List<String> net = Files.readAllLines(ts.workspace.resolve("jobs").resolve(jobId).resolve("out")
                .resolve("network.tsv"));
        tf = net.get(1).split("\t")[0];
    }

    @AfterAll
    void stop() {
        ts.close();
    }

    private JsonObject waitFor(String location) {
        HttpResponse<Buffer> r = ts.get(location + "?wait=60");
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    @Test
    void knockOutRunsAsAJobWithArrowsAndAGeneTable() {
        HttpResponse<Buffer> r = ts.post("/api/v1/jobs/" + jobId + "/perturb", new JsonObject().put("tf", tf)
                .put("mode", "ko"));
        assertEquals(202, r.statusCode(), r.bodyAsString());
        String location = r.getHeader("Location");
        assertTrue(location.startsWith("/api/v1/jobs/" + jobId + "/perturb/"), location);
        JsonObject run = waitFor(location);
        assertEquals("done", run.getString("status"), run.encodePrettily());
        assertEquals(new JsonArray().add(tf + "-ko"), run.getJsonArray("perturbations"));
        JsonObject res = run.getJsonObject("result");
        assertTrue(res.getJsonArray("arrows").size() > 10, "arrows");
        JsonArray first = res.getJsonArray("arrows").getJsonArray(0);
        assertEquals(5, first.size());
        JsonObject cells = res.getJsonObject("cells");
        assertEquals(res.getInteger("n_cells"), cells.getJsonArray("x").size());
        JsonObject tfRow = res.getJsonArray("genes").stream().map(o -> (JsonObject) o)
                .filter(g -> g.getString("gene").equals(tf)).findFirst().orElseThrow();
        assertEquals("perturbed", tfRow.getString("role"));
        assertTrue(tfRow.getDouble("mean_delta") < 0, "a knock-out lowers the TF");
        assertTrue(res.getJsonArray("genes").size() > 5);
        HttpResponse<Buffer> tsv = ts.get(location + "/genes.tsv");
        assertEquals(200, tsv.statusCode());
        assertTrue(tsv.getHeader("Content-Disposition").contains("genes.tsv"));
        assertTrue(tsv.bodyAsString().startsWith("gene\trole\tmean_x\tmean_delta"), tsv.bodyAsString());
    }

    @Test
    void badRequestsAreAnsweredAtOnceAndDataProblemsFailTheRun() {
        String base = "/api/v1/jobs/" + jobId + "/perturb";
        assertEquals(400, ts.post(base, new JsonObject()).statusCode());
        assertEquals(400, ts.post(base, new JsonObject().put("tf", tf).put("mode", "set")).statusCode());
        assertEquals(400, ts.post(base, new JsonObject().put("tf", tf).put("mode", "up")).statusCode());
        assertEquals(400, ts.post(base, new JsonObject().put("tf", tf).put("color", "red")).statusCode());
        assertEquals(404, ts.post("/api/v1/jobs/nope/perturb", new JsonObject().put("tf", tf)).statusCode());
        assertEquals(404, ts.get(base + "/nope").statusCode());

        HttpResponse<Buffer> r = ts.post(base, new JsonObject().put("tf", "NOT_A_TF"));
        assertEquals(202, r.statusCode(), r.bodyAsString());
        JsonObject run = waitFor(r.getHeader("Location"));
        assertEquals("failed", run.getString("status"));
        assertEquals(400, run.getInteger("error_status"));
        assertTrue(run.getString("error").contains("NOT_A_TF is not a regulator"), run.getString("error"));

        r = ts.post(base, new JsonObject().put("tf", tf).put("mode", "set").put("value", 1e6));
        run = waitFor(r.getHeader("Location"));
        assertEquals("failed", run.getString("status"));
        assertTrue(run.getString("error").contains("outside"), run.getString("error"));
        assertEquals(409, ts.get(r.getHeader("Location") + "/genes.tsv").statusCode());
    }
}
