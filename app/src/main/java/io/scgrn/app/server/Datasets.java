package io.scgrn.app.server;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataException;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.MuData;
import io.scgrn.anndata.Summaries;
import io.scgrn.anndata.Summary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Datasets: validation of uploads, their summaries, and a small cache of loaded files for the per-cell endpoints.
 * Every method here reads files and must run on a worker thread.
 */
public final class Datasets {
    /** HDF5 superblock signature; it sits at offset 0, 512, 1024, 2048 … (after an optional user block). */
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final List<String> RNA_NAMES = List.of(AnnDataFiles.SINGLE_MODALITY, "Gene Expression", "gex",
            "RNA");

    private final Workspace workspace;
    private final int cacheSize;
    private final MemoryBudget budget;
    private final Function<Path, MuData> reader;
    /**
     * Loaded (or loading) files by dataset id, least recently used first; datasets can be large, so only a few are
     * kept, and each holds its declared size in the memory budget until it is dropped and its last user is done.
     */
    private final LinkedHashMap<String, Loaded> cache = new LinkedHashMap<>(4, 0.75f, true);
    /**
     * Share of the memory budget above which a dataset's matrices are not loaded: per-cell requests stream X from
     * the file instead ({@link StreamedCells}), so an atlas larger than the heap can still be viewed.
     */
    static final double STREAM_SHARE = 0.5;

    /** One dataset held in memory: one load shared by every request that asked while it was read. */
    private static final class Loaded {
        final long bytes;
        final CompletableFuture<MuData> data = new CompletableFuture<>();
        int users;
        boolean dropped;

        Loaded(long bytes) {
            this.bytes = bytes;
        }
    }

    public Datasets(Workspace workspace, int cacheSize) {
        this(workspace, cacheSize, new MemoryBudget(ServerConfig.Limits.defaults().decodeBudget()),
                AnnDataFiles::readAny);
    }

    /**
     * @param budget bytes loaded datasets may take (shared with running jobs)
     * @param reader reads a dataset file (tests substitute one that waits)
     */
    public Datasets(Workspace workspace, int cacheSize, MemoryBudget budget,
                    Function<Path, MuData> reader) {
        this.workspace = workspace;
        this.cacheSize = cacheSize;
        this.budget = budget;
        this.reader = reader;
        // A job waiting for memory may take what idle loaded datasets hold.
        budget.addReclaimer(this::dropIdle);
    }

    /** Drops every loaded dataset nobody is using now. */
    void dropIdle() {
        synchronized (cache) {
            while (dropEldestIdle()) {
                // one at a time, least recently used first
            }
        }
    }

    public MemoryBudget budget() {
        return budget;
    }

    public Workspace workspace() {
        return workspace;
    }

    /**
     * Validates an uploaded file and stores it as a new dataset.
     *
     * @param upload      the streamed upload (moved into the workspace on success, left for deletion otherwise)
     * @param displayName the client's file name, shown in lists only (never used as a path)
     * @return the new dataset's meta.json
     * @throws ApiException 415 when the file is not HDF5, 422 when it is HDF5 but not a readable dataset
     */
    public JsonObject importUpload(Path upload, String displayName) {
        return importUpload(upload, displayName, new JsonObject());
    }

    /** As {@link #importUpload(Path, String)}, with {@code extra} keys added to meta.json. */
    public JsonObject importUpload(Path upload, String displayName, JsonObject extra) {
        String name = safeName(displayName);
        if (!isHdf5(upload)) {
            throw new ApiException(415, name + ": not an HDF5 file (expected .h5ad, .h5mu or 10x .h5)");
        }
        // Metadata only (obs/var tables, matrix shapes and attributes): reading X would need heap in proportion
        // to the upload, and an upload may be far larger than the heap.
        JsonObject summary;
        try {
            summary = summarize(upload);
        } catch (AnnDataException e) {
            throw new ApiException(422, describe(e, name));
        } catch (RuntimeException e) {
            throw new ApiException(422, name + ": cannot read: " + Errors.clientSafe(String.valueOf(e.getMessage())));
        }
        String id = Ids.newId();
        String kind = summary.getString("kind");
        String ext = switch (kind == null ? "" : kind) {
            case "h5ad" -> ".h5ad";
            case "h5mu" -> ".h5mu";
            default -> ".h5";
        };
        JsonObject meta = summary.put("id", id).put("name", name).put("created", Instant.now().toString())
                .put("size", sizeOf(upload)).mergeIn(extra);
        workspace.addDataset(id, upload, "data" + ext, meta);
        return workspace.datasetMeta(id).orElseThrow();
    }

