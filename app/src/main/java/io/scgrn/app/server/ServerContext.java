package io.scgrn.app.server;

import org.apache.arrow.memory.BufferAllocator;

/**
 * The services one server shares between its handlers. Created and closed by {@link MainVerticle}.
 *
 * @param config    the settings it was started with
 * @param workspace datasets and jobs on disk
 * @param datasets  uploads, summaries and loaded files
 * @param jobs      the job queue and workers
 * @param networks  loaded networks of finished jobs
 * @param allocator the server's Arrow allocator (each response uses a child allocator)
 */
public record ServerContext(ServerConfig config, Workspace workspace, Datasets datasets, JobManager jobs,
                            Networks networks, BufferAllocator allocator) {
}
