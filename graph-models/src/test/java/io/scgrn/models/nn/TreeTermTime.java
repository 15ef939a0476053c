package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.Progress;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark driver (not a test): what crowd's tree term ({@code w-tree}, {@link CrowdModel#trees}, 50 trees per
 * target) costs on the shared benchmark sets, in wall seconds and process CPU seconds (all threads: the targets are
 * fitted in parallel). Usage: {@code TreeTermTime <benchmarkDir> <set> [set ...]}; each set is measured twice in a row
 * (the first includes class loading and JIT warm-up).
 */
public final class TreeTermTime {
    private TreeTermTime() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int a = 1; a < args.length; a++) {
            Path dir = root.resolve(args[a]);
            ExpressionMatrix data = NnBench.readH5ad(dir.resolve("data.h5ad"));
            List<String> tfs = Files.readAllLines(dir.resolve("tfs.txt")).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            int[] tfIdx = ModelInputs.tfIndices(data, tfs);
            for (int run = 1; run <= 2; run++) {
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                CrowdModel.trees(data, tfIdx, 50, 0, Progress.NONE);
                System.out.printf(Locale.ROOT, "%-34s %6d cells %5d genes %4d TFs  run %d: %6.2f s wall %6.2f CPU-s%n",
                        args[a], data.nCells(), data.nGenes(), tfIdx.length, run, (System.nanoTime() - t0) / 1e9,
                        (os.getProcessCpuTime() - cpu0) / 1e9);
            }
        }
    }
}
