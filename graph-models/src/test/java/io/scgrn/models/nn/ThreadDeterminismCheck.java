package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Crowd three times in one JVM on a benchmark set (the main thread first, the same thread again, a new thread):
 * whether a thread's history changes the network (docs/benchmarks.md, "Engine threads (lead, session 9)").
 *
 * <pre>java -Dai.djl.pytorch.num_threads=1 -cp CP io.scgrn.models.nn.ThreadDeterminismCheck SET_DIR</pre>
 */
public final class ThreadDeterminismCheck {
    private ThreadDeterminismCheck() {
    }

    public static void main(String[] a) throws Exception {
        ExpressionMatrix x = NnBench.readH5ad(Path.of(a[0], "data.h5ad"));
        List<String> tfs = Files.readAllLines(Path.of(a[0], "tfs.txt")).stream().map(String::trim)
                .filter(s -> !s.isEmpty() && x.genes().contains(s)).toList();
        InferenceOptions o = new InferenceOptions(0, "cpu", Map.of(), List.of());
        Network first = new CrowdModel().infer(x, tfs, o, Progress.NONE);
        Network second = new CrowdModel().infer(x, tfs, o, Progress.NONE);
        Network[] other = new Network[1];
        Thread t = new Thread(() -> other[0] = new CrowdModel().infer(x, tfs, o, Progress.NONE));
        t.start();
        t.join();
        System.out.println("first == second (same thread, reused): " + first.edges().equals(second.edges()));
        System.out.println("first == fresh thread: " + first.edges().equals(other[0].edges()));
        System.out.println("second == fresh thread: " + second.edges().equals(other[0].edges()));
    }
}
