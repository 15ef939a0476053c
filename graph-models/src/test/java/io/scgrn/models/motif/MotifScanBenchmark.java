package io.scgrn.models.motif;

import com.sun.management.OperatingSystemMXBean;
import io.scgrn.models.atac.GenomicInterval;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scan speed and memory at genome scale (a benchmark, not a test): writes a synthetic genome (i.i.d. bases, GC 41 %,
 * {@code contigs} × {@code contigMb} Mb, soft-masked in parts, with N runs), places {@code peaks} peaks of
 * {@code width} bp at random, and scans them with the bundled JASPAR database (879 motifs), reporting wall time,
 * process CPU time and peak heap for each phase.
 *
 * <pre>
 * mvn -q -o -B test-compile -pl graph-models -am
 * java -Xmx4g -cp "graph-models/target/classes:graph-models/target/test-classes:$(cat cp.txt)" \
 *     io.scgrn.models.motif.MotifScanBenchmark 100000 500 /tmp/motif-bench
 * </pre>
 */
public final class MotifScanBenchmark {
    private MotifScanBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nPeaks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int width = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path dir = Path.of(args.length > 2 ? args[2] : "/tmp/motif-bench");
        int contigs = 20;
        int contigMb = 5;
        Files.createDirectories(dir);
        Path fa = dir.resolve("synthetic.fa");
        SplittableRandom rnd = new SplittableRandom(42);
        if (!Files.exists(fa)) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(fa), 1 << 20)) {
                byte[] line = new byte[61];
                line[60] = '\n';
                for (int c = 1; c <= contigs; c++) {
                    out.write((">chr" + c + "\n").getBytes());
                    for (int l = 0; l < contigMb * 1_000_000 / 60; l++) {
                        boolean soft = l % 100 < 10;
                        boolean n = l % 1000 == 999;
                        for (int i = 0; i < 60; i++) {
                            double u = rnd.nextDouble();
                            char b = n ? 'N' : u < 0.295 ? 'A' : u < 0.5 ? 'C' : u < 0.705 ? 'G' : 'T';
                            line[i] = (byte) (soft ? Character.toLowerCase(b) : b);
                        }
                        out.write(line);
                    }
                }
            }
        }
        long contigLen = contigMb * 1_000_000L / 60 * 60;
        List<GenomicInterval> peaks = new ArrayList<>(nPeaks);
        for (int i = 0; i < nPeaks; i++) {
            long s = rnd.nextLong(contigLen - width);
            peaks.add(new GenomicInterval("chr" + (1 + rnd.nextInt(contigs)), s, s + width));
        }
        MotifDatabase db = MotifDatabase.bundled();
        System.out.printf("genome %d x %d Mb, %d peaks x %d bp, %d motifs, %d processors%n", contigs, contigMb,
                nPeaks, width, db.motifs().size(), Runtime.getRuntime().availableProcessors());
        Files.deleteIfExists(dir.resolve("synthetic.fa.fai"));
        long[] t = mark();
        byte[][] seqs = GenomeSequences.fetch(fa, peaks, dir);
        report("read (incl. .fai build)", t);
        t = mark();
        double[] bg = MotifScanner.background(seqs);
        MotifScanner scanner = new MotifScanner(db.motifs(), bg, MotifScan.DEFAULT_P);
        report("thresholds (879 motifs)", t);
        t = mark();
        ScanHits hits = scanner.scan(seqs, null);
        report("scan", t);
        System.out.printf("%d (peak, motif) hits; %.1f per peak%n", hits.size(), hits.size() / (double) nPeaks);
        long heap = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                heap += p.getPeakUsage().getUsed();
            }
        }
        System.out.printf("peak heap used (sum of pool peaks): %.0f MB%n", heap / 1e6);
    }

    private static long[] mark() {
        return new long[] {System.nanoTime(), cpu()};
    }

    private static long cpu() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void report(String what, long[] t) {
        System.out.printf("%-26s wall %7.1f s   process CPU %7.1f s   load %.1f%n", what,
                (System.nanoTime() - t[0]) / 1e9, (cpu() - t[1]) / 1e9,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
