package io.scgrn.anndata.bench;

import com.sun.management.OperatingSystemMXBean;
import io.jhdf.api.Group;
import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.H5adWriter;
import io.scgrn.anndata.Matrix;
import io.scgrn.anndata.MatrixBlocks;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.anndata.read.H5Files;
import io.scgrn.anndata.read.SparseReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Read benchmark for io-anndata (not a unit test: run through {@code bench/read-benchmark.sh}). One mode per
 * JVM, so each gets its own heap limit and its own peak-heap figure:
 * <ul>
 *   <li>{@code full FILE}: {@link AnnDataFiles#readH5ad} (X into CSR plus obs, var, …), timed;
 *   <li>{@code x FILE}: only X, through {@link SparseReader#read} (the same code path, without obs/var);
 *   <li>{@code stream FILE [blockRows]}: X in blocks of rows through {@link MatrixBlocks#rowBlocks}, holding one
 *       block at a time (meant for -Xmx512m);
 *   <li>{@code write FILE}: X is read (not timed), then {@link H5adWriter} writes it with an index-only obs/var
 *       to {@code FILE.rewrite.h5ad} with default options (gzip 4); the time and peak heap are the write's.
 * </ul>
 * Each run prints one line {@code RESULT mode=… seconds=… cpuSeconds=… nnz=… sum=… peakHeapMiB=… retainedMiB=…
 * csrMiB=… blockMiB=…}; sum is
 * the sum of all stored values (and of all column indices), so the modes and Python can be checked against each
 * other. Peak heap is the sum of the heap pools' peaks since the measurement started (an upper bound: pools may
 * peak at different moments); retained is the heap in use after a full GC with the result still referenced.
 */
public final class ReadBenchmark {
    private ReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ReadBenchmark full|x|stream|write FILE [blockRows] [repeats]");
            System.exit(2);
        }
        String mode = args[0];
        Path file = Path.of(args[1]);
        int blockRows = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        if (mode.equals("write")) {
            preloaded = (SparseMatrix) xOnly(file).keep();
        }
        for (int r = 0; r < repeats; r++) {
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            Result res = switch (mode) {
                case "full" -> full(file);
                case "x" -> xOnly(file);
                case "stream" -> stream(file, blockRows);
                case "write" -> write(file);
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            };
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - c0) / 1e9;
            long peak = peakHeap();
            System.gc();
            long retained = usedHeap();
            // keep the result reachable until the retained heap is measured
            System.out.printf(Locale.ROOT, "RESULT mode=%s run=%d seconds=%.3f cpuSeconds=%.3f nnz=%d sum=%.1f "
                            + "indexSum=%d peakHeapMiB=%.1f retainedMiB=%.1f csrMiB=%.1f blockMiB=%.1f "
                            + "maxHeapMiB=%.0f cpus=%d%n",
                    mode, r + 1, secs, cpu, res.nnz, res.sum, res.indexSum, mib(peak), mib(retained),
                    mib(res.csrBytes), mib(res.blockBytes), mib(Runtime.getRuntime().maxMemory()),
                    Runtime.getRuntime().availableProcessors());
            if (res.keep == null && res.nnz < 0) {
                System.out.println("unreachable");
            }
        }
    }

    /**
     * What a mode read: checksums, the size of the whole CSR in memory (data float32/float64 + int32 indices +
     * int64 indptr) and, for streaming, of the largest block held at once.
     */
    private record Result(long nnz, double sum, long indexSum, long csrBytes, long blockBytes, Object keep) {
    }

    private static Result full(Path file) {
        AnnData a = AnnDataFiles.readH5ad(file);
        return of((SparseMatrix) a.x(), a);
    }

    private static Result xOnly(Path file) {
        SparseMatrix m = H5Files.withFile(file, ctx -> {
            Group g = ctx.group("/X");
            return SparseReader.read(ctx, g, SparseMatrix.Layout.CSR, ctx.attrLongs(g, "shape"));
        });
        return of(m, m);
    }

    /** X for the write mode, read before the timed runs. */
    private static SparseMatrix preloaded;

    private static Result write(Path file) {
        SparseMatrix m = preloaded;
        List<String> cells = new ArrayList<>(m.nRows());
        for (int i = 0; i < m.nRows(); i++) {
            cells.add("cell" + i);
        }
        List<String> genes = new ArrayList<>(m.nCols());
        for (int j = 0; j < m.nCols(); j++) {
            genes.add("gene" + j);
        }
        Path out = file.resolveSibling(file.getFileName() + ".rewrite.h5ad");
        H5adWriter.of(DataFrame.empty(cells), DataFrame.empty(genes)).x(m).write(out);
        Result r = of(m, m);
        try {
            System.out.printf(Locale.ROOT, "WROTE %s bytes=%d%n", out, Files.size(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    private static Result of(SparseMatrix m, Object keep) {
        double sum = 0;
        NumArray d = m.data();
        for (int i = 0; i < d.length(); i++) {
            sum += d.get(i);
        }
        long isum = 0;
        for (int v : m.indices()) {
            isum += v;
        }
        long csr = d.bytes() + 4L * m.indices().length + 8L * m.indptr().length;
        return new Result(m.nnz(), sum, isum, csr, csr, keep);
    }

    /**
     * Streams X with {@link MatrixBlocks#rowBlocks}: the path a caller takes when X does not fit the heap. Only
     * indptr and one block (a CSR slice of data and indices) are in memory at a time.
     */
    private static Result stream(Path file, int blockRows) {
        try (MatrixBlocks blocks = MatrixBlocks.openMain(file)) {
            double sum = 0;
            long isum = 0;
            long maxBlockBytes = 0;
            long nnz = 0;
            for (Matrix block : blocks.rowBlocks(blockRows)) {
                SparseMatrix m = (SparseMatrix) block;
                NumArray values = m.data();
                int[] cols = m.indices();
                long bytes = values.bytes() + 4L * cols.length + 8L * m.indptr().length;
                maxBlockBytes = Math.max(maxBlockBytes, bytes);
                for (int i = 0; i < cols.length; i++) {
                    sum += values.get(i);
                    isum += cols[i];
                }
                nnz += cols.length;
            }
            long valueBytes = blocks.dtype().fitsFloat() ? 4 : 8;
            long csr = nnz * (valueBytes + 4) + 8L * (blocks.nRows() + 1L);
            return new Result(nnz, sum, isum, csr, maxBlockBytes, null);
        }
    }

    /** CPU time of the whole process (all threads, GC and JIT included), comparable with Python's process_time. */
    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
