package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.MuData;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API end to end on a real server (port 0) with the real pipeline and the pearson model: upload a real file,
 * run a job to completion watching its server-sent events, query the network, export every format (the h5ad read
 * back by Python's anndata), and fetch the per-cell Arrow streams.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerApiTest {
    @TempDir
    static Path tmp;

    TestServer ts;
    String datasetId;
    String jobId;

    @BeforeAll
    void start() {
        ts = TestServer.start(tmp.resolve("ws"));
    }

    @AfterAll
    void stop() {
        ts.close();
    }

    @Test
    @Order(1)
    void uploadListAndSummarise() {
        Path file = TestServer.fixture("pbmc_small.h5ad", tmp);
        HttpResponse<Buffer> r = ts.upload(file, "pbmc_small.h5ad");
        assertEquals(201, r.statusCode(), r.bodyAsString());
        JsonObject meta = r.bodyAsJsonObject();
        datasetId = meta.getString("id");
        assertTrue(Ids.valid(datasetId), datasetId);
        assertEquals("pbmc_small.h5ad", meta.getString("name"));

        JsonArray list = ts.get("/api/v1/datasets").bodyAsJsonObject().getJsonArray("datasets");
        assertEquals(1, list.size());
        assertEquals(datasetId, list.getJsonObject(0).getString("id"));

        JsonObject s = ts.get("/api/v1/datasets/" + datasetId).bodyAsJsonObject();
        assertEquals(200, s.getInteger("n_obs"));
        assertEquals(120, s.getInteger("n_vars"));
        assertFalse(s.containsKey("file"), "server file names stay private");
        JsonObject louvain = s.getJsonArray("obs_columns").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("name").equals("louvain")).findFirst().orElseThrow();
        assertEquals("categorical", louvain.getString("type"));
        JsonObject rna = s.getJsonObject("modalities").getJsonObject(s.getString("primary_modality"));
        assertTrue(rna.getJsonArray("obsm").contains("X_umap"));
        // The stored file lives under the server-generated id, never under the client's name.
        assertTrue(Files.isDirectory(ts.workspace.resolve("datasets").resolve(datasetId)));
    }

    /**
     * The upload summary is built from metadata only; it must still say what a full read of the file says
     * (shapes, X encoding/dtype/nnz, obsm, layers, raw, obs columns) for .h5ad, .h5mu and 10x files.
     */
    @Test
    void metadataSummaryMatchesFullRead() throws Exception {
        for (String res : List.of("/server/pbmc_small.h5ad", "/cli/mudata_v0.1.2.h5mu", "/cli/10x_v3.h5")) {
            Path file = tmp.resolve("meta-" + res.substring(res.lastIndexOf('/') + 1));
            try (var in = ServerApiTest.class.getResourceAsStream(res)) {
                assertNotNull(in, res);
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            MuData md = AnnDataFiles.readAny(file);
            JsonObject s = Datasets.summarize(file);
            assertEquals(md.kind(), s.getString("kind"), res);
            assertEquals(md.nObs(), s.getInteger("n_obs"), res);
            assertEquals(md.nVars(), s.getInteger("n_vars"), res);
            JsonObject mods = s.getJsonObject("modalities");
            assertEquals(List.copyOf(md.mod().keySet()), List.copyOf(mods.fieldNames()), res);
            for (var e : md.mod().entrySet()) {
                AnnData a = e.getValue();
                JsonObject m = mods.getJsonObject(e.getKey());
                String where = res + " " + e.getKey();
                assertEquals(a.nObs(), m.getInteger("n_obs"), where);
                assertEquals(a.nVars(), m.getInteger("n_vars"), where);
                assertEquals(a.x().encoding(), m.getJsonObject("x").getString("encoding"), where);
                assertEquals(a.x().dtype().numpyName(), m.getJsonObject("x").getString("dtype"), where);
                assertEquals(a.x().nnz(), m.getJsonObject("x").getLong("nnz"), where);
                assertEquals(List.copyOf(a.obsm().keySet()), m.getJsonArray("obsm").getList(), where);
                assertEquals(List.copyOf(a.layers().keySet()), m.getJsonArray("layers").getList(), where);
                assertEquals(a.raw() != null, m.getBoolean("has_raw"), where);
                assertEquals(a.obs().columns().stream().map(Column::name).toList(),
                        m.getJsonArray("obs_columns").stream().map(o -> ((JsonObject) o).getString("name"))
                                .toList(), where);
            }
            // Global obs columns, then the primary modality's columns the global table lacks.
            List<String> expected = new ArrayList<>(md.obs().columns().stream()
                    .map(Column::name).toList());
            Datasets.primaryModality(md).ifPresent(p -> md.mod().get(p).obs().columns().stream()
                    .map(Column::name).filter(n -> !expected.contains(n)).forEach(expected::add));
            assertEquals(expected, s.getJsonArray("obs_columns").stream()
                    .map(o -> ((JsonObject) o).getString("name")).toList(), res);
            assertEquals(Datasets.primaryModality(md).orElse(null), s.getString("primary_modality"), res);
        }
    }

    @Test
    @Order(2)
    void jobRunsToCompletionWithServerSentEvents(Vertx vertx, VertxTestContext tc) throws Throwable {
        for (Object badFdr : List.of(0, 1.5, "0.1")) {
            HttpResponse<Buffer> bad = ts.post("/api/v1/jobs", new JsonObject().put("dataset", datasetId)
                    .put("model", "pearson").put("fdr", badFdr));
            assertEquals(400, bad.statusCode(), bad.bodyAsString());
            assertTrue(bad.bodyAsString().contains("fdr"), bad.bodyAsString());
        }
        HttpResponse<Buffer> r = ts.post("/api/v1/jobs", new JsonObject().put("dataset", datasetId)
                .put("model", "pearson").put("seed", 1));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        jobId = r.bodyAsJsonObject().getString("id");
        assertTrue(List.of("queued", "running").contains(r.bodyAsJsonObject().getString("status")));

        List<JsonObject> events = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        HttpClient http = vertx.createHttpClient();
        http.request(HttpMethod.GET, ts.port(), "127.0.0.1", "/api/v1/jobs/" + jobId + "/events")
                .compose(req -> req.send())
                .onComplete(tc.succeeding(resp -> {
                    tc.verify(() -> {
                        assertEquals(200, resp.statusCode());
                        assertTrue(resp.getHeader("Content-Type").startsWith("text/event-stream"));
                    });
                    resp.handler(chunk -> {
                        pending.append(chunk.toString(StandardCharsets.UTF_8));
                        int end;
                        while ((end = pending.indexOf("\n\n")) >= 0) {
                            String ev = pending.substring(0, end);
                            pending.delete(0, end + 2);
                            for (String line : ev.split("\n")) {
                                if (line.startsWith("data: ")) {
                                    events.add(new JsonObject(line.substring(6)));
                                }
                            }
                        }
                    });
                    resp.endHandler(v -> tc.verify(() -> {
                        assertFalse(events.isEmpty());
                        JsonObject last = events.get(events.size() - 1);
                        assertEquals("done", last.getString("status"), last.encodePrettily());
                        assertTrue(last.getJsonObject("result").getInteger("edges") > 0);
                        tc.completeNow();
                    }));
                }));
        assertTrue(tc.awaitCompletion(120, TimeUnit.SECONDS), "job did not finish in time");
        if (tc.failed()) {
            throw tc.causeOfFailure();
        }
        JsonObject job = ts.get("/api/v1/jobs/" + jobId).bodyAsJsonObject();
        assertEquals("done", job.getString("status"));
        assertNotNull(job.getString("finished"));
        String log = ts.get("/api/v1/jobs/" + jobId + "/logs").bodyAsString();
        assertTrue(log.contains("running") && log.contains("done"), log);
        JsonArray jobs = ts.get("/api/v1/jobs?dataset=" + datasetId).bodyAsJsonObject().getJsonArray("jobs");
        assertEquals(1, jobs.size());
    }

    @Test
    @Order(3)
    void networkQueries() {
        String base = "/api/v1/jobs/" + jobId + "/network";
        JsonObject top = ts.get(base + "?top=10").bodyAsJsonObject();
        JsonArray edges = top.getJsonArray("edges");
        assertEquals(10, edges.size());
        int total = top.getInteger("n_edges");
        assertTrue(total >= 10);
        for (int i = 1; i < edges.size(); i++) {
            assertTrue(edges.getJsonObject(i - 1).getDouble("score") >= edges.getJsonObject(i).getDouble("score"));
        }
        JsonObject best = edges.getJsonObject(0);
        // q-values: every edge carries q (null only when no null could be built), with counts at 5 % / 10 %.
        assertTrue(top.containsKey("n_fdr_05") && top.containsKey("n_fdr_10") && best.containsKey("q"),
                top.encodePrettily());
        if (top.getValue("n_fdr_05") != null) {
            assertTrue(best.getDouble("q") > 0 && best.getDouble("q") <= 1, best.encode());
            assertTrue(top.getInteger("n_fdr_05") <= top.getInteger("n_fdr_10"));
        }
        String tf = best.getString("tf");

        JsonObject byTf = ts.get(base + "?top=1000&tf=" + tf).bodyAsJsonObject();
        assertTrue(byTf.getInteger("total") > 0);
        byTf.getJsonArray("edges").forEach(e -> assertEquals(tf, ((JsonObject) e).getString("tf")));

        double min = edges.getJsonObject(4).getDouble("score");
        JsonObject above = ts.get(base + "?top=100000&min_score=" + min).bodyAsJsonObject();
        above.getJsonArray("edges").forEach(e -> assertTrue(((JsonObject) e).getDouble("score") >= min));
        assertTrue(above.getInteger("total") >= 5);

        JsonObject nb = ts.get(base + "/neighbourhood?gene=" + tf + "&depth=2&limit=50").bodyAsJsonObject();
        assertTrue(nb.getJsonArray("edges").size() > 0 && nb.getJsonArray("edges").size() <= 50);
        assertTrue(nb.getJsonArray("nodes").stream().anyMatch(n -> ((JsonObject) n).getString("id").equals(tf)));

        JsonObject reg = ts.get(base + "/regulons?targets=5").bodyAsJsonObject();
        JsonObject first = reg.getJsonArray("regulons").getJsonObject(0);
        assertEquals(tf, first.getString("tf"), "regulators are ordered by their best edge");
        assertTrue(first.getJsonArray("targets").size() <= 5);

        assertEquals(List.of("all"), ts.get(base + "/groups").bodyAsJsonObject().getJsonArray("groups").getList());
        JsonObject diff = ts.get(base + "/diff?a=all&b=all&top=20").bodyAsJsonObject();
        assertEquals(20, diff.getInteger("shared"));
        assertTrue(diff.getJsonArray("only_a").isEmpty());
    }

    @Test
    @Order(4)
    void exportsInEveryFormat() throws Exception {
        String base = "/api/v1/jobs/" + jobId + "/export?format=";
        int nEdges = ts.get("/api/v1/jobs/" + jobId + "/network?top=0").bodyAsJsonObject().getInteger("n_edges");

        HttpResponse<Buffer> tsv = ts.get(base + "tsv");
        assertEquals(200, tsv.statusCode());
        assertTrue(tsv.getHeader("Content-Disposition").contains("attachment"));
        String[] lines = tsv.bodyAsString().split("\n");
        assertEquals("tf\ttarget\tscore\tsign\tstability\tq", lines[0]);
        assertEquals(nEdges + 1, lines.length);

        String[] csv = ts.get(base + "csv").bodyAsString().split("\n");
        assertEquals("tf,target,score,sign,stability,q", csv[0]);
        assertEquals(nEdges + 1, csv.length);

        HttpResponse<Buffer> gml = ts.get(base + "graphml");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(gml.body().getBytes()));
        assertEquals(nEdges, doc.getElementsByTagName("edge").getLength());

        JsonObject cy = ts.get(base + "cytoscape").bodyAsJsonObject();
        assertEquals(nEdges, cy.getJsonObject("elements").getJsonArray("edges").size());

        HttpResponse<Buffer> h5 = ts.get(base + "h5ad");
        assertEquals(200, h5.statusCode(), h5.bodyAsString());
        Path file = tmp.resolve("export.h5ad");
        Files.write(file, h5.body().getBytes());
        String out = PythonCheck.run("import anndata, json, sys\n"
                + "a = anndata.read_h5ad(sys.argv[1])\n"
                + "g = a.uns['grn']\n"
                + "print(json.dumps({'n_obs': a.n_obs, 'edges': len(g), 'cols': list(g.columns),"
                + " 'first_tf': str(g['tf'].iloc[0]), 'umap': 'X_umap' in a.obsm}))\n", file.toString());
        JsonObject py = new JsonObject(out.strip());
        assertEquals(200, py.getInteger("n_obs"));
        assertEquals(nEdges, py.getInteger("edges"));
        assertTrue(py.getJsonArray("cols").getList().containsAll(List.of("tf", "target", "score", "sign")));
        String bestTf = ts.get("/api/v1/jobs/" + jobId + "/network?top=1").bodyAsJsonObject().getJsonArray("edges")
                .getJsonObject(0).getString("tf");
        assertEquals(bestTf, py.getString("first_tf"));
        assertTrue(py.getBoolean("umap"));
    }

    @Test
    @Order(5)
    void perCellArrowStreams() {
        HttpResponse<Buffer> emb = ts.get("/api/v1/datasets/" + datasetId + "/embedding");
        assertEquals(ArrowIpc.MEDIA_TYPE, emb.getHeader("Content-Type"));
        TestServer.ArrowTable t = TestServer.readArrow(emb.body());
        assertEquals(200, t.rows());
        assertEquals("X_umap", t.meta().get("basis"));
        float[] x = (float[]) t.columns().get("x");
        assertEquals(200, x.length);

        TestServer.ArrowTable obs = TestServer.readArrow(ts.get("/api/v1/datasets/" + datasetId + "/obs/louvain")
                .body());
        assertEquals("categorical", obs.meta().get("kind"));
        JsonArray cats = new JsonArray(obs.meta().get("categories"));
        int[] codes = (int[]) obs.columns().get("code");
        assertEquals(200, codes.length);
        for (int c : codes) {
            assertTrue(c >= -1 && c < cats.size());
        }
        TestServer.ArrowTable num = TestServer.readArrow(ts.get("/api/v1/datasets/" + datasetId
                + "/obs/n_counts").body());
        assertEquals("numeric", num.meta().get("kind"));

        JsonObject best = ts.get("/api/v1/jobs/" + jobId + "/network?top=1").bodyAsJsonObject()
                .getJsonArray("edges").getJsonObject(0);
        TestServer.ArrowTable expr = TestServer.readArrow(ts.get("/api/v1/datasets/" + datasetId + "/expression/"
                + best.getString("target")).body());
        float[] v = (float[]) expr.columns().get("value");
        assertEquals(200, v.length);
        double sum = 0;
        for (float f : v) {
            sum += f;
        }
        assertTrue(sum > 0, "a gene in the network is expressed");

        TestServer.ArrowTable act = TestServer.readArrow(ts.get("/api/v1/jobs/" + jobId + "/activity/"
                + best.getString("tf")).body());
        float[] a = (float[]) act.columns().get("value");
        assertEquals(200, a.length);
        for (float f : a) {
            assertTrue(Float.isFinite(f));
        }
    }

    @Test
    @Order(5)
    void aboveMaxCellsEveryPerCellAnswerCarriesTheSameSample() {
        String ds = "/api/v1/datasets/" + datasetId;
        JsonObject best = ts.get("/api/v1/jobs/" + jobId + "/network?top=1").bodyAsJsonObject()
                .getJsonArray("edges").getJsonObject(0);
        int[] cells = CellHandlers.cellSample(200, 50);
        assertEquals(50, cells.length);
        for (String path : List.of(ds + "/embedding", ds + "/obs/louvain", ds + "/obs/n_counts",
                ds + "/expression/" + best.getString("target"), "/api/v1/jobs/" + jobId + "/activity/"
                        + best.getString("tf"))) {
            TestServer.ArrowTable all = TestServer.readArrow(ts.get(path).body());
            TestServer.ArrowTable some = TestServer.readArrow(ts.get(path + "?max_cells=50").body());
            assertEquals(200, all.rows(), path);
            assertNull(all.meta().get("cells_total"), path);
            assertEquals(50, some.rows(), path);
            assertEquals("200", some.meta().get("cells_total"), path);
            for (String col : all.columns().keySet()) {
                Object a = all.columns().get(col);
                Object b = some.columns().get(col);
                for (int i = 0; i < cells.length; i++) {
                    if (a instanceof float[] fa) {
                        assertEquals(fa[cells[i]], ((float[]) b)[i], 0f, path + " " + col);
                    } else {
                        assertEquals(((int[]) a)[cells[i]], ((int[]) b)[i], path + " " + col);
                    }
                }
            }
            // max_cells=0 is every cell; at or above the cell count too.
            assertEquals(200, TestServer.readArrow(ts.get(path + "?max_cells=0").body()).rows(), path);
            assertEquals(200, TestServer.readArrow(ts.get(path + "?max_cells=200").body()).rows(), path);
        }
        assertEquals(400, ts.get(ds + "/embedding?max_cells=-1").statusCode());
        assertEquals(400, ts.get(ds + "/expression/" + best.getString("target") + "?max_cells=x").statusCode());
    }

    @Test
    @Order(6)
    void computedEmbeddingWithoutObsm() {
        Path file = TestServer.fixture("pbmc_noemb.h5ad", tmp);
        String id = ts.upload(file, "noemb.h5ad").bodyAsJsonObject().getString("id");
        TestServer.ArrowTable t = TestServer.readArrow(ts.get("/api/v1/datasets/" + id + "/embedding").body());
        assertEquals("pca (computed)", t.meta().get("basis"));
        float[] x = (float[]) t.columns().get("x");
        float[] y = (float[]) t.columns().get("y");
        double vx = 0;
        double vy = 0;
        for (int i = 0; i < x.length; i++) {
            vx += x[i] * x[i];
            vy += y[i] * y[i];
        }
        assertTrue(vx > 0 && vy > 0 && vx >= vy * 0.999, "PC1 carries at least PC2's variance");
        assertEquals(200, ts.await(ts.client.delete("/api/v1/datasets/" + id).send()).statusCode());
        assertEquals(404, ts.get("/api/v1/datasets/" + id).statusCode());
    }
}
