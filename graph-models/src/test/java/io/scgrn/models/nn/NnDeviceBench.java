package io.scgrn.models.nn;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Network;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CPU against GPU in one JVM (not a test): each model on the {@link NnScaleBench} synthetic matrix, once per device,
 * with per-phase wall time, per-epoch training time and the overlap of the two networks' top edges. Usage:
 * {@code NnDeviceBench <model,model,...> <cells>x<genes>x<tfs>[:device+device][,...] [cpu,gpu]} (a size's own device list,
 * e.g. {@code 20000x5000x500:gpu}, replaces the default for that size). Run it where PyTorch sees a GPU
 * (docs/gpu.md); the first GPU use (CUDA context, kernels) is timed apart on a small warm-up run so that it does not
 * count against the first model.
 */
public final class NnDeviceBench {
    private NnDeviceBench() {
    }

    public static void main(String[] args) {
        List<String> models = List.of(args[0].split(","));
        List<String> sizes = List.of(args[1].split(","));
        List<String> devices = List.of((args.length > 2 ? args[2] : "cpu,gpu").split(","));
        for (String device : devices) {
            long t0 = System.nanoTime();
            new GnnModel().infer(NnScaleBench.synthetic(200, 60), Synthetic.names("g", 10),
                    new InferenceOptions(0, device, Map.of(), List.of()), new NnProfileBench.Timer());
            System.out.printf(Locale.ROOT, "warm-up %s (engine start, first kernels): %.2f s%n", device,
                    (System.nanoTime() - t0) / 1e9);
        }
        for (String size : sizes) {
            String[] spec = size.split(":");
            List<String> on = spec.length > 1 ? List.of(spec[1].split("\\+")) : devices;
            String[] d = spec[0].split("x");
            int n = Integer.parseInt(d[0]);
            int g = Integer.parseInt(d[1]);
            int t = Integer.parseInt(d[2]);
            ExpressionMatrix data = NnScaleBench.synthetic(n, g);
            List<String> tfs = Synthetic.names("g", t);
            for (String name : models) {
                Network first = null;
                for (String device : on) {
                    GrnModel model = NnBench.model(name);
                    NnProfileBench.Timer timer = new NnProfileBench.Timer();
                    long t0 = System.nanoTime();
                    Network net = model.infer(data, tfs, new InferenceOptions(0, device, Map.of(), List.of()), timer);
                    timer.phase("end");
                    double secs = (System.nanoTime() - t0) / 1e9;
                    double train = timer.phases.getOrDefault("train", 0L) / 1e9;
                    int epochs = Math.max(1, timer.lastEpoch);
                    String overlap = first == null ? "" : String.format(Locale.ROOT, ", top-%d overlap with %s %.3f",
                            g, on.get(0), overlap(first, net, g));
                    System.out.printf(Locale.ROOT, "%-7s %s %-3s total %7.2f s, train %7.2f s, %d epochs, %7.1f ms"
                            + "/epoch, last loss %.4f%s%n", name, spec[0], device, secs, train, timer.lastEpoch,
                            1000 * train / epochs, timer.lastLoss, overlap);
                    timer.phases.forEach((k, v) -> System.out.printf(Locale.ROOT, "          phase %-8s %7.2f s%n", k,
                            v / 1e9));
                    if (first == null) {
                        first = net;
                    }
                }
            }
        }
    }

    /** Share of {@code a}'s top {@code k} edges that are also among {@code b}'s top {@code k}. */
    static double overlap(Network a, Network b, int k) {
        Set<String> top = new HashSet<>();
        for (Edge e : a.top(k).edges()) {
            top.add(e.tf() + '\t' + e.target());
        }
        int hit = 0;
        List<Edge> other = b.top(k).edges();
        for (Edge e : other) {
            if (top.contains(e.tf() + '\t' + e.target())) {
                hit++;
            }
        }
        return top.isEmpty() ? Double.NaN : hit / (double) Math.min(top.size(), other.size());
    }
}
