package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Progress;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training profile (not a test): the {@link NnScaleBench} synthetic matrix run through a model, timing each phase
 * and the training epochs from the {@link Progress} callbacks. Usage:
 * {@code NnProfileBench <model> <cells> <genes> <tfs> [key=value ...]}. Run it under JFR to split the training
 * time into Java and native (see docs/benchmarks.md, "DJL training profile").
 */
public final class NnProfileBench {
    private NnProfileBench() {
    }

    public static void main(String[] args) {
        GrnModel model = NnBench.model(args[0]);
        int n = Integer.parseInt(args[1]);
        int g = Integer.parseInt(args[2]);
        int t = Integer.parseInt(args[3]);
        Map<String, String> params = new HashMap<>();
        for (int i = 4; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            params.put(kv[0], kv[1]);
        }
        ExpressionMatrix data = NnScaleBench.synthetic(n, g);
        List<String> tfs = Synthetic.names("g", t);
        Timer timer = new Timer();
        long t0 = System.nanoTime();
        model.infer(data, tfs, new InferenceOptions(0, "cpu", params, List.of()), timer);
        timer.phase("end");
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%s %d cells x %d genes x %d TFs: total %.2f s%n", args[0], n, g, t, secs);
        timer.phases.forEach((k, v) -> System.out.printf(Locale.ROOT, "  phase %-6s %.2f s wall, %.2f s CPU%n", k,
                v / 1e9, timer.cpu.get(k) / 1e9));
        double train = timer.phases.getOrDefault("train", 0L) / 1e9;
        double trainCpu = timer.cpu.getOrDefault("train", 0L) / 1e9;
        int epochs = Math.max(1, timer.lastEpoch);
        System.out.printf(Locale.ROOT, "  epochs %d, per epoch %.1f ms wall, %.1f ms CPU of the training thread,"
                + " progress reports %d, last loss %.4f%n", timer.lastEpoch, 1000 * train / epochs,
                1000 * trainCpu / epochs, timer.reports, timer.lastLoss);
    }

    /**
     * Wall time and CPU time of the calling (training) thread per phase, from one phase call to the next, and the
     * last epoch reported. With one intra-op engine thread the native kernels run on the calling thread, so its
     * CPU time is the training's cost whatever the machine's load.
     */
    static final class Timer implements Progress {
        private final ThreadMXBean threads =
                ManagementFactory.getThreadMXBean();
        final Map<String, Long> phases = new LinkedHashMap<>();
        final Map<String, Long> cpu = new LinkedHashMap<>();
        String current;
        long since = System.nanoTime();
        long cpuSince = threads.getCurrentThreadCpuTime();
        int lastEpoch;
        int reports;
        double lastLoss = Double.NaN;

        @Override
        public synchronized void phase(String name) {
            long now = System.nanoTime();
            long cpuNow = threads.getCurrentThreadCpuTime();
            if (current != null) {
                phases.merge(current, now - since, Long::sum);
                cpu.merge(current, cpuNow - cpuSince, Long::sum);
            }
            current = name;
            since = now;
            cpuSince = cpuNow;
        }

        @Override
        public synchronized void epoch(int epoch, int total, double loss) {
            lastEpoch = epoch;
            lastLoss = loss;
            reports++;
        }
    }
}
