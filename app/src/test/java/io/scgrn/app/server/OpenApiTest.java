package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The OpenAPI document served at /api/v1/openapi.yaml is a valid OpenAPI 3.1 contract (vertx-openapi), names
 * every route the router has (and no others), and the server's real responses validate against it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {
    @TempDir
    static Path tmp;

    TestServer ts;
    OpenAPIContract contract;
    JsonObject raw;
    ResponseValidator validator;

    /** Writes a fixed three-edge network instead of running a model: this test is about the API's shapes. */
    static final JobExecutor THREE_EDGES = (spec, input, out, progress) -> {
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("network.tsv"), "tf\ttarget\tscore\tsign\tstability\n"
                    + "SPI1\tAIF1\t0.9\t1\tNaN\nSPI1\tCST3\t0.8\t1\tNaN\nIRF8\tSPI1\t0.5\t-1\tNaN\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new JsonObject().put("model", "fixed").put("edges", 3);
    };

    @BeforeAll
    void start() {
        ts = new TestServer(tmp.resolve("ws"), ServerConfig.loopback(tmp.resolve("ws"), 0), THREE_EDGES);
        String yaml = ts.get("/api/v1/openapi.yaml").bodyAsString();
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        raw = new JsonObject(doc);
        contract = TestServer.await(OpenAPIContract.from(ts.clientVertx, onlySupportedMediaTypes(raw.copy())));
        validator = ResponseValidator.create(ts.clientVertx, contract);
    }

    /**
     * vertx-openapi 5.0 refuses contracts with media types it has no validator for (YAML, event streams, Arrow,
     * CSV …). The served document keeps the true types; the contract built here maps those to
     * application/octet-stream, so JSON bodies are validated in full and the others by status code.
     */
    static JsonObject onlySupportedMediaTypes(JsonObject node) {
        Set<String> ok = Set.of("application/json", "multipart/form-data", "application/octet-stream", "text/plain");
        for (String k : List.copyOf(node.fieldNames())) {
            Object v = node.getValue(k);
            if (k.equals("content") && v instanceof JsonObject c) {
                JsonObject fixed = new JsonObject();
                for (String type : c.fieldNames()) {
                    if (ok.contains(type)) {
                        fixed.put(type, c.getValue(type));
                    } else if (!fixed.containsKey("application/octet-stream")) {
                        fixed.put("application/octet-stream", new JsonObject().put("schema",
                                new JsonObject().put("type", "string").put("format", "binary")));
                    }
                }
                node.put(k, fixed);
            } else if (v instanceof JsonObject o) {
                onlySupportedMediaTypes(o);
            } else if (v instanceof JsonArray a) {
                a.forEach(x -> {
                    if (x instanceof JsonObject o) {
                        onlySupportedMediaTypes(o);
                    }
                });
            }
        }
        return node;
    }

    @AfterAll
    void stop() {
        ts.close();
    }

    @Test
    void documentNamesExactlyTheRouterRoutes() {
        Set<String> documented = new TreeSet<>();
        for (Operation op : contract.operations()) {
            documented.add(op.getHttpMethod().name() + " /api/v1" + op.getOpenAPIPath());
        }
        Set<String> served = new TreeSet<>(ts.server.apiRoutes());
        assertEquals(served, documented);
        assertTrue(served.size() >= 20, served.toString());
    }

    private void valid(HttpResponse<Buffer> r, String operationId) {
        String type = r.getHeader("Content-Type") == null ? "" : r.getHeader("Content-Type").split(";")[0].trim();
        if (!type.equals("application/json")) {
            // Not JSON: the document must list this status with this media type.
            assertTrue(contract.operation(operationId).getResponse(r.statusCode()) != null,
                    operationId + " does not document status " + r.statusCode());
            String path = contract.operation(operationId).getOpenAPIPath();
            JsonObject rawOp = raw.getJsonObject("paths").getJsonObject(path)
                    .getJsonObject(contract.operation(operationId).getHttpMethod().name().toLowerCase());
            JsonObject rawResp = rawOp.getJsonObject("responses").getJsonObject(Integer.toString(r.statusCode()));
            String ref = rawResp.getString("$ref");
            if (ref != null) {
                rawResp = raw.getJsonObject("components").getJsonObject("responses")
                        .getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
            }
            assertTrue(rawResp.getJsonObject("content").containsKey(type),
                    operationId + " does not document " + type + " for " + r.statusCode());
            return;
        }
        Map<String, String> headers = new HashMap<>();
        r.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
        String ct = r.getHeader("Content-Type");
        ValidatableResponse vr = ValidatableResponse.create(r.statusCode(), headers, r.body(),
                ct == null ? null : ct.split(";")[0].trim());
        try {
            TestServer.await(validator.validate(vr, operationId));
        } catch (IllegalStateException e) {
            fail(operationId + " " + r.statusCode() + " does not match the OpenAPI document: " + e.getCause()
                    + "\n" + r.bodyAsString());
        }
    }

    @Test
    void responsesMatchTheDocument() throws Exception {
        HttpResponse<Buffer> up = ts.upload(TestServer.fixture("pbmc_small.h5ad", tmp), "pbmc_small.h5ad");
        valid(up, "uploadDataset");
        String ds = up.bodyAsJsonObject().getString("id");
        valid(ts.get("/api/v1/datasets"), "listDatasets");
        valid(ts.get("/api/v1/datasets/" + ds), "getDataset");
        valid(ts.get("/api/v1/datasets/00000000-0000-0000-0000-000000000000"), "getDataset");
        valid(ts.get("/api/v1/datasets/" + ds + "/genes?q=CD"), "searchGenes");
        valid(ts.get("/api/v1/models"), "listModels");
        valid(ts.get("/api/v1/health"), "health");

        HttpResponse<Buffer> created = ts.post("/api/v1/jobs", new JsonObject().put("dataset", ds));
        valid(created, "createJob");
        valid(ts.post("/api/v1/jobs", new JsonObject().put("dataset", ds).put("bogus", 1)), "createJob");
        String job = created.bodyAsJsonObject().getString("id");
        // The job must have finished, or the checks below would validate 409s instead of real results.
        ts.awaitJobStatus(job, "done");
        valid(ts.get("/api/v1/jobs/" + job), "getJob");
        valid(ts.get("/api/v1/jobs"), "listJobs");
        // The validator does reject a body of the wrong shape (so the checks above mean something).
        HttpResponse<Buffer> jobBody = ts.get("/api/v1/jobs/" + job);
        Assertions.assertThrows(AssertionError.class, () -> valid(jobBody, "listDatasets"));
        valid(ts.get("/api/v1/jobs/" + job + "/network?top=2"), "getNetwork");
        valid(ts.get("/api/v1/jobs/" + job + "/network?top=x"), "getNetwork");
        valid(ts.get("/api/v1/jobs/" + job + "/network/neighbourhood?gene=SPI1"), "getNeighbourhood");
        valid(ts.get("/api/v1/jobs/" + job + "/network/regulons"), "getRegulons");
        valid(ts.get("/api/v1/jobs/" + job + "/network/groups"), "getGroups");
        valid(ts.get("/api/v1/jobs/" + job + "/network/diff?a=all&b=all"), "getNetworkDiff");
        valid(ts.post("/api/v1/jobs/" + job + "/cancel", new JsonObject()), "cancelJob");
        List.of("embedding", "obs/louvain").forEach(p ->
                valid(ts.get("/api/v1/datasets/" + ds + "/" + p), p.startsWith("obs") ? "getObsColumn"
                        : "getEmbedding"));
        valid(ts.get("/api/v1/jobs/" + job + "/export?format=csv"), "exportNetwork");
    }

}
