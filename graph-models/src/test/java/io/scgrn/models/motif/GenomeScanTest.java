package io.scgrn.models.motif;

import htsjdk.samtools.util.BlockCompressedOutputStream;
import io.scgrn.models.ModelException;
import io.scgrn.models.atac.GenomicInterval;
import io.scgrn.models.atac.MotifTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenomeScanTest {
    @TempDir
    Path dir;

    private static MotifMatrix motif(String id) {
        return MotifDatabase.bundled().motifs().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    /** Most likely base of each column, as letters. */
    private static String consensus(MotifMatrix m) {
        StringBuilder sb = new StringBuilder();
        for (double[] c : m.counts()) {
            int best = 0;
            for (int b = 1; b < 4; b++) {
                if (c[b] > c[best]) {
                    best = b;
                }
            }
            sb.append("ACGT".charAt(best));
        }
        return sb.toString();
    }

    private static String revcomp(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = s.length() - 1; i >= 0; i--) {
            sb.append("TGCA".charAt("ACGT".indexOf(s.charAt(i))));
        }
        return sb.toString();
    }

    private static void writeFasta(Path f, Map<String, String> contigs, boolean bgzip, boolean gzip)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        contigs.forEach((name, seq) -> {
            sb.append('>').append(name).append(" some description\n");
            for (int i = 0; i < seq.length(); i += 60) {
                sb.append(seq, i, Math.min(seq.length(), i + 60)).append('\n');
            }
        });
        byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = bgzip ? new BlockCompressedOutputStream(f.toFile())
                : gzip ? new GZIPOutputStream(Files.newOutputStream(f)) : Files.newOutputStream(f)) {
            out.write(bytes);
        }
    }

    private static String random(int n, Random rnd) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append("ACGT".charAt(rnd.nextInt(4)));
        }
        return sb.toString();
    }

    @Test
    void plantedSitesInNsAreExactlyTheHits() {
        MotifMatrix ctcf = motif("MA0139.2");
        MotifMatrix gata = motif("MA0035.5");
        StringBuilder sb = new StringBuilder("N".repeat(400));
        record Site(int motif, int pos, int strand) {
        }
        List<Site> planted = List.of(new Site(0, 20, 1), new Site(0, 150, -1), new Site(1, 90, 1),
                new Site(1, 300, -1));
        for (Site s : planted) {
            String c = consensus(s.motif == 0 ? ctcf : gata);
            String site = s.strand > 0 ? c : revcomp(c);
            // Soft-masked (lowercase) like a repeat: still a site.
            if (s.pos == 150) {
                site = site.toLowerCase();
            }
            sb.replace(s.pos, s.pos + site.length(), site);
        }
        byte[] seq = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] enc = GenomeSequences.encode(seq, 0, seq.length);
        MotifScanner scanner = new MotifScanner(List.of(ctcf, gata), new double[] {0.3, 0.2, 0.2, 0.3}, 1e-4);
        Set<Site> found = new HashSet<>();
        for (MotifScanner.Hit h : scanner.hits(enc)) {
            found.add(new Site(h.motif(), h.position(), h.strand()));
        }
        for (Site s : planted) {
            assertTrue(found.contains(s), "planted " + s + " found, hits " + found);
        }
        Set<Integer> positions = new HashSet<>();
        planted.forEach(s -> positions.add(s.pos));
        for (Site f : found) {
            assertTrue(positions.contains(f.pos), "hit " + f + " is at a planted position");
        }
        // The best-hit scan agrees: both motifs hit the sequence.
        ScanHits best = scanner.scan(new byte[][] {enc, GenomeSequences.encode("NNNN".getBytes(), 0, 4)}, null);
        assertArrayEquals(new int[] {0, 0}, best.peak());
        assertArrayEquals(new int[] {0, 1}, best.motif());
    }

    @Test
    void readsPlainBgzipAndGzipFastaAliasingChromosomeNames() throws IOException {
        Random rnd = new Random(7);
        Map<String, String> contigs = new LinkedHashMap<>();
        contigs.put("1", random(3000, rnd).substring(0, 1000) + random(2000, rnd).toLowerCase());
        contigs.put("MT", random(500, rnd));
        List<GenomicInterval> peaks = List.of(new GenomicInterval("chr1", 100, 400),
                new GenomicInterval("chr1", 900, 1300), new GenomicInterval("chrM", 10, 200),
                new GenomicInterval("chr1", 2900, 3100));
        byte[][] expected = new byte[peaks.size()][];
        for (int i = 0; i < peaks.size(); i++) {
            GenomicInterval p = peaks.get(i);
            String s = contigs.get(p.chrom().equals("chrM") ? "MT" : "1");
            int end = (int) Math.min(p.end(), s.length());
            expected[i] = GenomeSequences.encode(s.getBytes(StandardCharsets.US_ASCII), (int) p.start(), end);
        }
        assertEquals(100, expected[3].length, "the overhanging peak is clipped at the contig end");
        int k = 0;
        for (boolean[] kind : new boolean[][] {{false, false}, {true, false}, {false, true}}) {
            Path fa = dir.resolve("g" + k++ + (kind[0] || kind[1] ? ".fa.gz" : ".fa"));
            writeFasta(fa, contigs, kind[0], kind[1]);
            byte[][] got = GenomeSequences.fetch(fa, peaks, dir.resolve("idx"));
            for (int i = 0; i < peaks.size(); i++) {
                assertArrayEquals(expected[i], got[i], fa + " peak " + i);
            }
            if (!kind[1]) {
                assertTrue(Files.exists(Path.of(fa + ".fai")), ".fai built next to " + fa);
            }
            if (kind[0]) {
                assertTrue(Files.exists(Path.of(fa + ".gzi")), ".gzi built next to " + fa);
            }
        }
    }

    @Test
    void badGenomesGiveOneLineErrors() throws IOException {
        Path fa = dir.resolve("g.fa");
        writeFasta(fa, Map.of("chr1", "ACGT".repeat(100)), false, false);
        MotifInputException e = assertThrows(MotifInputException.class, () -> GenomeSequences.fetch(fa,
                List.of(new GenomicInterval("chr1", 0, 10), new GenomicInterval("chr9", 0, 10),
                        new GenomicInterval("chrUn_x", 0, 10)), null));
        assertTrue(e.getMessage().contains("no contig for 2 of the 3 peak chromosomes: chr9, chrUn_x")
                && e.getMessage().contains("its contigs: chr1"), e.getMessage());
        e = assertThrows(MotifInputException.class, () -> GenomeSequences.fetch(fa,
                List.of(new GenomicInterval("chr1", 500, 600)), null));
        assertTrue(e.getMessage().contains("starts beyond the end of contig chr1 (400 bases)"), e.getMessage());
        Path gz = dir.resolve("g2.fa.gz");
        writeFasta(gz, Map.of("chr1", "ACGT".repeat(100)), false, true);
        e = assertThrows(MotifInputException.class, () -> GenomeSequences.fetch(gz,
                List.of(new GenomicInterval("2", 0, 10)), null));
        assertTrue(e.getMessage().contains("no contig for 1 of the 1 peak chromosomes: 2"), e.getMessage());
        Path notFasta = dir.resolve("x.fa");
        Files.writeString(notFasta, "hello\nworld\n");
        e = assertThrows(MotifInputException.class, () -> GenomeSequences.fetch(notFasta,
                List.of(new GenomicInterval("chr1", 0, 10)), null));
        assertTrue(e.getMessage().contains("not a FASTA"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void scanIsCachedAndMapsDimersAndCaseToTfs() throws IOException {
        Random rnd = new Random(3);
        MotifMatrix ctcf = motif("MA0139.2");
        MotifMatrix dimer = motif("MA0142.1"); // Pou5f1::Sox2
        String g = random(5000, rnd);
        StringBuilder sb = new StringBuilder(g);
        sb.replace(200, 200 + ctcf.width(), consensus(ctcf));
        sb.replace(1200, 1200 + dimer.width(), revcomp(consensus(dimer)));
        Path fa = dir.resolve("genome.fa");
        writeFasta(fa, Map.of("chr1", sb.toString()), false, false);
        List<GenomicInterval> peaks = List.of(new GenomicInterval("chr1", 100, 400),
                new GenomicInterval("chr1", 1100, 1400), new GenomicInterval("chr1", 3000, 3300));
        MotifDatabase db = new MotifDatabase(List.of(ctcf, dimer), "test", "abc");
        Path cache = dir.resolve("cache");
        MotifScan.Result r1 = MotifScan.run(fa, peaks, db, 1e-5, cache, null);
        assertFalse(r1.fromCache());
        MotifScan.Result r2 = MotifScan.run(fa, peaks, db, 1e-5, cache, null);
        assertTrue(r2.fromCache());
        assertArrayEquals(r1.hits().peak(), r2.hits().peak());
        assertArrayEquals(r1.hits().log10p(), r2.hits().log10p());
        assertFalse(MotifScan.run(fa, peaks, db, 1e-4, cache, null).fromCache(), "another p-value, another key");

        MotifTable t = MotifScan.toMotifTable(r1, List.of("Ctcf", "POU5F1", "Sox2", "GATA1"));
        assertTrue(t.hits().get(0).containsKey("Ctcf"), "case-insensitive: " + t.hits());
        assertTrue(t.hits().get(1).containsKey("POU5F1") && t.hits().get(1).containsKey("Sox2"),
                "a dimer counts for both: " + t.hits());
        ModelException e = assertThrows(ModelException.class, () -> MotifScan.toMotifTable(r1,
                List.of("TF01", "TF02")));
        assertTrue(e.getMessage().contains("names one of the 2 candidate TFs"), e.getMessage());
    }

    @Test
    void peakLevelScoreFollowsTheChanceOfAHitInThePeak() {
        GenomicInterval peak = new GenomicInterval("chr1", 0, 500);
        assertEquals(0.01, MotifScan.peakScore(4, peak, 1, 2), 0.01);
        assertEquals(0.5, MotifScan.peakScore(5, peak, 1, 2), 0.01);
        assertEquals(1.0, MotifScan.peakScore(6, peak, 1, 2), 0.01);
        assertEquals(1.0, MotifScan.peakScore(12, peak, 1, 2), 0);
        assertTrue(MotifScan.peakScore(5, new GenomicInterval("chr1", 0, 5000), 1, 2) < 0.1, "longer peak, weaker");
    }

    @Test
    void perTfMotifCountEntersTheWholePeakChance() {
        double[][] counts = {{10, 0, 0, 0}, {0, 10, 0, 0}, {0, 0, 10, 0}, {0, 0, 0, 10}};
        // GATA1 is named by three matrices (two of its own, one dimer), TAL1 by one.
        MotifDatabase db = new MotifDatabase(List.of(new MotifMatrix("M1", "GATA1", counts),
                new MotifMatrix("M2", "GATA1(var.2)", counts), new MotifMatrix("M3", "TAL1::GATA1", counts)),
                "test", "abc");
        // Peak 0: M1 at p = 1e-5; peak 1: the dimer M3 at p = 1e-6. Both peaks 500 bp: 1,000 positions × strands.
        ScanHits hits = new ScanHits(new int[] {0, 1}, new int[] {0, 2}, new float[] {5, 6});
        MotifScan.Result r = new MotifScan.Result(db, hits, new double[] {0.25, 0.25, 0.25, 0.25}, 1e-4, false,
                null);
        List<GenomicInterval> peaks = List.of(new GenomicInterval("chr1", 0, 500),
                new GenomicInterval("chr1", 1000, 1500));
        MotifTable one = MotifScan.toMotifTable(r, List.of("GATA1", "TAL1"), peaks, 1, 2, false);
        MotifTable all = MotifScan.toMotifTable(r, List.of("GATA1", "TAL1"), peaks, 1, 2, true);
        // score = clamp((−log10(1 − (1 − p)^n) − 1) / 2, 0, 1) with n = 1,000 × (motifs of the TF)
        double gata1Peak0 = (-Math.log10(-Math.expm1(3000 * Math.log1p(-1e-5))) - 1) / 2;
        double gata1Peak1 = Math.min(1, (-Math.log10(-Math.expm1(3000 * Math.log1p(-1e-6))) - 1) / 2);
        double tal1Peak1 = Math.min(1, (-Math.log10(-Math.expm1(1000 * Math.log1p(-1e-6))) - 1) / 2);
        assertEquals(0.2646, gata1Peak0, 1e-4, "hand value: p_peak = 0.0295");
        assertEquals(gata1Peak0, all.hits().get(0).get("GATA1"), 1e-6);
        assertEquals(gata1Peak1, all.hits().get(1).get("GATA1"), 1e-6);
        assertEquals(tal1Peak1, all.hits().get(1).get("TAL1"), 1e-6);
        assertEquals(Set.of("GATA1"), all.hits().get(0).keySet(), "TAL1 has no hit in peak 0");
        // Without the count, every TF is scored as one matrix (the old scoring): p = 1e-5 → 0.50.
        assertEquals(MotifScan.peakScore(5, peaks.get(0), 1, 2), one.hits().get(0).get("GATA1"), 1e-12);
        assertEquals(0.501, one.hits().get(0).get("GATA1"), 1e-3);
        assertEquals(tal1Peak1, one.hits().get(1).get("TAL1"), 1e-6);
    }

    @Test
    void backgroundIsStrandSymmetric() {
        double[] bg = MotifScanner.background(new byte[][] {{0, 0, 0, 1, 4}});
        assertEquals(bg[0], bg[3], 1e-12);
        assertEquals(bg[1], bg[2], 1e-12);
        assertEquals(1, bg[0] + bg[1] + bg[2] + bg[3], 1e-12);
        assertTrue(bg[0] > bg[1]);
    }
}
