package io.scgrn.app.server;

import io.scgrn.models.table.TableReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A job's network held compactly for queries: gene names interned to ints, edges as parallel arrays in rank order
 * (best first, as network.tsv stores them), and per-gene lists of outgoing and incoming edge numbers, also in rank
 * order. One million edges take about 30 MB.
 */
public final class LoadedNetwork {
    private final String[] genes;
    private final Map<String, Integer> geneIndex;
    private final int[] tf;
    private final int[] target;
    private final float[] score;
    private final byte[] sign;
    private final float[] stability;
    /** Per-edge q-value (estimated FDR), NaN when the file has none. */
    private final float[] q;
    private final int[][] out;
    private final int[][] in;
    private final boolean[] isTf;
    /**
     * Encoded answers to recent queries: a finished job's network never changes, so identical requests (every
     * browser asks for the same top edges) are served without rebuilding the JSON. Bounded in bytes (least
     * recently used answers go first); an answer larger than the bound is not kept.
     */
    private final Map<String, Buffer> responses = new LinkedHashMap<>(64, 0.75f, true);
    private long responseBytes;
    /** Guards {@link #responses}; a lock the event loop can try without waiting. */
    private final ReentrantLock responsesLock = new ReentrantLock();
    private volatile long responseLimit = 16L << 20;

    private LoadedNetwork(List<String> genes, Map<String, Integer> geneIndex, int[] tf, int[] target, float[] score,
                          byte[] sign, float[] stability, float[] q) {
        this.genes = genes.toArray(new String[0]);
        this.geneIndex = geneIndex;
        this.tf = tf;
        this.target = target;
        this.score = score;
        this.sign = sign;
        this.stability = stability;
        this.q = q;
        int g = this.genes.length;
        int[] outN = new int[g];
        int[] inN = new int[g];
        isTf = new boolean[g];
        for (int e = 0; e < tf.length; e++) {
            outN[tf[e]]++;
            inN[target[e]]++;
            isTf[tf[e]] = true;
        }
        out = new int[g][];
        in = new int[g][];
        for (int i = 0; i < g; i++) {
            out[i] = new int[outN[i]];
            in[i] = new int[inN[i]];
        }
        Arrays.fill(outN, 0);
        Arrays.fill(inN, 0);
        for (int e = 0; e < tf.length; e++) {
            out[tf[e]][outN[tf[e]]++] = e;
            in[target[e]][inN[target[e]]++] = e;
        }
    }

    /**
     * Reads a network TSV with a header naming at least {@code tf}, {@code target} and {@code score} (also
     * {@code sign}, {@code stability}, {@code q}). Rows are re-sorted by score (descending, ties by tf, target) if needed.
     */
    public static LoadedNetwork read(Path tsv) {
        List<String> genes = new ArrayList<>();
        Map<String, Integer> idx = new HashMap<>();
        IntList tfs = new IntList();
        IntList targets = new IntList();
        FloatList scores = new FloatList();
        IntList signs = new IntList();
        FloatList stabs = new FloatList();
        FloatList qs = new FloatList();
        try (TableReader r = TableReader.open(tsv, TableReader.Options.tsv())) {
            TableReader.Row header = r.next();
            if (header == null) {
                throw new IllegalStateException(tsv + ": empty network file");
            }
            List<String> cols = header.fields();
            int cTf = cols.indexOf("tf");
            int cTarget = cols.indexOf("target");
            int cScore = cols.indexOf("score");
            int cSign = cols.indexOf("sign");
            int cStab = cols.indexOf("stability");
            int cQ = cols.indexOf("q");
            if (cTf < 0 || cTarget < 0 || cScore < 0) {
                throw new IllegalStateException(tsv + ": header lacks tf, target or score: " + String.join("\t", cols));
            }
            for (TableReader.Row row; (row = r.next()) != null; ) {
                List<String> f = row.fields();
                tfs.add(idx.computeIfAbsent(f.get(cTf), k -> {
                    genes.add(k);
                    return genes.size() - 1;
                }));
                targets.add(idx.computeIfAbsent(f.get(cTarget), k -> {
                    genes.add(k);
                    return genes.size() - 1;
                }));
                scores.add(Float.parseFloat(f.get(cScore)));
                signs.add(cSign >= 0 && cSign < f.size() ? (int) Math.signum(Double.parseDouble(f.get(cSign))) : 0);
                stabs.add(cStab >= 0 && cStab < f.size() ? Float.parseFloat(f.get(cStab)) : Float.NaN);
                qs.add(cQ >= 0 && cQ < f.size() ? Float.parseFloat(f.get(cQ)) : Float.NaN);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tsv + ": " + e.getMessage(), e);
        }
        int m = tfs.size;
        Integer[] order = new Integer[m];
        boolean sorted = true;
        for (int i = 0; i < m; i++) {
            order[i] = i;
            if (i > 0 && scores.data[i] > scores.data[i - 1]) {
                sorted = false;
            }
        }
        if (!sorted) {
            // Queries rely on rank order; a hand-made file may not be in it.
            Arrays.sort(order, (a, b) -> {
                int c = Float.compare(scores.data[b], scores.data[a]);
                if (c == 0) {
                    c = genes.get(tfs.data[a]).compareTo(genes.get(tfs.data[b]));
                }
                return c != 0 ? c : genes.get(targets.data[a]).compareTo(genes.get(targets.data[b]));
            });
        }
        int[] tf = new int[m];
        int[] tg = new int[m];
        float[] sc = new float[m];
        byte[] sg = new byte[m];
        float[] st = new float[m];
        float[] qv = new float[m];
        for (int i = 0; i < m; i++) {
            int o = order[i];
            tf[i] = tfs.data[o];
            tg[i] = targets.data[o];
            sc[i] = scores.data[o];
            sg[i] = (byte) signs.data[o];
            st[i] = stabs.data[o];
            qv[i] = qs.data[o];
        }
        return new LoadedNetwork(genes, idx, tf, tg, sc, sg, st, qv);
    }

