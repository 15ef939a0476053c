package io.scgrn.app.server;

import io.scgrn.anndata.AnnDataFiles;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /** Web verticle instances (event loops answering requests). */
    static final int WEB_INSTANCES = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final ServerConfig config;
    private final JobExecutor executor;
    private ServerContext context;
    private volatile Future<String> demoJob = Future.succeededFuture(null);
    private final List<WebVerticle> webs = new CopyOnWriteArrayList<>();

    public MainVerticle(ServerConfig config, JobExecutor executor) {
        this.config = config;
        this.executor = executor;
    }

    /** The shared services (after a successful start). */
    public ServerContext context() {
        return context;
    }

    /** With {@code --demo}: completes with the demo job's id once the demo is loaded (reused or submitted). */
    public Future<String> demoJob() {
        return demoJob;
    }

    /** The web verticle (after a successful start). */
    public WebVerticle web() {
        return webs.isEmpty() ? null : webs.get(0);
    }

    /** The bound port (after a successful start). */
    public int port() {
        return webs.isEmpty() ? -1 : webs.get(0).actualPort();
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            Workspace ws = Workspace.open(config.workspace());
            ws.recoverInterruptedJobs();
            BufferAllocator allocator = new RootAllocator();
            // One budget for decoded arrays, shared by the per-cell endpoints and running jobs.
            MemoryBudget budget = new MemoryBudget(config.limits().decodeBudget());
            JobManager jobs = new JobManager(vertx, ws, executor, config.jobWorkers(), config.jobQueue(), budget);
            context = new ServerContext(config, ws, new Datasets(ws, 2, budget, AnnDataFiles::readAny), jobs,
                    new Networks(ws, 8, config.limits().responseCacheBytes()), allocator);
            return context;
        }).compose(ctx -> {
            // One web verticle per core: each has its own event loop, all share the port and the services.
            return vertx.deployVerticle(() -> {
                WebVerticle w = new WebVerticle(ctx);
                webs.add(w);
                return w;
            }, new DeploymentOptions().setInstances(WEB_INSTANCES));
        }).compose(id -> {
            if (config.demo()) {
                // Not awaited: the UI is usable at once and shows the demo job's progress.
                demoJob = vertx.executeBlocking(() -> Demo.load(context), false)
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
