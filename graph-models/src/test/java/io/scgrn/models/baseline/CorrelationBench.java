package io.scgrn.models.baseline;

import com.sun.management.OperatingSystemMXBean;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.Correlations;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Speed benchmark (not a test): the Pearson correlations of {@link CorrelationModel} by matrix products against
 * the dot-product loops they replaced (kept below as the baseline), on one synthetic cells × genes matrix, in the
 * same JVM run. Prints wall seconds of each (best of {@code reps}), their ratio and the largest |Δr|.
 *
 * <p>Usage: {@code CorrelationBench <cells> <genes> <tfs> [reps]}; see docs/benchmarks.md for the command line.
 */
public final class CorrelationBench {
    private CorrelationBench() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int g = Integer.parseInt(args[1]);
        int t = Integer.parseInt(args[2]);
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Random rnd = new Random(7);
        float[] v = new float[n * g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                // about 70 % zeros, log1p of small counts otherwise, as log-normalised scRNA-seq looks
                v[c * g + j] = rnd.nextDouble() < 0.7 ? 0 : (float) Math.log1p(1 + rnd.nextInt(20));
            }
        }
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            cells.add("c" + c);
        }
        List<String> genes = new ArrayList<>();
        for (int j = 0; j < g; j++) {
            genes.add("g" + j);
        }
        ExpressionMatrix data = new ExpressionMatrix(v, cells, genes);
        int[] tfIdx = IntStream.range(0, t).map(i -> (int) ((long) i * g / t)).toArray();
        System.out.printf("cells=%d genes=%d tfs=%d threads=%d%n", n, g, t,
                Runtime.getRuntime().availableProcessors());
        double bestOld = Double.MAX_VALUE;
        double bestNew = Double.MAX_VALUE;
        double[][] rOld = null;
        double[][] rNew = null;
        for (int rep = 0; rep < reps; rep++) {
            long t0 = cpu();
            rOld = dotProductBaseline(data, tfIdx);
            long t1 = cpu();
            double[][] blocks = Correlations.standardisedRowBlocks(data.values(), n, g, false);
            long t1b = cpu();
            rNew = Correlations.crossProducts(blocks, g, tfIdx, f -> { });
            long t2 = cpu();
            System.out.printf("  standardise %.2f s, product %.2f s%n", (t1b - t1) / 1e9, (t2 - t1b) / 1e9);
            bestOld = Math.min(bestOld, (t1 - t0) / 1e9);
            bestNew = Math.min(bestNew, (t2 - t1) / 1e9);
            System.out.printf("rep %d: dot products %.2f s, matrix product %.2f s%n", rep, (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9);
        }
        double maxDiff = 0;
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < g; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(rOld[i][j] - rNew[i][j]));
            }
        }
        System.out.printf("best: dot products %.2f s, matrix product %.2f s, speed-up %.1fx, max |dr| %.2e%n",
                bestOld, bestNew, bestOld / bestNew, maxDiff);
    }

    /** CPU nanoseconds of this process, all threads (native ones included): fair on a shared machine. */
    static long cpu() {
        return ((OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The implementation before the numerics package: standardised gene columns, one dot product per pair. */
    static double[][] dotProductBaseline(ExpressionMatrix data, int[] tfIdx) {
        int n = data.nCells();
        int g = data.nGenes();
        double[][] cols = new double[g][n];
        float[] v = data.values();
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                cols[j][c] = v[c * g + j];
            }
        }
        IntStream.range(0, g).parallel().forEach(j -> Correlations.standardiseUnitNorm(cols[j]));
        double[][] r = new double[tfIdx.length][];
        IntStream.range(0, tfIdx.length).parallel().forEach(t -> {
            double[] a = cols[tfIdx[t]];
            double[] row = new double[g];
            for (int j = 0; j < g; j++) {
                row[j] = Math.max(-1, Math.min(1, dot(a, cols[j])));
            }
            r[t] = row;
        });
        return r;
    }

    private static double dot(double[] a, double[] b) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int n = a.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