    /** Imports a local file (the demo) by copying it first, so the workspace owns its copy. */
    public JsonObject importLocal(Path file, String displayName, JsonObject extra) throws IOException {
        Path tmp = Files.createTempFile(workspace.uploadsDir(), "local-", ".tmp");
        Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
        try {
            return importUpload(tmp, displayName, extra);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The AnnDataException's message with the server's temporary path replaced by the client's file name. */
    static String describe(AnnDataException e, String name) {
        String msg = e.getMessage() == null ? "unreadable" : e.getMessage();
        if (e.file() != null) {
            msg = msg.replace(e.file().toString(), name);
        }
        if (!msg.startsWith(name)) {
            msg = name + ": " + msg;
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    /** A file name reduced to a safe display form (no folders, no control characters, at most 120 chars). */
    static String safeName(String s) {
        if (s == null || s.isBlank()) {
            return "upload";
        }
        String base = s.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        base = base.replaceAll("[\\p{Cntrl}]", "_").strip();
        if (base.length() > 120) {
            base = base.substring(0, 120);
        }
        return base.isEmpty() ? "upload" : base;
    }

    static boolean isHdf5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            if (Arrays.equals(head, HDF5_SIGNATURE)) {
                return true;
            }
            long size = Files.size(file);
            // User blocks are powers of two from 512 bytes (MuData writes a 512-byte one).
            for (long off = 512; off + 8 <= size && off <= (1L << 20); off *= 2) {
                try (var ch = Files.newByteChannel(file)) {
                    ch.position(off);
                    ByteBuffer b = ByteBuffer.allocate(8);
                    while (b.hasRemaining() && ch.read(b) > 0) {
                        // keep reading
                    }
                    if (Arrays.equals(b.array(), HDF5_SIGNATURE)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The dataset summary of a file, from its metadata only (matrices are described, not loaded).
     *
     * @throws AnnDataException when the file is not a readable dataset
     */
    static JsonObject summarize(Path file) {
        Summary s = Summaries.summarizeFile(file);
        return summary(s, "h5mu".equals(s.kind()) ? s.obs() : null);
    }

    /**
     * Summary for meta.json: kind, global shape, per-modality shape, X encoding, obs columns, obsm keys.
     *
     * @param s         the file's metadata summary
     * @param globalObs the global obs columns of an .h5mu file; null for files whose only modality is the table
     */
    static JsonObject summary(Summary s, List<Summary.ColumnInfo> globalObs) {
        JsonObject mods = new JsonObject();
        List<String> names = new ArrayList<>();
        for (Summary.Modality a : s.modalities()) {
            JsonObject m = new JsonObject().put("n_obs", a.nObs()).put("n_vars", a.nVars());
            Summary.MatrixInfo x = a.x();
            if (x != null) {
                m.put("x", new JsonObject().put("encoding", x.encoding()).put("dtype", x.dtype())
                        .put("nnz", x.nnz()));
            }
            m.put("obs_columns", columns(a.obs()));
            m.put("obsm", new JsonArray(List.copyOf(a.obsm())));
            m.put("layers", new JsonArray(List.copyOf(a.layers())));
            m.put("has_raw", a.rawNVars() >= 0);
            mods.put(a.name(), m);
            names.add(a.name());
        }
        String primary = primaryModality(names).orElse(null);
        JsonObject out = new JsonObject().put("kind", s.kind()).put("n_obs", s.nObs()).put("n_vars", s.nVars())
                .put("modalities", mods).put("primary_modality", primary);
        // Single-table files: the global obs is the modality's own (as in the in-memory MuData).
        JsonArray obsCols = globalObs != null ? columns(globalObs)
                : primary != null ? mods.getJsonObject(primary).getJsonArray("obs_columns").copy() : new JsonArray();
        if (primary != null) {
            // Global obs plus the primary modality's columns that the global table lacks.
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < obsCols.size(); i++) {
                seen.add(obsCols.getJsonObject(i).getString("name"));
            }
            JsonArray modCols = mods.getJsonObject(primary).getJsonArray("obs_columns");
            for (int i = 0; i < modCols.size(); i++) {
                if (seen.add(modCols.getJsonObject(i).getString("name"))) {
                    obsCols.add(modCols.getJsonObject(i));
                }
            }
        }
        return out.put("obs_columns", obsCols);
    }

    private static JsonArray columns(List<Summary.ColumnInfo> cols) {
        JsonArray out = new JsonArray();
        for (Summary.ColumnInfo c : cols) {
            JsonObject o = new JsonObject().put("name", c.name()).put("type", c.type());
            if ("categorical".equals(c.type())) {
                o.put("n_categories", c.nCategories());
            }
            out.add(o);
        }
        return out;
    }

    /** The modality holding gene expression: rna / Gene Expression / the only one. */
    static Optional<String> primaryModality(MuData md) {
        return primaryModality(List.copyOf(md.mod().keySet()));
    }

    /** As {@link #primaryModality(MuData)}, over modality names in file order. */
    static Optional<String> primaryModality(List<String> names) {
        for (String n : RNA_NAMES) {
            if (names.contains(n)) {
                return Optional.of(n);
            }
        }
        return names.isEmpty() ? Optional.empty() : Optional.of(names.get(0));
    }

    /**
     * Runs {@code work} on the loaded dataset {@code id} (from memory, or read now: concurrent first requests share
     * one read). The dataset's declared decoded size is reserved in the memory budget before it is read: 413 when
     * it exceeds the whole budget, 503 when it does not fit next to the datasets other requests are using.
     * 404 when there is no such dataset.
     */
    public <T> T use(String id, Function<MuData, T> work) {
        JsonObject meta = workspace.datasetMeta(id).orElseThrow(() -> ApiException.notFound("dataset", id));
        Loaded e;
        boolean reads = false;
        synchronized (cache) {
            e = cache.get(id);
            if (e == null) {
                long need = streams(meta) ? metadataBytes(meta) : MemoryBudget.declaredBytes(meta);
                budget.checkFits(need, "dataset '" + meta.getString("name", id) + "'");
                while (!budget.tryReserve(need)) {
                    if (!dropEldestIdle()) {
                        throw new ApiException(503, "the server's memory for loaded data is in use by other "
                                + "requests and jobs; try again shortly");
                    }
                }
                e = new Loaded(need);
                cache.put(id, e);
                reads = true;
                while (cache.size() > cacheSize && dropEldestIdle()) {
                    // keep at most cacheSize datasets loaded
                }
            }
            e.users++;
        }
        try {
            if (reads) {
                try {
                    Path file = workspace.datasetFile(id, meta);
                    // a dataset too large to hold is loaded without its matrices: X is streamed per request
                    e.data.complete(streams(meta) ? AnnDataFiles.readAnyWithout(file, m -> false)
                            : reader.apply(file));
                } catch (OutOfMemoryError oom) {
                    e.data.completeExceptionally(new ApiException(503, "not enough memory to load the dataset now"));
                } catch (RuntimeException ex) {
                    e.data.completeExceptionally(ex);
                }
            }
            MuData md;
            try {
                md = e.data.join();
            } catch (CompletionException ce) {
                drop(id, e);
                throw ce.getCause() instanceof RuntimeException re ? re : ce;
            }
            return work.apply(md);
        } finally {
            synchronized (cache) {
                e.users--;
                if (e.dropped && e.users == 0) {
                    budget.release(e.bytes);
                    e.users = -1; // released once
                }
            }
        }
    }

    /**
     * True when the dataset's decoded matrices would take more than {@link #STREAM_SHARE} of the memory budget
     * (and it is an .h5ad or .h5mu, whose X can be streamed): it is then held without them.
     */
    boolean streams(JsonObject meta) {
        String kind = meta.getString("kind", "");
        return ("h5ad".equals(kind) || "h5mu".equals(kind))
                && MemoryBudget.declaredBytes(meta) > budget.total() * STREAM_SHARE;
    }

    /**
     * Where the expression matrix of dataset {@code id} is, when the dataset is too large to hold and per-cell
     * requests stream X from the file ({@link StreamedCells}); empty when X is loaded. 404 when there is no such
     * dataset.
     */
    public Optional<StreamedCells.Source> streamedX(String id) {
        JsonObject meta = workspace.datasetMeta(id).orElseThrow(() -> ApiException.notFound("dataset", id));
        if (!streams(meta)) {
            return Optional.empty();
        }
        String primary = meta.getString("primary_modality");
        String xPath = "h5ad".equals(meta.getString("kind")) ? "/X" : "/mod/" + primary + "/X";
        return Optional.of(new StreamedCells.Source(workspace.datasetFile(id, meta), xPath));
    }

    /** Heap of a dataset held without its matrices: obs/var tables and names (as in the declared size). */
    static long metadataBytes(JsonObject meta) {
        long sum = 1L << 20;
        JsonObject mods = meta.getJsonObject("modalities", new JsonObject());
        for (String name : mods.fieldNames()) {
            JsonObject m = mods.getJsonObject(name);
            sum += m.getLong("n_obs", 0L) * 64L + m.getLong("n_vars", 0L) * 64L;
        }
        return sum;
    }

    /** As {@link #use}, on the expression modality; 422 when the file has none. */
    public <T> T usePrimary(String id, Function<AnnData, T> work) {
        return use(id, md -> work.apply(primary(md)));
    }

    /** The expression modality of a loaded dataset; 422 when the file has none. */
    static AnnData primary(MuData md) {
        String p = primaryModality(md).orElseThrow(() -> new ApiException(422, "dataset has no modality"));
        return md.mod().get(p);
    }

    /** Drops the least recently used dataset nobody is using; false when there is none. Holds the cache lock. */
    private boolean dropEldestIdle() {
        for (Map.Entry<String, Loaded> x : cache.entrySet()) {
            if (x.getValue().users == 0 && x.getValue().data.isDone()) {
                drop(x.getKey(), x.getValue());
                return true;
            }
        }
        return false;
    }

    private void drop(String id, Loaded e) {
        synchronized (cache) {
            if (cache.get(id) == e) {
                cache.remove(id);
            }
            if (!e.dropped) {
                e.dropped = true;
                if (e.users == 0) {
                    budget.release(e.bytes);
                    e.users = -1;
                }
            }
        }
    }

    /** Forgets a loaded dataset (deleted): its memory returns to the budget once its last request is done. */
    public void evict(String id) {
        synchronized (cache) {
            Loaded e = cache.get(id);
            if (e != null) {
                drop(id, e);
            }
        }
    }
}
