package io.scgrn.spark;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.ModelProvider;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.baseline.CorrelationModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Test scope only (registered in this module's test resources, so on the class path of the test's driver and of
 * the executors, which load the test classes too): model {@code gated}, which is {@code pearson} except that the
 * first call anywhere — across every process that shares the folder given as parameter {@code gate} — writes its
 * process id to {@code gate/}{@value #PID} and then never returns, so that a test can kill the process running it
 * while the task is known to be mid-way. Every later call (the retried attempt, the local reference run) claims
 * nothing and returns pearson's network.
 */
public final class GatedModels implements ModelProvider {
    /** Written (atomically) by the blocked first call: the pid of the process it blocks. */
    public static final String PID = "first-call.pid";
    /** Created (atomically) by the first call, so exactly one call blocks. */
    static final String CLAIM = "first-call.claim";

    @Override
    public Map<String, Supplier<GrnModel>> models() {
        return Map.of("gated", Gated::new);
    }

    static final class Gated implements GrnModel {
        @Override
        public String name() {
            return "gated";
        }

        @Override
        public void checkParams(Map<String, String> params) {
            if (!params.containsKey("gate")) {
                throw new ModelException("params", "gated needs parameter 'gate' (a folder)");
            }
            CorrelationModel.pearson().checkParams(withoutGate(params));
        }

        @Override
        public Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
            checkParams(options.params());
            Path gate = Path.of(options.params().get("gate"));
            if (claim(gate)) {
                try {
                    Path tmp = gate.resolve(PID + ".tmp");
                    Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
                    Files.move(tmp, gate.resolve(PID), StandardCopyOption.ATOMIC_MOVE);
                    // mid-task until the test kills this process (a bounded wait, so a broken test cannot leave it)
                    new CountDownLatch(1).await(10, TimeUnit.MINUTES);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the gated first call was not killed");
            }
            return CorrelationModel.pearson().infer(data, tfs, new InferenceOptions(options.seed(), options.device(),
                    withoutGate(options.params()), options.prior()), progress);
        }

        private static boolean claim(Path gate) {
            try {
                Files.createFile(gate.resolve(CLAIM));
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Map<String, String> withoutGate(Map<String, String> params) {
            Map<String, String> m = new HashMap<>(params);
            m.remove("gate");
            return m;
        }
    }
}
