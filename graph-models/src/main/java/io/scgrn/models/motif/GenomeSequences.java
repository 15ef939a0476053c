package io.scgrn.models.motif;

import htsjdk.samtools.SAMException;
import htsjdk.samtools.reference.BlockCompressedIndexedFastaSequenceFile;
import htsjdk.samtools.reference.FastaSequenceFile;
import htsjdk.samtools.reference.FastaSequenceIndex;
import htsjdk.samtools.reference.FastaSequenceIndexCreator;
import htsjdk.samtools.reference.FastaSequenceIndexEntry;
import htsjdk.samtools.reference.IndexedFastaSequenceFile;
import htsjdk.samtools.reference.ReferenceSequence;
import htsjdk.samtools.reference.ReferenceSequenceFile;
import htsjdk.samtools.util.GZIIndex;
import htsjdk.samtools.util.IOUtil;
import io.scgrn.models.atac.ContigNames;
import io.scgrn.models.atac.GenomicInterval;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * The DNA of each peak, read from a genome FASTA with htsjdk and encoded A, C, G, T = 0..3, anything else (N, IUPAC
 * codes) = 4. Lowercase (soft-masked repeats) is read as the same base.
 *
 * <ul>
 *   <li>Plain FASTA: random access through its {@code .fai} index, built when missing (next to the FASTA when that
 *       folder is writable, else in {@code indexDir}).</li>
 *   <li>bgzip FASTA ({@code samtools faidx}-style {@code .fa.gz}): random access through {@code .fai} and
 *       {@code .gzi}, both built when missing, as above.</li>
 *   <li>Plain gzip FASTA: cannot be indexed, so it is read once from start to end, one contig in memory at a time
 *       (memory grows to the largest contig: about 250 MB for human chr1). Re-compress with {@code bgzip} for
 *       random access; the scan cache makes repeated runs skip the read either way.</li>
 * </ul>
 *
 * Peak chromosomes are matched to contigs by {@link ContigNames} ({@code chr1} ↔ {@code 1}). A chromosome with no
 * contig, or a peak starting beyond its contig's end, is an error (a different assembly); a peak that runs past the
 * end is clipped, with a warning.
 */
public final class GenomeSequences {
    private static final Logger LOG = LoggerFactory.getLogger(GenomeSequences.class);
    private static final byte[] CODE = new byte[256];

    static {
        Arrays.fill(CODE, (byte) 4);
        CODE['A'] = 0;
        CODE['a'] = 0;
        CODE['C'] = 1;
        CODE['c'] = 1;
        CODE['G'] = 2;
        CODE['g'] = 2;
        CODE['T'] = 3;
        CODE['t'] = 3;
    }

    private GenomeSequences() {
    }

    /** Encodes bases: A/a → 0, C/c → 1, G/g → 2, T/t → 3, anything else → 4. */
    public static byte[] encode(byte[] bases, int from, int to) {
        byte[] out = new byte[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = CODE[bases[i] & 0xff];
        }
        return out;
    }

    /**
     * The encoded sequence of each peak.
     *
     * @param fasta    genome FASTA (plain, bgzip or gzip)
     * @param peaks    peak intervals, 0-based half-open
     * @param indexDir where to write a missing {@code .fai}/{@code .gzi} when the FASTA's folder is read-only
     *                 (may be null: a temporary folder)
     * @throws MotifInputException when the file is unreadable or not FASTA, a peak chromosome has no contig, or a
     *                             peak starts beyond its contig
     */
    public static byte[][] fetch(Path fasta, List<GenomicInterval> peaks, Path indexDir) {
        if (!Files.isReadable(fasta)) {
            throw new MotifInputException("genome", "cannot read " + fasta);
        }
        try {
            if (isGzip(fasta) && !IOUtil.isBlockCompressed(fasta)) {
                LOG.info("genome: {} is gzip but not bgzip: reading it sequentially (bgzip it for random access)",
                        fasta);
                return sequential(fasta, peaks);
            }
            return indexed(fasta, peaks, indexDir);
        } catch (IOException | SAMException e) {
            throw new MotifInputException("genome", fasta + ": not a readable FASTA: " + oneLine(e), e);
        }
    }