    public int size() {
        return tf.length;
    }

    /** Sets the most bytes of encoded answers kept for this network. */
    void responseLimit(long bytes) {
        responseLimit = bytes;
    }

    /** Bytes of encoded answers kept now. */
    long responseBytes() {
        responsesLock.lock();
        try {
            return responseBytes;
        } finally {
            responsesLock.unlock();
        }
    }

    /**
     * The cached encoded answer for {@code key}, or null: nothing is computed and nothing waited for (null also while
     * a worker holds the cache's lock), so the event loop may call it.
     */
    public Buffer cachedResponse(String key) {
        if (!responsesLock.tryLock()) {
            return null;
        }
        try {
            return responses.get(key);
        } finally {
            responsesLock.unlock();
        }
    }

        /** The cached encoded answer for {@code key}, computing and caching it when absent. */
    public Buffer response(String key, Supplier<JsonObject> query) {
        responsesLock.lock();
        try {
            Buffer b = responses.get(key);
            if (b != null) {
                return b;
            }
        } finally {
            responsesLock.unlock();
        }
        Buffer b = query.get().toBuffer();
        long size = b.length() + 2L * key.length() + 64;
        responsesLock.lock();
        try {
            if (size <= responseLimit && !responses.containsKey(key)) {
                responses.put(key, b);
                responseBytes += size;
                var it = responses.entrySet().iterator();
                while (responseBytes > responseLimit && it.hasNext()) {
                    var e = it.next();
                    responseBytes -= e.getValue().length() + 2L * e.getKey().length() + 64;
                    it.remove();
                }
            }
        } finally {
            responsesLock.unlock();
        }
        return b;
    }

    public int geneCount() {
        return genes.length;
    }

    /** Gene number, or -1 when the gene is in no edge. */
    public int gene(String name) {
        Integer i = geneIndex.get(name);
        return i == null ? -1 : i;
    }

    public String geneName(int i) {
        return genes[i];
    }

    public boolean isTf(int gene) {
        return isTf[gene];
    }

    public int tf(int e) {
        return tf[e];
    }

    public int target(int e) {
        return target[e];
    }

    public float score(int e) {
        return score[e];
    }

    public int sign(int e) {
        return sign[e];
    }

    public float stability(int e) {
        return stability[e];
    }

    /** The edge's q-value (estimated false-discovery rate), NaN when the network has none. */
    public float q(int e) {
        return q[e];
    }

    /** Number of edges with q ≤ {@code maxQ}, or null when the network carries no q-values. */
    public Integer countQAtMost(double maxQ) {
        int n = 0;
        boolean any = false;
        for (float v : q) {
            any |= !Float.isNaN(v);
            n += v <= maxQ ? 1 : 0;
        }
        return any ? n : null;
    }

    /** Edge numbers where {@code gene} is the regulator, best first. */
    public int[] outEdges(int gene) {
        return out[gene];
    }

    /** Edge numbers where {@code gene} is the target, best first. */
    public int[] inEdges(int gene) {
        return in[gene];
    }

    /**
     * Number of edges scoring at least {@code min} (edges are in descending score order). Scores are float32, and
     * clients send back the float's shortest decimal form: comparing in float keeps such a bound inclusive.
     */
    public int countAtLeast(double min) {
        float m = (float) min;
        int lo = 0;
        int hi = score.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (score[mid] >= m) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Edge {@code e} as JSON: tf, target, score, sign, stability (null when not an ensemble), q (null when not
     * estimated), rank (1-based).
     */
    public JsonObject edgeJson(int e) {
        float st = stability[e];
        float qe = q[e];
        return new JsonObject().put("tf", genes[tf[e]]).put("target", genes[target[e]]).put("score", score[e])
                .put("sign", (int) sign[e]).put("stability", Float.isNaN(st) ? null : st)
                .put("q", Float.isNaN(qe) ? null : qe).put("rank", e + 1);
    }

    private static final class IntList {
        int[] data = new int[1024];
        int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }
    }

    private static final class FloatList {
        float[] data = new float[1024];
        int size;

        void add(float v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }
    }
}
