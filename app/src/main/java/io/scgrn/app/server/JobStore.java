package io.scgrn.app.server;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's job records, bounded in memory. Queued and running jobs are held in full (their workers update
 * them); of the finished ones only the {@code keepFinished} most recently used are, the others are read back from
 * their {@code job.json} when asked for. Every job also has a 32-byte entry in a creation-order index (its id and
 * its dataset's id as UUID bits), so that {@code GET /jobs} can count, filter by dataset and page without holding
 * records: a million jobs cost 32 MB of index, not a million records.
 */
final class JobStore {
    /** Finished jobs kept in memory by default: enough for every page the UI shows and the networks being read. */
    static final int DEFAULT_KEEP_FINISHED = 256;
    private static final int SLOTS = 4;

    private final Workspace workspace;
    private final Map<String, Job> live = new ConcurrentHashMap<>();
    /**
     * Finished jobs held in memory, each with the tick of its last use. Read without locking (the event loop looks
     * jobs up here and must never wait for a lock a descheduled worker holds); changed under {@code this}.
     */
    private final Map<String, Held> finished = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private volatile int keepFinished = DEFAULT_KEEP_FINISHED;
    /** Per job, in creation order: id msb, id lsb, dataset msb, dataset lsb. Guarded by {@code this}. */
    private long[] index = new long[SLOTS * 1024];
    private int count;

    JobStore(Workspace workspace) {
        this.workspace = workspace;
    }

    /** Sets how many finished jobs stay in memory (the least recently used beyond it are dropped). */
    synchronized void keepFinished(int n) {
        keepFinished = Math.max(0, n);
        trim();
    }

    /** Adds a new job, newest of all: in memory while it is not finished, and in the index. */
    synchronized void add(Job job) {
        if (job.terminal()) {
            admit(job);
        } else {
            live.put(job.id(), job);
        }
        if (SLOTS * (count + 1) > index.length) {
            index = Arrays.copyOf(index, index.length * 2);
        }
        int at = SLOTS * count;
        long[] id = bits(job.id());
        long[] ds = bits(job.spec().dataset());
        index[at] = id[0];
        index[at + 1] = id[1];
        index[at + 2] = ds[0];
        index[at + 3] = ds[1];
        count++;
    }

    /** Forgets a job that was just added and then refused (no trace is left). */
    synchronized void remove(String id) {
        live.remove(id);
        finished.remove(id);
        long[] b = bits(id);
        for (int i = count - 1; i >= 0; i--) {
            if (index[SLOTS * i] == b[0] && index[SLOTS * i + 1] == b[1]) {
                System.arraycopy(index, SLOTS * (i + 1), index, SLOTS * i, SLOTS * (count - i - 1));
                count--;
                return;
            }
        }
    }

    /** Moves a job that has just finished (and been persisted) from the live set to the recently used ones. */
    synchronized void finished(Job job) {
        if (live.remove(job.id()) != null) {
            admit(job);
        }
    }

    /** Holds a finished job in memory, dropping the least recently used beyond the bound. Under {@code this}. */
    private void admit(Job job) {
        finished.put(job.id(), new Held(job, clock.incrementAndGet()));
        trim();
    }

    private void trim() {
        while (finished.size() > keepFinished) {
            // A linear scan: a few hundred entries, once per finished job.
            Map.Entry<String, Held> oldest = null;
            for (Map.Entry<String, Held> e : finished.entrySet()) {
                if (oldest == null || e.getValue().used < oldest.getValue().used) {
                    oldest = e;
                }
            }
            finished.remove(oldest.getKey());
        }
    }

    /** A finished job in memory and the tick of its last use (volatile: set by readers without a lock). */
    private static final class Held {
        final Job job;
        volatile long used;

        Held(Job job, long used) {
            this.job = job;
            this.used = used;
        }
    }

    /** A queued or running job, or null. */
    Job live(String id) {
        return live.get(id);
    }

    /** Queued and running jobs. */
    Collection<Job> active() {
        return live.values();
    }

    /** The job's record when it is in memory (without reading the disk), else null. */
    JsonObject inMemory(String id) {
        Job j = held(id);
        return j == null ? null : j.toJson();
    }

    /** The job's status when it is in memory, else null: no snapshot is built (a hot path's check). */
    String statusInMemory(String id) {
        Job j = held(id);
        return j == null ? null : j.status();
    }

    /** Lock-free: fit for the event loop. */
    private Job held(String id) {
        Job j = live.get(id);
        if (j != null) {
            return j;
        }
        Held h = finished.get(id);
        if (h == null) {
            return null;
        }
        h.used = clock.incrementAndGet();
        return h.job;
    }

    /**
     * The job's record, from memory or else from its job.json (a blocking read; the job is then held in memory
     * again, as the most recently used): empty when there is none.
     */
    Optional<JsonObject> get(String id) {
        JsonObject j = inMemory(id);
        if (j != null) {
            return Optional.of(j);
        }
        if (!Ids.valid(id)) {
            return Optional.empty();
        }
        long[] b = bits(id);
        synchronized (this) {
            if (indexOf(b) < 0) {
                return Optional.empty();
            }
        }
        Optional<JsonObject> read = workspace.jobJson(id);
        read.ifPresent(json -> {
            try {
                Job job = Job.fromJson(json);
                if (job.terminal()) {
                    synchronized (this) {
                        if (!live.containsKey(id)) {
                            admit(job);
                        }
                    }
                }
            } catch (RuntimeException e) {
                // An odd job.json is still answered as it is; it is just not held in memory.
            }
        });
        return read;
    }

    private int indexOf(long[] b) {
        for (int i = count - 1; i >= 0; i--) {
            if (index[SLOTS * i] == b[0] && index[SLOTS * i + 1] == b[1]) {
                return i;
            }
        }
        return -1;
    }

    /** Number of jobs, all of them. */
    synchronized int size() {
        return count;
    }

    /** One page of jobs. */
    record Page(List<JsonObject> jobs, int total) {
    }

    /**
     * Jobs newest first, optionally only those of {@code dataset}, from {@code offset}, at most {@code limit}, without
     * loss curves. Records not in memory are read from disk (blocking: call it on a worker).
     */
    Page page(String dataset, int offset, int limit) {
        if (dataset != null && !Ids.valid(dataset)) {
            return new Page(List.of(), 0);
        }
        long[] ds = dataset == null ? null : bits(dataset);
        List<String> ids = new ArrayList<>();
        int total = 0;
        synchronized (this) {
            for (int i = count - 1; i >= 0; i--) {
                int at = SLOTS * i;
                if (ds != null && (index[at + 2] != ds[0] || index[at + 3] != ds[1])) {
                    continue;
                }
                if (total >= offset && ids.size() < limit) {
                    ids.add(new UUID(index[at], index[at + 1]).toString());
                }
                total++;
            }
        }
        List<JsonObject> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            JsonObject j = inMemory(id);
            if (j == null) {
                j = workspace.jobJson(id).orElse(null);
            }
            if (j != null) {
                j.remove("losses");
                out.add(j);
            }
        }
        return new Page(out, total);
    }

    /** A server id's bits; an id of another shape (a dataset filter that names nothing) gets bits no id has. */
    private static long[] bits(String id) {
        if (!Ids.valid(id)) {
            return new long[] {0L, 0L};
        }
        UUID u = UUID.fromString(id);
        return new long[] {u.getMostSignificantBits(), u.getLeastSignificantBits()};
    }
}
