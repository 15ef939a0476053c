package io.scgrn.app.server;

import io.scgrn.app.run.FileTrees;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's durable state on disk:
 * <pre>
 * workspace/datasets/&lt;id&gt;/{data.h5ad|data.h5mu|data.h5, meta.json}
 * workspace/jobs/&lt;id&gt;/{job.json, job.log, out/...}
 * workspace/uploads/      (uploads in flight; emptied at start)
 * </pre>
 * Every file is written to a temporary name and renamed, and a dataset folder appears under its final name only
 * once complete, so a crash at any moment leaves either the old state or the new one. Ids are checked with
 * {@link Ids#valid} before they touch a path.
 */
public final class Workspace {
    private static final Logger LOG = LoggerFactory.getLogger(Workspace.class);
    public static final String META = "meta.json";
    public static final String JOB = "job.json";
    public static final String JOB_LOG = "job.log";
    public static final String OUT = "out";

    private final Path root;
    private final Path datasets;
    private final Path jobs;
    private final Path uploads;

    private Workspace(Path root) {
        this.root = root;
        this.datasets = root.resolve("datasets");
        this.jobs = root.resolve("jobs");
        this.uploads = root.resolve("uploads");
    }

    /** Opens (creating if needed) the workspace at {@code root} and removes leftovers of interrupted writes. */
    public static Workspace open(Path root) {
        Workspace ws = new Workspace(root.toAbsolutePath().normalize());
        try {
            Files.createDirectories(ws.datasets);
            Files.createDirectories(ws.jobs);
            Files.createDirectories(ws.uploads);
            deleteChildren(ws.uploads, p -> true);
            deleteChildren(ws.datasets, p -> p.getFileName().toString().startsWith(".tmp-"));
            ws.removeJobLeftovers();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open workspace " + ws.root + ": " + e.getMessage(), e);
        }
        return ws;
    }

    public Path root() {
        return root;
    }

    /**
     * Removes what a killed server leaves in job folders: half-written outputs ({@code out/.tmp-*}, written
     * all-or-nothing by the pipeline) and an output folder left empty by them, and temporary job.json files.
     */
    private void removeJobLeftovers() {
        for (Path dir : children(jobs)) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            deleteChildren(dir, p -> p.getFileName().toString().endsWith(".tmp")
                    && p.getFileName().toString().startsWith("."));
            Path out = dir.resolve(OUT);
            if (Files.isDirectory(out)) {
                deleteChildren(out, p -> p.getFileName().toString().startsWith(".tmp-"));
                if (children(out).isEmpty()) {
                    FileTrees.deleteQuietly(out);
                }
            }
        }
    }

    /**
     * Removes the file caches earlier Vert.x instances left in {@code cacheDir} (a folder per instance, deleted on
     * a clean stop but not after a crash). Call before this process's Vert.x creates its own.
     */
    public static void removeFileCaches(Path cacheDir) {
        if (Files.isDirectory(cacheDir)) {
            deleteChildren(cacheDir, p -> p.getFileName().toString().contains("cache-"));
        }
    }

    /** Where multipart uploads stream to before validation. */
    public Path uploadsDir() {
        return uploads;
    }

    public Path datasetsDir() {
        return datasets;
    }

    public Path jobsDir() {
        return jobs;
    }

    /** The folder of dataset {@code id}; the id must be valid (checked). */
    public Path datasetDir(String id) {
        if (!Ids.valid(id)) {
            throw ApiException.notFound("dataset", id);
        }
        return datasets.resolve(id);
    }

    /** The folder of job {@code id}; the id must be valid (checked). */
    public Path jobDir(String id) {
        if (!Ids.valid(id)) {
            throw ApiException.notFound("job", id);
        }
        return jobs.resolve(id);
    }

    /** A dataset's meta.json, or empty when there is no such dataset. */
    public Optional<JsonObject> datasetMeta(String id) {
        if (!Ids.valid(id)) {
            return Optional.empty();
        }
        Path meta = datasets.resolve(id).resolve(META);
        return Files.isRegularFile(meta) ? Optional.of(readJson(meta)) : Optional.empty();
    }

    /** The data file of a dataset (named in its meta.json). */
    public Path datasetFile(String id, JsonObject meta) {
        return datasetDir(id).resolve(meta.getString("file"));
    }

    /** All datasets' meta.json, oldest first; unreadable ones are logged and skipped. */
    public List<JsonObject> datasets() {
        List<JsonObject> out = new ArrayList<>();
        for (Path dir : children(datasets)) {
            String id = dir.getFileName().toString();
            if (!Ids.valid(id)) {
                continue;
            }
            try {
                datasetMeta(id).ifPresent(out::add);
            } catch (RuntimeException e) {
                LOG.warn("skipping dataset {}: {}", id, e.getMessage());
            }
        }
        out.sort(Comparator.comparing((JsonObject m) -> m.getString("created", "")));
        return out;
    }

    /**
     * Makes a dataset from a validated upload: moves {@code upload} into a temporary folder with its meta.json,
     * then renames the folder to its final name in one step.
     */
    public void addDataset(String id, Path upload, String fileName, JsonObject meta) {
        Path tmp = datasets.resolve(".tmp-" + id);
        try {
            Files.createDirectories(tmp);
            Files.move(upload, tmp.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
            writeJson(tmp.resolve(META), meta.copy().put("file", fileName));
            Files.move(tmp, datasetDir(id), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            FileTrees.deleteQuietly(tmp);
            throw new UncheckedIOException("cannot store dataset " + id + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a dataset; false when there was none. Renamed first so a half-deleted folder is never listed. */
    public boolean deleteDataset(String id) {
        Path dir = datasetDir(id);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        Path tmp = datasets.resolve(".tmp-del-" + id);
        try {
            Files.move(dir, tmp, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete dataset " + id + ": " + e.getMessage(), e);
        }
        FileTrees.deleteQuietly(tmp);
        return true;
    }

    /** Reads a job's job.json, or empty. */
    public Optional<JsonObject> jobJson(String id) {
        if (!Ids.valid(id)) {
            return Optional.empty();
        }
        Path f = jobs.resolve(id).resolve(JOB);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(readJson(f));
        } catch (UncheckedIOException e) {
            // Gone between the check and the read: a submission refused with 429 removes its just-written record
            // (found by the soak benchmark as a 500 on GET /jobs paging over it). The job is simply not there.
            if (e.getCause() instanceof NoSuchFileException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every job.json, oldest first; unreadable ones are logged and skipped. */
    public List<JsonObject> jobs() {
        List<JsonObject> out = new ArrayList<>();
        for (Path dir : children(jobs)) {
            String id = dir.getFileName().toString();
            try {
                jobJson(id).ifPresent(out::add);
            } catch (RuntimeException e) {
                LOG.warn("skipping job {}: {}", id, e.getMessage());
            }
        }
        out.sort(Comparator.comparing((JsonObject m) -> m.getString("created", "")));
        return out;
    }

    /**
     * Marks every job left queued or running by a previous server process as interrupted: nothing is running it
     * any more. Returns how many were marked.
     */
    public int recoverInterruptedJobs() {
        int n = 0;
        for (JsonObject job : jobs()) {
            String status = job.getString("status");
            if ("queued".equals(status) || "running".equals(status)) {
                job.put("status", "interrupted").put("error", "server stopped while the job was " + status);
                writeJson(jobDir(job.getString("id")).resolve(JOB), job);
                n++;
            }
        }
        if (n > 0) {
            LOG.info("marked {} job(s) of the previous server run as interrupted", n);
        }
        return n;
    }

    /** Writes {@code json} to {@code file} through a temporary file, forced to disk, then an atomic rename. */
    public static void writeJson(Path file, JsonObject json) {
        writeAtomic(file, json.encodePrettily().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes bytes to {@code file} through a temporary file in the same folder and an atomic rename. A stream, not a
     * {@code FileChannel}: a channel is closed by an interrupt of the writing thread (ClosedByInterruptException),
     * and the threads that record a job's last state are the ones a cancel or a server stop interrupts.
     */
    public static void writeAtomic(Path file, byte[] bytes) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                out.write(bytes);
                out.getFD().sync();
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + Objects.requireNonNullElse(e.getMessage(),
                    e.getClass().getSimpleName()), e);
        }
    }

    static JsonObject readJson(Path file) {
        try {
            return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (DecodeException e) {
            throw new IllegalStateException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static List<Path> children(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                out.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void deleteChildren(Path dir, Predicate<Path> which) {
        for (Path p : children(dir)) {
            if (which.test(p)) {
                FileTrees.deleteQuietly(p);
            }
        }
    }
}
