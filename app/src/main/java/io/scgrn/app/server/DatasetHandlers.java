package io.scgrn.app.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/datasets}: upload (multipart field {@code file}, streamed to disk by the BodyHandler, validated on
 * a worker), list, summary, delete, gene search.
 */
final class DatasetHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetHandlers.class);
    private final ServerContext sc;

    DatasetHandlers(ServerContext sc) {
        this.sc = sc;
    }

    void upload(RoutingContext ctx) {
        List<FileUpload> uploads = ctx.fileUploads();
        FileUpload file = uploads.stream().filter(u -> "file".equals(u.name())).findFirst().orElse(null);
        if (file == null) {
            throw ApiException.badRequest("expected a multipart/form-data body with a field named 'file'");
        }
        Path tmp = Path.of(file.uploadedFileName());
        String name = file.fileName();
        LOG.info("request {}: upload of {} ({} bytes) complete, validating", Errors.requestId(ctx), name,
                file.size());
        Http.blocking(ctx, () -> {
            try {
                return sc.datasets().importUpload(tmp, name);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }).onSuccess(meta -> Http.json(ctx, 201, meta));
    }

    void list(RoutingContext ctx) {
        Http.blocking(ctx, () -> {
            JsonArray out = new JsonArray();
            for (JsonObject m : sc.workspace().datasets()) {
                out.add(brief(m));
            }
            return new JsonObject().put("datasets", out);
        }).onSuccess(body -> Http.json(ctx, body));
    }

    /** The list form of a meta.json: no per-modality details. */
    static JsonObject brief(JsonObject m) {
        return new JsonObject().put("id", m.getString("id")).put("name", m.getString("name"))
                .put("kind", m.getString("kind")).put("n_obs", m.getValue("n_obs"))
                .put("n_vars", m.getValue("n_vars")).put("size", m.getValue("size"))
                .put("created", m.getString("created")).put("demo", m.getBoolean("demo", false));
    }

    void get(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        Http.blocking(ctx, () -> sc.workspace().datasetMeta(id)
                        .orElseThrow(() -> ApiException.notFound("dataset", id)))
                .onSuccess(m -> {
                    JsonObject body = m.copy();
                    body.remove("file");
                    Http.json(ctx, body);
                });
    }

    void delete(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        Http.blocking(ctx, () -> {
            if (!Ids.valid(id) || !sc.jobs().deleteDatasetIfIdle(id, () -> sc.workspace().deleteDataset(id))) {
                throw ApiException.notFound("dataset", id);
            }
            sc.datasets().evict(id);
            return new JsonObject().put("id", id).put("deleted", true);
        }).onSuccess(body -> Http.json(ctx, body));
    }

    void genes(RoutingContext ctx) {
        String id = Http.path(ctx, "id");
        String q = ctx.request().getParam("q", "");
        int limit = Http.intParam(ctx, "limit", 20, 1, 1000);
        Http.blocking(ctx, () -> {
            return sc.datasets().usePrimary(id, a -> new JsonObject()
                    .put("genes", new JsonArray(CellData.searchGenes(a, q, limit))).put("n_vars", a.nVars()));
        }).onSuccess(body -> Http.json(ctx, body));
    }
}
