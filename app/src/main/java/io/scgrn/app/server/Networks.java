package io.scgrn.app.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Queries over finished jobs' networks (top edges, neighbourhoods, regulons, group differences). Networks are read
 * from the job's {@code out/network.tsv} (or {@code out/groups/<g>/network.tsv}) once and kept in a small cache.
 * File reading happens on worker threads; queries on a loaded network take microseconds to milliseconds.
 */
public final class Networks {
    /** Group name meaning the network over all cells. */
    public static final String ALL = "all";
    /** The most edges one response may carry. */
    public static final int MAX_EDGES = 100_000;

    private final Workspace workspace;
    private final long responseCacheBytes;
    private final Map<String, LoadedNetwork> cache;
    /** Guards {@link #cache}; a lock (not a monitor) so that the event loop can try it without waiting. */
    private final ReentrantLock cacheLock = new ReentrantLock();

    public Networks(Workspace workspace, int cacheSize) {
        this(workspace, cacheSize, ServerConfig.Limits.defaults().responseCacheBytes());
    }

    /** @param responseCacheBytes most bytes of encoded answers kept per loaded network */
    public Networks(Workspace workspace, int cacheSize, long responseCacheBytes) {
        this.responseCacheBytes = responseCacheBytes;
        this.workspace = workspace;
        this.cache = new LinkedHashMap<>(8, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LoadedNetwork> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** The job's output folder (exists only once the job is done). */
    public Path outDir(String jobId) {
        return workspace.jobDir(jobId).resolve(Workspace.OUT);
    }

    /** Group names of a job, "all" first. */
    public List<String> groups(String jobId) {
        List<String> out = new ArrayList<>();
        out.add(ALL);
        Path g = outDir(jobId).resolve("groups");
        if (Files.isDirectory(g)) {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(g)) {
                for (Path p : ds) {
                    if (Files.isRegularFile(p.resolve("network.tsv"))) {
                        names.add(p.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            names.sort(null);
            out.addAll(names);
        }
        return out;
    }

    /** The network TSV of a group ("all" or null for the whole network); 404 when absent. */
    public Path networkFile(String jobId, String group) {
        Path out = outDir(jobId);
        if (group == null || group.isEmpty() || ALL.equals(group)) {
            Path p = out.resolve("network.tsv");
            if (!Files.isRegularFile(p)) {
                throw new ApiException(409, "job " + jobId + " has no network (yet)");
            }
            return p;
        }
        if (!groups(jobId).contains(group)) {
            throw new ApiException(404, "no group '" + group + "'; groups: " + String.join(", ", groups(jobId)));
        }
        return out.resolve("groups").resolve(group).resolve("network.tsv");
    }

    /** The loaded network of a job's group (read now if not cached). */
    public LoadedNetwork load(String jobId, String group) {
        Path file = networkFile(jobId, group);
        String key = jobId + "/" + (group == null || group.isEmpty() ? ALL : group);
        cacheLock.lock();
        try {
            LoadedNetwork n = cache.get(key);
            if (n != null) {
                return n;
            }
        } finally {
            cacheLock.unlock();
        }
        LoadedNetwork n = LoadedNetwork.read(file);
        n.responseLimit(responseCacheBytes);
        cacheLock.lock();
        try {
            cache.put(key, n);
        } finally {
            cacheLock.unlock();
        }
        return n;
    }

    /**
     * The network when it is loaded already, else null. Fit for the event loop: no file access, and no waiting
     * either: while a worker holds the cache's lock the answer is null (the caller takes the worker path).
     */
    public LoadedNetwork cached(String jobId, String group) {
        if (!cacheLock.tryLock()) {
            return null;
        }
        try {
            return cache.get(jobId + "/" + (group == null || group.isEmpty() ? ALL : group));
        } finally {
            cacheLock.unlock();
        }
    }

    /**
     * The best {@code top} edges passing the filters.
     *
     * @param tfs     regulators to keep (empty: all)
     * @param targets targets to keep (empty: all)
     */
    public static JsonObject top(LoadedNetwork n, int top, double minScore, Set<String> tfs, Set<String> targets) {
        JsonArray edges = new JsonArray();
        int total;
        if (tfs.isEmpty() && targets.isEmpty()) {
            total = Double.isNaN(minScore) ? n.size() : n.countAtLeast(minScore);
            for (int e = 0; e < total && edges.size() < top; e++) {
                edges.add(n.edgeJson(e));
            }
        } else {
            int[] cand = candidates(n, tfs, targets);
            total = 0;
            for (int e : cand) {
                if (!Double.isNaN(minScore) && n.score(e) < (float) minScore) {
                    break;
                }
                if ((tfs.isEmpty() || tfs.contains(n.geneName(n.tf(e))))
                        && (targets.isEmpty() || targets.contains(n.geneName(n.target(e))))) {
                    total++;
                    if (edges.size() < top) {
                        edges.add(n.edgeJson(e));
                    }
                }
            }
        }
        return new JsonObject().put("edges", edges).put("total", total).put("n_edges", n.size())
                .put("n_fdr_05", n.countQAtMost(0.05)).put("n_fdr_10", n.countQAtMost(0.10));
    }

    /** Edges incident to the named genes, in rank order, without duplicates. */
    private static int[] candidates(LoadedNetwork n, Set<String> tfs, Set<String> targets) {
        BitSet set = new BitSet(n.size());
        if (!tfs.isEmpty()) {
            for (String t : tfs) {
                int g = n.gene(t);
                if (g >= 0) {
                    for (int e : n.outEdges(g)) {
                        set.set(e);
                    }
                }
            }
        } else {
            for (String t : targets) {
                int g = n.gene(t);
                if (g >= 0) {
                    for (int e : n.inEdges(g)) {
                        set.set(e);
                    }
                }
            }
        }
        return set.stream().toArray();
    }

    /**
     * The subgraph around {@code gene}: breadth-first over edges in both directions up to {@code depth} hops,
     * taking at each hop the best-scoring edges first, at most {@code limit} edges in all.
     */
    public static JsonObject neighbourhood(LoadedNetwork n, String gene, int depth, int limit, double minScore) {
        int g = n.gene(gene);
        if (g < 0) {
            throw new ApiException(404, "gene '" + gene + "' is in no edge of this network");
        }
        Set<Integer> visited = new HashSet<>();
        visited.add(g);
        List<Integer> frontier = List.of(g);
        BitSet taken = new BitSet(n.size());
        List<Integer> edges = new ArrayList<>();
        for (int d = 0; d < depth && !frontier.isEmpty() && edges.size() < limit; d++) {
            List<Integer> cand = new ArrayList<>();
            for (int v : frontier) {
                for (int e : n.outEdges(v)) {
                    cand.add(e);
                }
                for (int e : n.inEdges(v)) {
                    cand.add(e);
                }
            }
            cand.sort(null); // edge number = rank: best first
            List<Integer> next = new ArrayList<>();
            for (int e : cand) {
                if (edges.size() >= limit) {
                    break;
                }
                if (taken.get(e) || (!Double.isNaN(minScore) && n.score(e) < (float) minScore)) {
                    continue;
                }
                taken.set(e);
                edges.add(e);
                for (int v : new int[] {n.tf(e), n.target(e)}) {
                    if (visited.add(v)) {
                        next.add(v);
                    }
                }
            }
            frontier = next;
        }
        edges.sort(null);
        JsonArray ej = new JsonArray();
        for (int e : edges) {
            ej.add(n.edgeJson(e));
        }
        JsonArray nodes = new JsonArray();
        for (int v : visited) {
            nodes.add(new JsonObject().put("id", n.geneName(v)).put("is_tf", n.isTf(v))
                    .put("out_degree", n.outEdges(v).length).put("in_degree", n.inEdges(v).length));
        }
        return new JsonObject().put("gene", gene).put("depth", depth).put("nodes", nodes).put("edges", ej);
    }

    /** Each regulator with its best {@code perTf} targets, regulators ordered by their best edge. */
    public static JsonObject regulons(LoadedNetwork n, int perTf, int limit) {
        List<Integer> tfs = new ArrayList<>();
        for (int g = 0; g < n.geneCount(); g++) {
            if (n.outEdges(g).length > 0) {
                tfs.add(g);
            }
        }
        tfs.sort((a, b) -> Integer.compare(n.outEdges(a)[0], n.outEdges(b)[0]));
        JsonArray out = new JsonArray();
        for (int t : tfs.subList(0, Math.min(limit, tfs.size()))) {
            JsonArray targets = new JsonArray();
            int[] es = n.outEdges(t);
            for (int i = 0; i < es.length && i < perTf; i++) {
                int e = es[i];
                targets.add(new JsonObject().put("target", n.geneName(n.target(e))).put("score", n.score(e))
                        .put("sign", n.sign(e)));
            }
            out.add(new JsonObject().put("tf", n.geneName(t)).put("n_targets", targets.size())
                    .put("out_degree", es.length).put("best_score", n.score(es[0])).put("targets", targets));
        }
        return new JsonObject().put("regulons", out).put("n_regulators", tfs.size());
    }

    /** The targets and signs of a regulator's best {@code perTf} edges (empty when it regulates nothing). */
    public static List<Object[]> regulon(LoadedNetwork n, String tf, int perTf) {
        int g = n.gene(tf);
        List<Object[]> out = new ArrayList<>();
        if (g < 0) {
            return out;
        }
        int[] es = n.outEdges(g);
        for (int i = 0; i < es.length && i < perTf; i++) {
            out.add(new Object[] {n.geneName(n.target(es[i])), n.sign(es[i])});
        }
        return out;
    }

    /**
     * Edges in the top {@code top} of group a and not of group b, and the reverse, by (tf, target).
     */
    public static JsonObject diff(LoadedNetwork a, LoadedNetwork b, String nameA, String nameB, int top) {
        Map<String, Integer> inA = keys(a, top);
        Map<String, Integer> inB = keys(b, top);
        JsonArray onlyA = new JsonArray();
        JsonArray onlyB = new JsonArray();
        int shared = 0;
        for (Map.Entry<String, Integer> e : inA.entrySet()) {
            if (inB.containsKey(e.getKey())) {
                shared++;
            } else {
                onlyA.add(a.edgeJson(e.getValue()));
            }
        }
        for (Map.Entry<String, Integer> e : inB.entrySet()) {
            if (!inA.containsKey(e.getKey())) {
                onlyB.add(b.edgeJson(e.getValue()));
            }
        }
        return new JsonObject().put("a", nameA).put("b", nameB).put("top", top).put("shared", shared)
                .put("only_a", onlyA).put("only_b", onlyB);
    }

    private static Map<String, Integer> keys(LoadedNetwork n, int top) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int e = 0; e < n.size() && e < top; e++) {
            m.put(n.geneName(n.tf(e)) + "\t" + n.geneName(n.target(e)), e);
        }
        return m;
    }
}