    private static byte[][] indexed(Path fasta, List<GenomicInterval> peaks, Path indexDir) throws IOException {
        boolean bgzip = IOUtil.isBlockCompressed(fasta);
        checkFastaStart(fasta, bgzip);
        FastaSequenceIndex fai = faiIndex(fasta, indexDir);
        ReferenceSequenceFile ref;
        if (bgzip) {
            ref = new BlockCompressedIndexedFastaSequenceFile(fasta, fai, gziIndex(fasta, indexDir));
        } else {
            ref = new IndexedFastaSequenceFile(fasta, fai);
        }
        Map<String, Long> lengths = new LinkedHashMap<>();
        for (FastaSequenceIndexEntry e : fai) {
            lengths.put(e.getContig(), e.getSize());
        }
        Map<String, String> contig = contigs(fasta, peaks, lengths.keySet());
        byte[][] out = new byte[peaks.size()][];
        Clip clip = new Clip();
        try (ref) {
            for (int i = 0; i < peaks.size(); i++) {
                GenomicInterval p = peaks.get(i);
                String c = contig.get(p.chrom());
                long end = clip.end(fasta, p, c, lengths.get(c));
                if (end <= p.start()) {
                    out[i] = new byte[0];
                    continue;
                }
                ReferenceSequence s = ref.getSubsequenceAt(c, p.start() + 1, end);
                out[i] = encode(s.getBases(), 0, s.length());
            }
        }
        clip.warn(fasta);
        return out;
    }

    private static byte[][] sequential(Path fasta, List<GenomicInterval> peaks) throws IOException {
        checkFastaStart(fasta, false);
        Map<String, List<Integer>> byChrom = new HashMap<>();
        for (int i = 0; i < peaks.size(); i++) {
            byChrom.computeIfAbsent(peaks.get(i).chrom(), k -> new ArrayList<>()).add(i);
        }
        byte[][] out = new byte[peaks.size()][];
        Set<String> seen = new LinkedHashSet<>();
        Set<String> done = new HashSet<>();
        Clip clip = new Clip();
        try (FastaSequenceFile f = new FastaSequenceFile(fasta, true)) {
            ReferenceSequence s;
            while ((s = f.nextSequence()) != null) {
                seen.add(s.getName());
                Map<String, String> m = ContigNames.map(byChrom.keySet(), List.of(s.getName()));
                for (Map.Entry<String, String> e : m.entrySet()) {
                    if (!done.add(e.getKey())) {
                        continue;
                    }
                    byte[] bases = s.getBases();
                    for (int i : byChrom.get(e.getKey())) {
                        GenomicInterval p = peaks.get(i);
                        long end = clip.end(fasta, p, s.getName(), (long) bases.length);
                        out[i] = end <= p.start() ? new byte[0] : encode(bases, (int) p.start(), (int) end);
                    }
                }
            }
        }
        Set<String> missing = new TreeSet<>(byChrom.keySet());
        missing.removeAll(done);
        if (!missing.isEmpty()) {
            throw missing(fasta, missing, seen, byChrom.keySet().size());
        }
        clip.warn(fasta);
        return out;
    }

    private static Map<String, String> contigs(Path fasta, List<GenomicInterval> peaks, Set<String> names) {
        Set<String> chroms = new LinkedHashSet<>();
        for (GenomicInterval p : peaks) {
            chroms.add(p.chrom());
        }
        Map<String, String> m = ContigNames.map(chroms, names);
        if (m.size() < chroms.size()) {
            Set<String> missing = new TreeSet<>(chroms);
            missing.removeAll(m.keySet());
            throw missing(fasta, missing, names, chroms.size());
        }
        m.forEach((a, b) -> {
            if (!a.equals(b)) {
                LOG.debug("genome: peak chromosome {} read from contig {}", a, b);
            }
        });
        return m;
    }

