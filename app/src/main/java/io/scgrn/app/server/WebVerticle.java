package io.scgrn.app.server;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the router (API under /api/v1, the web UI at /, WebJars at /webjars) and listens. A listen failure (port
 * in use, address not available) fails the start future with a {@link ServerStartException}.
 */
public final class WebVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);
    /** Class-path location of the OpenAPI document served at /api/v1/openapi.yaml. */
    public static final String OPENAPI = "openapi/openapi.yaml";
    /** Largest JSON request body (job submissions). */
    private static final long JSON_LIMIT = 64 * 1024;

    private final ServerContext sc;
    private HttpServer server;
    private Router router;

    public WebVerticle(ServerContext sc) {
        this.sc = sc;
    }

    /** The port actually bound (useful with port 0). */
    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }

    @Override
    public Future<?> start() {
        router = router();
        ServerConfig cfg = sc.config();
        // Silent connections are closed (event streams send a keep-alive every 15 s), so idle sockets cannot
        // exhaust file descriptors; the request line and headers are bounded too.
        server = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true)
                .setIdleTimeout(cfg.limits().idleTimeoutS()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(8192).setMaxHeaderSize(16 * 1024));
        return server.requestHandler(router).listen(cfg.port(), cfg.host())
                .recover(t -> Future.failedFuture(new ServerStartException(cfg.host(), cfg.port(), t)))
                .onSuccess(s -> LOG.info("listening on http://{}:{}/", cfg.host(), s.actualPort()));
    }

    /** The API routes as "METHOD /api/v1/path/{param}" (for checking them against the OpenAPI document). */
    public List<String> apiRoutes() {
        List<String> out = new ArrayList<>();
        for (Route r : router.getRoutes()) {
            String path = r.getPath();
            if (path == null || !path.startsWith("/api/v1/") || r.methods() == null) {
                continue;
            }
            for (HttpMethod m : r.methods()) {
                out.add(m.name() + " " + path.replaceAll(":([A-Za-z_]+)", "{$1}"));
            }
        }
        return out;
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    Router router() {
        Router router = Router.router(vertx);
        router.route().handler(Errors::assignRequestId);
        RequestGuard guard = new RequestGuard(sc.config());
        router.route().handler(RequestGuard::securityHeaders);
        router.route().handler(guard::host);
        router.route("/api/*").handler(guard::origin);
        if (sc.config().corsOrigin() != null) {
            router.route().handler(CorsHandler.create().addOrigin(sc.config().corsOrigin())
                    .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE, HttpMethod.OPTIONS))
                    .allowedHeaders(Set.of("Authorization", "Content-Type"))
                    .exposedHeaders(Set.of("X-Request-Id", "Content-Disposition")));
        }
        if (sc.config().token() != null) {
            router.route("/api/*").handler(new TokenAuth(sc.config().token()));
        }
        router.route("/api/*").handler(this::requestTimeout);
        // Every POST of the API but the upload takes JSON or nothing: a declared body of another type (what an HTML
        // form or a "simple" cross-site fetch sends) is refused, whatever route is added later.
        router.post("/api/*").handler(RequestGuard::jsonOrNoBody);
        DatasetHandlers ds = new DatasetHandlers(sc);
        CellHandlers cells = new CellHandlers(sc);
        JobHandlers jobs = new JobHandlers(sc);
        NetworkHandlers net = new NetworkHandlers(sc);
        String api = "/api/v1";

        router.get(api + "/openapi.yaml").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi()));
        router.get(api + "/health").handler(ctx -> Http.json(ctx, new JsonObject()
                .put("status", "ok").put("jobs_running", sc.jobs().running()).put("jobs_queued", sc.jobs().queued())));

        // Uploads stream to the workspace's uploads folder; the size limit answers 413 without reading on.
        // (Vert.x wants a body handler first on its route: the checks that must come before it get their own.)
        router.post(api + "/datasets").handler(RequestGuard::multipartBody);
        router.post(api + "/datasets").handler(BodyHandler.create(true)
                .setUploadsDirectory(sc.workspace().uploadsDir().toString())
                .setBodyLimit(sc.config().maxUploadBytes()).setDeleteUploadedFilesOnEnd(true)
                .setMergeFormAttributes(false)).handler(ds::upload);
        router.get(api + "/datasets").handler(ds::list);
        router.get(api + "/datasets/:id").handler(ds::get);
        router.delete(api + "/datasets/:id").handler(ds::delete);
        router.get(api + "/datasets/:id/genes").handler(ds::genes);
        router.get(api + "/datasets/:id/embedding").handler(cells::embedding);
        router.get(api + "/datasets/:id/obs/:column").handler(cells::obs);
        router.get(api + "/datasets/:id/expression/:gene").handler(cells::expression);

        router.get(api + "/models").handler(jobs::models);
        router.post(api + "/jobs").handler(RequestGuard::jsonBody);
        router.post(api + "/jobs").handler(BodyHandler.create(false).setBodyLimit(JSON_LIMIT)).handler(jobs::create);
        router.get(api + "/jobs").handler(jobs::list);
        router.get(api + "/jobs/:id").handler(jobs::get);
        router.get(api + "/jobs/:id/events").handler(jobs::events);
        router.post(api + "/jobs/:id/cancel").handler(jobs::cancel);
        router.get(api + "/jobs/:id/logs").handler(jobs::logs);
        router.get(api + "/jobs/:id/network").handler(net::network);
        router.get(api + "/jobs/:id/network/neighbourhood").handler(net::neighbourhood);
        router.get(api + "/jobs/:id/network/regulons").handler(net::regulons);
        router.get(api + "/jobs/:id/network/groups").handler(net::groups);
        router.get(api + "/jobs/:id/network/diff").handler(net::diff);
        router.get(api + "/jobs/:id/export").handler(net::export);
        router.get(api + "/jobs/:id/activity/:tf").handler(cells::activity);
        router.get(api + "/jobs/:id/atac/genes/:gene").handler(new AtacHandlers(sc)::gene);
        PerturbHandlers perturb = new PerturbHandlers(sc);
        router.post(api + "/jobs/:id/perturb").handler(BodyHandler.create(false).setBodyLimit(JSON_LIMIT))
                .handler(perturb::create);
        router.get(api + "/jobs/:id/perturb/:run").handler(perturb::get);
        router.get(api + "/jobs/:id/perturb/:run/genes.tsv").handler(perturb::genesTsv);
        router.route("/api/*").handler(ctx -> Errors.send(ctx, 404, "no such API route: "
                + ctx.request().method() + " " + ctx.request().path()));

        router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html"));

        router.route().failureHandler(Errors::failureHandler);
        router.errorHandler(404, ctx -> Errors.send(ctx, 404, "not found: " + ctx.request().path()));
        router.errorHandler(405, ctx -> Errors.send(ctx, 405, "method " + ctx.request().method()
                + " not allowed on " + ctx.request().path()));
        router.errorHandler(413, ctx -> Errors.send(ctx, 413, Errors.reason(413)));
        return router;
    }

    /**
     * Answers 503 when a plain API request has not been answered within the request timeout. Streams (events),
     * uploads, downloads and logs are exempt: their length follows the data, and the idle timeout covers them.
     */
    private void requestTimeout(RoutingContext ctx) {
        String p = ctx.request().path();
        if (p.endsWith("/events") || p.endsWith("/export") || p.endsWith("/logs")
                || (p.endsWith("/datasets") && ctx.request().method() == HttpMethod.POST)) {
            ctx.next();
            return;
        }
        long ms = sc.config().limits().requestTimeoutMs();
        long timer = vertx.setTimer(ms, t -> Errors.send(ctx, 503, "request took longer than " + ms
                + " ms and was abandoned; ask for less (top, limit, depth) or try again"));
        ctx.addEndHandler(v -> vertx.cancelTimer(timer));
        ctx.next();
    }

    private static Buffer openApiCache;

    private static synchronized Buffer openApi() {
        if (openApiCache == null) {
            try (InputStream in = WebVerticle.class.getClassLoader().getResourceAsStream(OPENAPI)) {
                if (in == null) {
                    throw new IllegalStateException(OPENAPI + " missing from the class path");
                }
                openApiCache = Buffer.buffer(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return openApiCache;
    }

    /** Why the server could not listen, in one line. */
    public static final class ServerStartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ServerStartException(String host, int port, Throwable cause) {
            super("cannot listen on " + host + ":" + port + ": " + describe(cause), cause);
        }

        private static String describe(Throwable t) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return "address already in use (is another server running? choose another --port)";
            }
            return String.valueOf(t.getMessage());
        }
    }
}
