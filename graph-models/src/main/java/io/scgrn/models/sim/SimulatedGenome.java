package io.scgrn.models.sim;

import htsjdk.samtools.util.BlockCompressedOutputStream;
import io.scgrn.models.ModelException;
import io.scgrn.models.atac.GeneLocus;
import io.scgrn.models.atac.GenomicInterval;
import io.scgrn.models.motif.MotifDatabase;
import io.scgrn.models.motif.MotifMatrix;
import io.scgrn.models.motif.ScoringMatrix;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A genome FASTA for a {@link Simulation}, with motif sites planted where the simulated motif scan says a TF binds,
 * so that FASTA → motif scan → triplets → network runs end to end against a known truth.
 *
 * <p>Each simulated TF is named after one JASPAR motif (single-TF motifs that a scan can detect, drawn without
 * replacement by the seed; {@link #tfNames}). The genome is i.i.d. background sequence (GC 41 %, like the human genome) over every contig,
 * long enough to hold all genes and peaks. For every hit of the simulation's motif table — true bindings (90 % of the
 * TF → enhancer pairs) and decoys (Poisson(1) random TFs per peak) — one site of the TF's motif is planted at a
 * random position inside the peak, on a random strand, not overlapping another planted site. A site is drawn from
 * the motif's frequency matrix and re-drawn until its p-value (background as above) is at most
 * {@link #SITE_P}: a bona fide site, as bound sites are, rather than a weak draw that no scan would call.
 */
public final class SimulatedGenome {
    /** Largest p-value of a planted site. */
    public static final double SITE_P = 1e-5;
    static final double GC = 0.41;
    private static final int LINE = 60;

    private SimulatedGenome() {
    }

    /** One planted site: window [start, start + width) on {@code chrom}, 0-based. */
    public record Site(int peak, String tf, String motifId, String chrom, long start, int width, int strand,
                       boolean trueBinding) {
    }

    /**
     * Names for {@code n} TFs, each the (upper-cased) name of a distinct single-TF motif of {@code db}.
     *
     * @return TF name → motif, in draw order
     */
    public static Map<String, MotifMatrix> tfNames(MotifDatabase db, int n, long seed) {
        List<MotifMatrix> single = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        double[] bg = {(1 - GC) / 2, GC / 2, GC / 2, (1 - GC) / 2};
        for (MotifMatrix m : db.motifs()) {
            List<String> names = m.tfNames();
            if (names.size() == 1 && !m.name().contains("::") && names.get(0).matches("[A-Z0-9-]+")
                    && detectable(m, bg) && seen.add(names.get(0))) {
                single.add(m);
            }
        }
        if (single.size() < n) {
            throw new ModelException("tfs", "the motif database has " + single.size() + " single-TF motifs; "
                    + "cannot name " + n + " TFs");
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x6d6f74696673L);
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(single.size() - i);
            MotifMatrix t = single.get(i);
            single.set(i, single.get(j));
            single.set(j, t);
        }
        Map<String, MotifMatrix> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(single.get(i).tfNames().get(0), single.get(i));
        }
        return out;
    }

    /**
     * Whether sites of {@code m} can be told from background: its best site has p ≤ {@link #SITE_P}/100. Short or
     * degenerate motifs (most of width ≤ 7) cannot reach a p-value of 10⁻⁴ at all, so no scan at that threshold
     * could find them; the simulator does not give them to its TFs.
     */
    static boolean detectable(MotifMatrix m, double[] bg) {
        ScoringMatrix s = ScoringMatrix.of(0, m, bg, SITE_P / 100)[0];
        return s.maxScore() >= s.threshold();
    }

    /**
     * Writes the genome FASTA (bgzip-compressed when {@code fasta} ends with {@code .gz}) and returns the planted
     * sites.
     *
     * @param motifs TF name → its motif, for every TF of {@code sim}
     */
    public static List<Site> write(Simulation sim, Map<String, MotifMatrix> motifs, Path fasta, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x67656e6f6d65L);
        double[] bg = {(1 - GC) / 2, GC / 2, GC / 2, (1 - GC) / 2};
        Map<String, ScoringMatrix> fwd = new LinkedHashMap<>();
        for (Map.Entry<String, MotifMatrix> e : motifs.entrySet()) {
            fwd.put(e.getKey(), ScoringMatrix.of(0, e.getValue(), bg, SITE_P)[0]);
        }
        // Contigs: in order of first appearance, long enough for every gene and peak.
        Map<String, Long> length = new LinkedHashMap<>();
        for (GeneLocus l : sim.loci()) {
            length.merge(l.chrom(), l.end() + 10_000, Math::max);
        }
        for (GenomicInterval p : sim.peaks()) {
            length.merge(p.chrom(), p.end() + 10_000, Math::max);
        }
        Set<String> trueSet = new HashSet<>();
        for (Simulation.PeakGeneTruth t : sim.peakGenes()) {
            for (String tf : t.tfs()) {
                trueSet.add(t.peak() + "\t" + tf);
            }
        }
        Map<String, byte[]> seqs = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : length.entrySet()) {
            if (e.getValue() > Integer.MAX_VALUE - 8) {
                throw new ModelException("genome", "contig " + e.getKey() + " is too long to simulate");
            }
            byte[] s = new byte[(int) (long) e.getValue()];
            for (int i = 0; i < s.length; i++) {
                double u = rnd.nextDouble();
                s[i] = (byte) "ACGT".charAt(u < bg[0] ? 0 : u < bg[0] + bg[1] ? 1 : u < 1 - bg[3] ? 2 : 3);
            }
            seqs.put(e.getKey(), s);
        }
        List<Site> sites = new ArrayList<>();
        Map<String, List<long[]>> used = new LinkedHashMap<>();
        for (Simulation.MotifHit h : sim.motifs()) {
            MotifMatrix m = motifs.get(h.tf());
            if (m == null) {
                throw new ModelException("tfs", "no motif for simulated TF " + h.tf());
            }
            GenomicInterval p = sim.peaks().get(h.peak());
            int w = m.width();
            if (p.end() - p.start() < w) {
                continue;
            }
            List<long[]> taken = used.computeIfAbsent(p.chrom(), k -> new ArrayList<>());
            long start = -1;
            for (int attempt = 0; attempt < 50 && start < 0; attempt++) {
                long s = p.start() + rnd.nextLong(p.end() - p.start() - w + 1);
                boolean free = true;
                for (long[] t : taken) {
                    if (s < t[1] && t[0] < s + w) {
                        free = false;
                        break;
                    }
                }
                if (free) {
                    start = s;
                }
            }
            if (start < 0) {
                continue; // a crowded peak: this hit gets no site (reported by the recovery measure)
            }
            taken.add(new long[] {start, start + w});
            int strand = rnd.nextBoolean() ? 1 : -1;
            byte[] site = drawSite(m, fwd.get(h.tf()), bg, rnd);
            byte[] target = seqs.get(p.chrom());
            for (int i = 0; i < w; i++) {
                byte b = strand > 0 ? site[i] : (byte) (3 - site[w - 1 - i]);
                target[(int) start + i] = (byte) "ACGT".charAt(b);
            }
            sites.add(new Site(h.peak(), h.tf(), m.id(), p.chrom(), start, w, strand,
                    trueSet.contains(h.peak() + "\t" + h.tf())));
        }
        writeFasta(fasta, seqs);
        return sites;
    }

    /** A site drawn from the motif's probabilities, re-drawn until it scores within {@link #SITE_P}. */
    private static byte[] drawSite(MotifMatrix m, ScoringMatrix fwd, double[] bg, SplittableRandom rnd) {
        double[][] p = m.probabilities(bg, ScoringMatrix.PSEUDOCOUNT);
        byte[] s = new byte[m.width()];
        for (int attempt = 0; attempt < 10_000; attempt++) {
            for (int i = 0; i < s.length; i++) {
                double u = rnd.nextDouble();
                int b = 0;
                double c = p[i][0];
                while (b < 3 && u >= c) {
                    b++;
                    c += p[i][b];
                }
                s[i] = (byte) b;
            }
            if (fwd.score(s, 0) >= fwd.threshold()) {
                return s;
            }
        }
        for (int i = 0; i < s.length; i++) { // consensus: the best-scoring site
            int best = 0;
            for (int b = 1; b < 4; b++) {
                if (p[i][b] > p[i][best]) {
                    best = b;
                }
            }
            s[i] = (byte) best;
        }
        return s;
    }

    private static void writeFasta(Path fasta, Map<String, byte[]> seqs) {
        Path tmp = fasta.resolveSibling(fasta.getFileName() + ".tmp");
        try {
            Path parent = fasta.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean bgzip = fasta.getFileName().toString().endsWith(".gz");
            try (OutputStream out = bgzip ? new BlockCompressedOutputStream(tmp.toFile())
                    : new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                for (Map.Entry<String, byte[]> e : seqs.entrySet()) {
                    out.write(('>' + e.getKey() + '\n').getBytes(StandardCharsets.US_ASCII));
                    byte[] s = e.getValue();
                    for (int i = 0; i < s.length; i += LINE) {
                        out.write(s, i, Math.min(LINE, s.length - i));
                        out.write('\n');
                    }
                }
            }
            Files.move(tmp, fasta, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(fasta.resolveSibling(fasta.getFileName() + ".fai"));
            Files.deleteIfExists(fasta.resolveSibling(fasta.getFileName() + ".gzi"));
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new UncheckedIOException("cannot write " + fasta + ": " + e.getMessage(), e);
        }
    }

    /** Writes the planted sites as TSV: peak, tf, motif, chrom, start, end, strand, true_binding. */
    public static void writeSites(List<Site> sites, List<GenomicInterval> peaks, Path file) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("peak\ttf\tmotif\tchrom\tstart\tend\tstrand\ttrue_binding\n");
            for (Site s : sites) {
                w.write(String.join("\t", peaks.get(s.peak()).toString(), s.tf(), s.motifId(), s.chrom(),
                        Long.toString(s.start()), Long.toString(s.start() + s.width()), s.strand() > 0 ? "+" : "-",
                        Boolean.toString(s.trueBinding()).toLowerCase(Locale.ROOT)));
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
