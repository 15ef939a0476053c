package io.scgrn.app.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A running server with its own Vert.x instance: what {@code scgrn serve} starts and stops. Tests that already have
 * a Vert.x deploy {@link MainVerticle} directly.
 */
public final class ScgrnServer implements AutoCloseable {
    private final Vertx vertx;
    private final MainVerticle main;

    private ScgrnServer(Vertx vertx, MainVerticle main) {
        this.vertx = vertx;
        this.main = main;
    }

    /**
     * Starts a server and waits until it listens.
     *
     * @throws WebVerticle.ServerStartException when it cannot listen (port in use …)
     * @throws RuntimeException                 when the workspace cannot be opened
     */
    public static ScgrnServer start(ServerConfig config, JobExecutor executor) {
        // Vert.x copies class-path files it serves into a cache folder; keep it inside the workspace, not in the
        // user's working directory.
        Workspace.removeFileCaches(config.workspace().resolve("cache"));
        // Native epoll where available (Linux x86-64; elsewhere Vert.x falls back to NIO): the NIO selector's wake-up
        // takes a monitor that the event loop must also take, and a worker descheduled while holding it stalled
        // the event loop for tens of milliseconds on a loaded machine (JFR, docs/benchmarks.md).
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)
                .setFileSystemOptions(new FileSystemOptions()
                        .setFileCacheDir(config.workspace().resolve("cache").toString())));
        MainVerticle main = new MainVerticle(config, executor);
        try {
            vertx.deployVerticle(main).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            Throwable cause = e instanceof ExecutionException || e instanceof CompletionException
                    ? e.getCause() : e;
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("server did not start: " + cause, cause);
        }
        return new ScgrnServer(vertx, main);
    }

    public int port() {
        return main.port();
    }

    /** The API routes the router serves, as "METHOD /api/v1/path/{param}". */
    public List<String> apiRoutes() {
        return main.web().apiRoutes();
    }

    public ServerContext context() {
        return main.context();
    }

    /** With {@code --demo}: completes with the demo job's id once it is loaded; null without a demo. */
    public Future<String> demoJob() {
        return main.demoJob();
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Stops the server: running jobs end as interrupted, then Vert.x closes. */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Shutting down anyway.
        }
    }
}
