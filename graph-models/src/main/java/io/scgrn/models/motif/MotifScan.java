package io.scgrn.models.motif;

import io.scgrn.models.ModelException;
import io.scgrn.models.atac.GenomicInterval;
import io.scgrn.models.atac.MotifTable;
import io.scgrn.models.atac.ParalogSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Scans the peaks' genome sequence for a motif database and turns the hits into TF → peak evidence. The scan is
 * cached in {@code cacheDir} under a key made of the peak set, the genome file's checksum (CRC32C and size), the
 * database's SHA-256 and the p-value, so a second run on the same inputs skips reading the genome and scanning.
 */
public final class MotifScan {
    private static final Logger LOG = LoggerFactory.getLogger(MotifScan.class);
    /** Default p-value threshold per position and strand. */
    public static final double DEFAULT_P = 1e-4;
    private static final int CACHE_VERSION = 1;

    private MotifScan() {
    }

    /**
     * A finished scan.
     *
     * @param db         the motif database
     * @param hits       best hit per (peak, motif)
     * @param background A, C, G, T frequencies of the peaks (strand-symmetric)
     * @param pValue     hit threshold
     * @param fromCache  whether the hits were read from the cache
     * @param cacheFile  the cache file, or null when there is no cache folder
     */
    public record Result(MotifDatabase db, ScanHits hits, double[] background, double pValue, boolean fromCache,
                         Path cacheFile) {
    }