    private static MotifInputException missing(Path fasta, Set<String> missing, Set<String> names, int nChroms) {
        List<String> some = names.stream().limit(8).toList();
        return new MotifInputException("genome", fasta + " has no contig for " + missing.size() + " of the "
                + nChroms + " peak chromosomes: " + String.join(", ", missing.stream().limit(10).toList())
                + (missing.size() > 10 ? ", …" : "") + " (its contigs: " + String.join(", ", some)
                + (names.size() > some.size() ? ", …" : "") + "); is it the peaks' assembly?");
    }

    /** Clips peaks that run past their contig; fails for peaks that start beyond it. */
    private static final class Clip {
        int n;
        String example;

        long end(Path fasta, GenomicInterval p, String contig, Long length) {
            if (p.start() >= length) {
                throw new MotifInputException("genome", "peak " + p + " starts beyond the end of contig " + contig
                        + " (" + length + " bases) in " + fasta + "; is it the peaks' assembly?");
            }
            if (p.end() > length) {
                n++;
                if (example == null) {
                    example = p + " (" + contig + " has " + length + " bases)";
                }
                return length;
            }
            return p.end();
        }

        void warn(Path fasta) {
            if (n > 0) {
                LOG.warn("genome: {} peaks run past the end of their contig in {} and were clipped, e.g. {}", n,
                        fasta, example);
            }
        }
    }

    private static FastaSequenceIndex faiIndex(Path given, Path indexDir) throws IOException {
        Path fasta = given.toAbsolutePath();
        Path next = fasta.resolveSibling(fasta.getFileName() + ".fai");
        if (Files.isReadable(next)) {
            return new FastaSequenceIndex(next);
        }
        Path alt = indexDir == null ? null : indexDir.resolve(fasta.getFileName() + ".fai");
        if (alt != null && Files.isReadable(alt) && Files.getLastModifiedTime(alt).compareTo(
                Files.getLastModifiedTime(fasta)) >= 0) {
            return new FastaSequenceIndex(alt);
        }
        LOG.info("genome: indexing {} (once)", fasta);
        FastaSequenceIndex idx = FastaSequenceIndexCreator.buildFromFasta(fasta);
        write(next, alt, idx::write);
        return idx;
    }

    private static GZIIndex gziIndex(Path given, Path indexDir) throws IOException {
        Path fasta = given.toAbsolutePath();
        Path next = fasta.resolveSibling(fasta.getFileName() + ".gzi");
        if (Files.isReadable(next)) {
            return GZIIndex.loadIndex(next);
        }
        Path alt = indexDir == null ? null : indexDir.resolve(fasta.getFileName() + ".gzi");
        if (alt != null && Files.isReadable(alt) && Files.getLastModifiedTime(alt).compareTo(
                Files.getLastModifiedTime(fasta)) >= 0) {
            return GZIIndex.loadIndex(alt);
        }
        GZIIndex idx = GZIIndex.buildIndex(fasta);
        write(next, alt, idx::writeIndex);
        return idx;
    }

    private interface Writer {
        void write(Path p) throws IOException;
    }

    /** Writes an index next to the FASTA, else into the index folder, else nowhere (it is rebuilt next time). */
    private static void write(Path next, Path alt, Writer w) {
        for (Path p : new Path[] {next, alt}) {
            if (p == null) {
                continue;
            }
            try {
                Files.createDirectories(p.getParent());
                Path tmp = Files.createTempFile(p.getParent(), p.getFileName().toString(), ".tmp");
                Files.delete(tmp);
                w.write(tmp);
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("genome: cannot write index {}: {}", p, e.toString());
            }
        }
        LOG.warn("genome: could not save the index {} anywhere; it will be rebuilt next time", next.getFileName());
    }

    private static boolean isGzip(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** A FASTA starts with '>' (after blank lines); anything else is refused before indexing it. */
    private static void checkFastaStart(Path fasta, boolean bgzip) throws IOException {
        try (InputStream raw = Files.newInputStream(fasta);
             InputStream in = bgzip || isGzip(fasta) ? new GZIPInputStream(raw) : raw) {
            int c;
            do {
                c = in.read();
            } while (c == '\n' || c == '\r' || c == ' ');
            if (c != '>') {
                throw new MotifInputException("genome", fasta + " line 1: not a FASTA file (expected '>name')");
            }
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ');
    }
}
