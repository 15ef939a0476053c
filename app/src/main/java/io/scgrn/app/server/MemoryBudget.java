package io.scgrn.app.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Bytes the server may spend on decoded dataset arrays, shared by the per-cell endpoints (datasets loaded into
 * memory) and running jobs. A file is small on disk but its arrays may decode to gigabytes (a gzip-compressed X of
 * zeros): before anything is decoded its declared size ({@link #declaredBytes}, from the shapes and dtypes in its
 * metadata) is reserved here. A dataset larger than the whole budget is refused (413); one that does not fit next
 * to what is held now waits (jobs) or is refused with 503 (requests), instead of running the server out of heap.
 */
public final class MemoryBudget {
    /** Fixed allowance per dataset for obs/var tables, names and object headers. */
    private static final long OVERHEAD = 1L << 20;

    private final long total;
    private long used;
    private final List<Runnable> reclaimers = new CopyOnWriteArrayList<>();

    public MemoryBudget(long totalBytes) {
        if (totalBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive");
        }
        this.total = totalBytes;
    }

    public long total() {
        return total;
    }

    public synchronized long used() {
        return used;
    }

    /** 413 when {@code bytes} could never fit, whatever else is released. */
    void checkFits(long bytes, String what) {
        if (bytes > total) {
            throw new ApiException(413, what + " decodes to about " + human(bytes) + " in memory, more than this "
                    + "server may spend on loaded data (" + human(total) + "; raise the heap with -Xmx)");
        }
    }

    /** Reserves {@code bytes} if they fit now; false otherwise. */
    synchronized boolean tryReserve(long bytes) {
        if (used + bytes > total) {
            return false;
        }
        used += bytes;
        return true;
    }

    /**
     * Registers something that can give memory back on demand (a cache of loaded datasets dropping the ones nobody
     * uses). Called without this budget's lock held, so it may release into it.
     */
    void addReclaimer(Runnable reclaimer) {
        reclaimers.add(reclaimer);
    }

    /**
     * Waits until {@code bytes} fit, asking the reclaimers for memory first, then reserves them.
     *
     * @param stop checked about every second; when it turns true the wait ends with false and nothing reserved
     */
    boolean reserve(long bytes, BooleanSupplier stop) throws InterruptedException {
        while (true) {
            if (tryReserve(bytes)) {
                return true;
            }
            for (Runnable r : reclaimers) {
                r.run();
            }
            synchronized (this) {
                if (used + bytes <= total) {
                    used += bytes;
                    return true;
                }
                if (stop.getAsBoolean()) {
                    return false;
                }
                wait(1000);
            }
        }
    }

    synchronized void release(long bytes) {
        used = Math.max(0, used - bytes);
        notifyAll();
    }

    /**
     * Upper estimate of the heap a dataset's arrays take once read, from its meta.json: per modality, X (dense:
     * rows × columns × item size; sparse: stored entries × (item size + 4-byte index) plus row pointers), once more
     * per layer and for raw, plus a fixed allowance.
     */
    static long declaredBytes(JsonObject meta) {
        long sum = OVERHEAD;
        JsonObject mods = meta.getJsonObject("modalities", new JsonObject());
        for (String name : mods.fieldNames()) {
            JsonObject m = mods.getJsonObject(name);
            long rows = m.getLong("n_obs", 0L);
            long cols = m.getLong("n_vars", 0L);
            JsonObject x = m.getJsonObject("x");
            long xBytes = 0;
            if (x != null) {
                int item = itemSize(x.getString("dtype"));
                String enc = x.getString("encoding", "array");
                if (enc.contains("csr") || enc.contains("csc")) {
                    long nnz = Math.max(0, x.getLong("nnz", rows * cols));
                    xBytes = nnz * (item + 4L) + (Math.max(rows, cols) + 1) * 8L;
                } else {
                    xBytes = rows * cols * item;
                }
            }
            JsonArray layers = m.getJsonArray("layers", new JsonArray());
            long copies = 1 + layers.size() + (m.getBoolean("has_raw", false) ? 1 : 0);
            sum = saturatingAdd(sum, saturatingMul(xBytes, copies));
            sum = saturatingAdd(sum, rows * 64L + cols * 64L);
        }
        return sum;
    }

    /** Bytes per element of a numpy dtype name ("float32", "<f4", "int64" …); 8 when unknown. */
    static int itemSize(String dtype) {
        if (dtype == null) {
            return 8;
        }
        String d = dtype.toLowerCase(Locale.ROOT).replaceAll("[<>=|]", "");
        if (d.matches("[a-z]+\\d+")) {
            int bits = Integer.parseInt(d.replaceAll("[a-z]+", ""));
            // "f4" style counts bytes, "float32" style counts bits.
            return d.length() <= 3 ? Math.max(1, bits) : Math.max(1, bits / 8);
        }
        return d.equals("bool") ? 1 : 8;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatingMul(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
