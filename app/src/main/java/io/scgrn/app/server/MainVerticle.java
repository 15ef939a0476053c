package io.scgrn.app.server;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's root verticle: opens the workspace (marking jobs of a previous run interrupted), creates the shared
 * services and deploys the {@link WebVerticle}; with {@code --demo}, loads the bundled example once listening.
 */
public final class MainVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

    private final ServerConfig config;
    private final JobExecutor executor;
    private ServerContext context;
    private WebVerticle web;

    public MainVerticle(ServerConfig config, JobExecutor executor) {
        this.config = config;
        this.executor = executor;
    }

    /** The shared services (after a successful start). */
    public ServerContext context() {
        return context;
    }

    /** The web verticle (after a successful start). */
    public WebVerticle web() {
        return web;
    }

    /** The bound port (after a successful start). */
    public int port() {
        return web == null ? -1 : web.actualPort();
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            Workspace ws = Workspace.open(config.workspace());
            ws.recoverInterruptedJobs();
            BufferAllocator allocator = new RootAllocator();
            JobManager jobs = new JobManager(vertx, ws, executor, config.jobWorkers(), config.jobQueue(),
                    config.jobDelayMs());
            context = new ServerContext(config, ws, new Datasets(ws, 2), jobs, new Networks(ws, 8), allocator);
            return context;
        }).compose(ctx -> {
            web = new WebVerticle(ctx);
            return vertx.deployVerticle(web);
        }).compose(id -> {
            if (config.demo()) {
                // Not awaited: the UI is usable at once and shows the demo job's progress.
                vertx.executeBlocking(() -> Demo.load(context), false)
                        .onFailure(t -> LOG.warn("demo not loaded: {}", t.getMessage()));
            }
            return Future.succeededFuture();
        }).onFailure(t -> closeServices());
    }

    @Override
    public Future<?> stop() {
        return vertx.executeBlocking(() -> {
            closeServices();
            return null;
        });
    }

    private void closeServices() {
        if (context != null) {
            context.jobs().close(5_000);
            try {
                context.allocator().close();
            } catch (RuntimeException e) {
                // Arrow refuses to close with buffers outstanding; report rather than crash the shutdown.
                LOG.warn("Arrow allocator: {}", e.getMessage());
            }
        }
    }
}