    /**
     * Scans (or reads from the cache) the sequences of {@code peaks} in {@code genome}.
     *
     * @param cacheDir  folder for the scan cache and any index the genome's folder cannot hold; null for none
     * @param cancelled polled during the scan, may be null
     */
    public static Result run(Path genome, List<GenomicInterval> peaks, MotifDatabase db, double pValue,
                             Path cacheDir, BooleanSupplier cancelled) {
        Path cacheFile = null;
        if (cacheDir != null) {
            String key = key(genome, peaks, db, pValue);
            cacheFile = cacheDir.resolve("motif-scan-" + key.substring(0, 32) + ".bin.gz");
            Result cached = readCache(cacheFile, db, pValue, peaks.size());
            if (cached != null) {
                LOG.info("motif scan: {} hits read from cache {}", cached.hits().size(), cacheFile);
                return cached;
            }
        }
        long t0 = System.nanoTime();
        byte[][] seqs = GenomeSequences.fetch(genome, peaks, cacheDir);
        long t1 = System.nanoTime();
        double[] bg = MotifScanner.background(seqs);
        MotifScanner scanner = new MotifScanner(db.motifs(), bg, pValue);
        ScanHits hits = scanner.scan(seqs, cancelled);
        long t2 = System.nanoTime();
        LOG.info("motif scan: {} peaks x {} motifs: {} (peak, motif) hits; read {} ms, scan {} ms", peaks.size(),
                db.motifs().size(), hits.size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        Result r = new Result(db, hits, scanner.background(), pValue, false, cacheFile);
        if (cacheFile != null) {
            writeCache(cacheFile, r);
        }
        return r;
    }

    /**
     * The motifs of {@code db} that name at least one of {@code tfs} (case-insensitive; either half of a dimer):
     * only these need scanning. Its checksum covers the database's and the chosen motif IDs, so it keys the cache.
     *
     * @throws ModelException when no motif names any of the TFs (the database is for another species, or gene
     *                        names are IDs)
     */
    public static MotifDatabase forTfs(MotifDatabase db, List<String> tfs) {
        Set<String> upper = new HashSet<>();
        for (String t : tfs) {
            upper.add(t.toUpperCase(Locale.ROOT));
        }
        List<MotifMatrix> keep = new ArrayList<>();
        StringBuilder ids = new StringBuilder(db.sha256());
        for (MotifMatrix m : db.motifs()) {
            if (m.tfNames().stream().anyMatch(upper::contains)) {
                keep.add(m);
                ids.append('|').append(m.id());
            }
        }
        if (keep.isEmpty()) {
            throw noTf(db, tfs);
        }
        if (keep.size() == db.motifs().size()) {
            return db;
        }
        return new MotifDatabase(List.copyOf(keep), db.source(),
                MotifDatabase.sha256(ids.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static ModelException noTf(MotifDatabase db, List<String> tfs) {
        List<String> ex = db.motifs().stream().limit(3).map(MotifMatrix::name).toList();
        return new ModelException("motif-db", "none of the " + db.motifs().size() + " motifs of " + db.source()
                + " (e.g. " + String.join(", ", ex) + ") names one of the " + tfs.size() + " candidate TFs "
                + "among the RNA genes (e.g. " + String.join(", ", tfs.stream().limit(3).toList())
                + "); use gene symbols, or a --motif-db for this species");
    }

    /**
     * TF → peak evidence for the candidate TFs: a motif's hit counts for every TF it names (both halves of a dimer
     * {@code A::B}), matched to gene names without regard to case. The score of a (peak, TF) pair is its best hit's
     * −log10 p divided by the largest such value, so it lies in (0, 1].
     *
     * @param tfs candidate regulators among the RNA genes
     * @throws ModelException when no motif names any of the TFs (the database is for another species, or gene
     *                        names are IDs)
     */
    public static MotifTable toMotifTable(Result r, List<String> tfs) {
        return toMotifTable(r, tfs, null);
    }

    /**
     * As {@link #toMotifTable(Result, List)}, scoring each (peak, TF) pair by its significance in the whole peak:
     * the best hit's p-value p per position and strand becomes the chance of a hit at least as good anywhere in a
     * random peak of the same length L, for a TF scanned with m matrices, p_peak = 1 − (1 − p)^(2L·m), and the score
     * is clamp((−log10(p_peak) − {@link #PEAK_OFFSET}) / {@link #PEAK_SCALE}, 0, 1). For a TF with one matrix, a hit
     * at p = 10⁻⁵ in a 500 bp peak (expected by chance once in 100 peaks) then scores 0, one at 3·10⁻⁶ about 0.5,
     * one at 10⁻⁶ or better 1: a scan's chance hits cluster just above its threshold, so only hits well beyond what
     * chance gives in a peak count. Offset 2, scale 1 and the per-TF matrix count were chosen on ten tuning
     * simulations with the genome path's prior exponent 0.3 (docs/benchmarks.md, "multiome: round 5"; before:
     * offset 1, scale 2, one chance per position, "multiome: motif scanning").
     *
     * @param peaks the scanned peaks (their lengths), or null for scores scaled by the largest −log10 p
     */
    public static MotifTable toMotifTable(Result r, List<String> tfs, List<GenomicInterval> peaks) {
        return toMotifTable(r, tfs, peaks, PEAK_OFFSET, PEAK_SCALE, PER_TF_MOTIFS);
    }

    /**
     * Whether the whole-peak chance of a (peak, TF) pair counts all the TF's motifs (see
     * {@link #toMotifTable(Result, List, List, double, double, boolean)}; docs/benchmarks.md, "multiome: round 4").
     */
    public static final boolean PER_TF_MOTIFS = true;

    /** −log10 p_peak below which a (peak, TF) pair scores 0. */
    public static final double PEAK_OFFSET = 2;
    /** −log10 p_peak range over which the score rises from 0 to 1. */
    public static final double PEAK_SCALE = 1;

    /** As {@link #toMotifTable(Result, List, List)} with another offset and scale (benchmarks). */
    public static MotifTable toMotifTable(Result r, List<String> tfs, List<GenomicInterval> peaks, double offset,
                                          double scale) {
        return toMotifTable(r, tfs, peaks, offset, scale, PER_TF_MOTIFS);
    }

    /**
     * As {@link #toMotifTable(Result, List, List, double, double)}; with {@code perTfMotifs} the whole-peak chance
     * of a (peak, TF) pair also counts every motif scanned for the TF: a TF with m matrices gets m chances per
     * position, p_peak = 1 − (1 − p)^(2L·m).
     */
    public static MotifTable toMotifTable(Result r, List<String> tfs, List<GenomicInterval> peaks, double offset,
                                          double scale, boolean perTfMotifs) {
        return toMotifTable(r, tfs, peaks, offset, scale, perTfMotifs, false);
    }

    /** As {@link #toMotifTable(Result, List, List)}, with {@code compete} as in the method below. */
    public static MotifTable toMotifTable(Result r, List<String> tfs, List<GenomicInterval> peaks, boolean compete) {
        return toMotifTable(r, tfs, peaks, PEAK_OFFSET, PEAK_SCALE, PER_TF_MOTIFS, compete);
    }

    /**
     * As {@link #toMotifTable(Result, List, List, double, double, boolean)}; with {@code compete} TFs with nearly the
     * same motif compete for their shared hits ({@link #compete}).
     */
    public static MotifTable toMotifTable(Result r, List<String> tfs, List<GenomicInterval> peaks, double offset,
                                          double scale, boolean perTfMotifs, boolean compete) {
        Map<String, List<String>> byUpper = new HashMap<>();
        for (String t : tfs) {
            byUpper.computeIfAbsent(t.toUpperCase(Locale.ROOT), k -> new ArrayList<>()).add(t);
        }
        List<MotifMatrix> motifs = r.db().motifs();
        List<List<String>> motifTfs = new ArrayList<>(motifs.size());
        Set<String> matched = new LinkedHashSet<>();
        for (MotifMatrix m : motifs) {
            List<String> names = new ArrayList<>();
            for (String n : m.tfNames()) {
                List<String> g = byUpper.get(n);
                if (g != null) {
                    names.addAll(g);
                }
            }
            matched.addAll(names);
            motifTfs.add(names);
        }
        if (matched.isEmpty()) {
            throw noTf(r.db(), tfs);
        }
        Map<String, Integer> motifsPerTf = new HashMap<>();
        for (List<String> names : motifTfs) {
            for (String n : names) {
                motifsPerTf.merge(n, 1, Integer::sum);
            }
        }
        ScanHits h = r.hits();
        float max = 0;
        for (int i = 0; i < h.size(); i++) {
            if (!motifTfs.get(h.motif()[i]).isEmpty()) {
                max = Math.max(max, h.log10p()[i]);
            }
        }
        Map<Integer, Map<String, Double>> out = new HashMap<>();
        // the best −log10 p_peak (or −log10 p without peaks) per scored (peak, TF), for the competition
        Map<Integer, Map<String, Double>> strength = new HashMap<>();
        for (int i = 0; i < h.size(); i++) {
            List<String> names = motifTfs.get(h.motif()[i]);
            if (names.isEmpty()) {
                continue;
            }
            for (String n : names) {
                // −log10 of the whole-peak p-value (of the hit's p without peaks): the score and the strength
                int m = perTfMotifs ? motifsPerTf.get(n) : 1;
                double x = peaks == null ? h.log10p()[i] : -Math.log10(peakP(h.log10p()[i], peaks.get(h.peak()[i]), m));
                double v = peaks == null ? x / max : scaledPeakScore(x, offset, scale);
                if (v > 0) {
                    out.computeIfAbsent(h.peak()[i], k -> new HashMap<>()).merge(n, v, Math::max);
                    if (compete) {
                        strength.computeIfAbsent(h.peak()[i], k -> new HashMap<>()).merge(n, x, Math::max);
                    }
                }
            }
        }
        if (compete) {
            int removed = compete(out, strength, peaks == null ? r.hits().size() : peaks.size());
            LOG.info("motif scan: {} (peak, TF) hits lost to a TF with nearly the same motif", removed);
        }
        LOG.info("motif scan: {} of {} candidate TFs have a motif; {} peaks with a hit", matched.size(), tfs.size(),
                out.size());
        return new MotifTable(out);
    }

    /** The whole-peak chance p_peak = 1 − (1 − p)^(2L·motifs) of a hit at −log10 p = {@code log10p}. */
    static double peakP(double log10p, GenomicInterval peak, int motifs) {
        double p = Math.pow(10, -log10p);
        long sites = Math.max(1, 2 * (peak.end() - peak.start())) * (long) motifs;
        // 1 − (1 − p)^n without cancellation: −expm1(n · log1p(−p)).
        return -Math.expm1(sites * Math.log1p(-p));
    }

    /**
     * Competition between TFs with nearly the same motif, in place: a planted or real site of one paralog (nuclear
     * receptor half sites, HSF, ZIC family) is also a strong hit of the others, so each TF's hit set carries its
     * relatives' sites too, as many as its own. Two TFs count as such relatives by
     * {@link ParalogSplit#similarPairs} (their scored peak sets overlap far more than chance; from the hits alone, no
     * motif comparison). In a peak both hit, the TF whose best hit there is weaker (smaller
     * {@code strength}, −log10 of the whole-peak p-value) loses the peak; equal strengths keep both. Unrelated TFs
     * that share a peak by chance or by co-binding are untouched.
     *
     * @param scores   peak → TF → score (entries removed here)
     * @param strength peak → TF → strength, for every entry of {@code scores}
     * @return the number of (peak, TF) entries removed
     */
    static int compete(Map<Integer, Map<String, Double>> scores, Map<Integer, Map<String, Double>> strength,
                       int nPeaks) {
        Set<String> similar = ParalogSplit.similarPairs(scores, nPeaks);
        for (String pair : similar) {
            String[] ab = pair.split("\t");
            LOG.info("motif scan: {} and {} have nearly the same motif: they compete", ab[0], ab[1]);
        }
        int removed = 0;
        for (Map.Entry<Integer, Map<String, Double>> e : scores.entrySet()) {
            Map<String, Double> row = e.getValue();
            Map<String, Double> x = strength.get(e.getKey());
            List<String> ts = new ArrayList<>(row.keySet());
            java.util.Collections.sort(ts);
            Set<String> lose = new java.util.HashSet<>();
            for (int a = 0; a < ts.size(); a++) {
                for (int b = a + 1; b < ts.size(); b++) {
                    if (similar.contains(ts.get(a) + "\t" + ts.get(b))) {
                        double xa = x.get(ts.get(a));
                        double xb = x.get(ts.get(b));
                        if (xa < xb) {
                            lose.add(ts.get(a));
                        } else if (xb < xa) {
                            lose.add(ts.get(b));
                        }
                    }
                }
            }
            row.keySet().removeAll(lose);
            removed += lose.size();
        }
        scores.values().removeIf(Map::isEmpty);
        return removed;
    }

    static double peakScore(double log10p, GenomicInterval peak, double offset, double scale) {
        return peakScore(log10p, peak, offset, scale, 1);
    }

    /** As above, for a TF scanned with {@code motifs} matrices (each position and strand tested that often). */
    static double peakScore(double log10p, GenomicInterval peak, double offset, double scale, int motifs) {
        return scaledPeakScore(-Math.log10(peakP(log10p, peak, motifs)), offset, scale);
    }

    /** The peak score of a hit whose whole-peak p-value is {@code 10^−x}: {@code (x − offset) / scale} in [0, 1]. */
    private static double scaledPeakScore(double x, double offset, double scale) {
        return Math.min(1, Math.max(0, (x - offset) / scale));
    }

    /** Cache key: SHA-256 over the format version, p-value, database checksum, genome checksum and peak set. */
    static String key(Path genome, List<GenomicInterval> peaks, MotifDatabase db, double pValue) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("scgrn-motif-scan v" + CACHE_VERSION + "|p=" + pValue + "|pseudo=" + ScoringMatrix.PSEUDOCOUNT
                    + "|db=" + db.sha256() + "|genome=" + fileChecksum(genome) + "|").getBytes(StandardCharsets.UTF_8));
            for (GenomicInterval p : peaks) {
                md.update((p.chrom() + ":" + p.start() + "-" + p.end() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CRC32C of the whole file and its size (CRC32C runs at memory speed, unlike SHA-256 on a 3 GB genome). */
    static String fileChecksum(Path f) {
        CRC32C crc = new CRC32C();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buf) >= 0) {
                buf.flip();
                crc.update(buf);
                buf.clear();
            }
            return Long.toHexString(crc.getValue()) + "-" + ch.size();
        } catch (IOException e) {
            throw new MotifInputException("genome", "cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static Result readCache(Path file, MotifDatabase db, double p, int nPeaks) {
        if (!Files.isReadable(file)) {
            return null;
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw)))) {
            if (in.readInt() != CACHE_VERSION) {
                return null;
            }
            double[] bg = new double[4];
            for (int b = 0; b < 4; b++) {
                bg[b] = in.readDouble();
            }
            int n = in.readInt();
            int[] peak = new int[n];
            int[] motif = new int[n];
            float[] lp = new float[n];
            for (int i = 0; i < n; i++) {
                peak[i] = in.readInt();
                motif[i] = in.readInt();
                lp[i] = in.readFloat();
                if (peak[i] < 0 || peak[i] >= nPeaks || motif[i] < 0 || motif[i] >= db.motifs().size()) {
                    LOG.warn("motif scan: cache {} does not fit the inputs; scanning again", file);
                    return null;
                }
            }
            return new Result(db, new ScanHits(peak, motif, lp), bg, p, true, file);
        } catch (IOException e) {
            LOG.warn("motif scan: cannot read cache {} ({}); scanning again", file, e.toString());
            return null;
        }
    }

    private static void writeCache(Path file, Result r) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (OutputStream raw = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                         new GZIPOutputStream(raw)))) {
                out.writeInt(CACHE_VERSION);
                for (double v : r.background()) {
                    out.writeDouble(v);
                }
                ScanHits h = r.hits();
                out.writeInt(h.size());
                for (int i = 0; i < h.size(); i++) {
                    out.writeInt(h.peak()[i]);
                    out.writeInt(h.motif()[i]);
                    out.writeFloat(h.log10p()[i]);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("motif scan: cannot write cache {}: {}", file, e.toString());
        }
    }
}
