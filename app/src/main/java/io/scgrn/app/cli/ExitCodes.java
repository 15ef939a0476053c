package io.scgrn.app.cli;

import io.scgrn.anndata.AnnDataException;
import io.scgrn.app.batch.ClusterBackend;
import io.scgrn.app.errors.BadRequestException;
import io.scgrn.app.errors.DeviceUnavailableException;
import io.scgrn.app.errors.InsufficientMemoryException;
import io.scgrn.models.ModelException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import io.scgrn.models.motif.MotifInputException;
import picocli.CommandLine;

/** The exit codes of every scgrn command, and which exception gives which. */
public final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int BATCH_TASK_FAILED = 3;
    public static final int INPUT_INVALID = 4;
    public static final int DATA_UNSUITABLE = 5;
    public static final int OUT_OF_MEMORY = 6;
    /** {@code --device gpu} where no GPU can be used (docs/gpu.md). */
    public static final int DEVICE_UNAVAILABLE = 7;
    /** The Spark cluster ({@code --spark}) cannot be reached, lost the application, or cannot use the output. */
    public static final int CLUSTER = 8;
    public static final int INTERRUPTED = 130;

    /** The help section listing the codes (as picocli's exitCodeList expects it). */
    public static Map<String, String> helpList() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(pad(OK), "success");
        m.put(pad(INTERNAL), "internal error (a bug: run again with -v and report the stack trace)");
        m.put(pad(USAGE), "usage error or bad parameter");
        m.put(pad(BATCH_TASK_FAILED), "some batch task failed (the others completed)");
        m.put(pad(INPUT_INVALID), "an input file is unreadable or invalid");
        m.put(pad(DATA_UNSUITABLE), "the data is unsuitable (no TFs, fewer than 2 cells, NaN values, ...)");
        m.put(pad(OUT_OF_MEMORY), "not enough memory (try --prep stream=on or a larger heap)");
        m.put(pad(DEVICE_UNAVAILABLE), "--device gpu, but no GPU can be used (see docs/gpu.md)");
        m.put(pad(CLUSTER), "the cluster (--spark) cannot be reached, lost the application, or cannot use the output folder");
        m.put(pad(INTERRUPTED), "interrupted (Ctrl-C or cancelled)");
        return m;
    }

    private static String pad(int code) {
        return String.format("%3d", code);
    }

    @Override
    public int getExitCode(Throwable t) {
        return code(t);
    }

    /** The exit code for a failure, looking through wrapping exceptions to the first one we know. */
    public static int code(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InsufficientMemoryException || c instanceof OutOfMemoryError) {
                return OUT_OF_MEMORY;
            }
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof DeviceUnavailableException) {
                return DEVICE_UNAVAILABLE;
            }
            if (c instanceof CommandLine.ParameterException || c instanceof BadRequestException) {
                return USAGE;
            }
            if (c instanceof AnnDataException || c instanceof MotifInputException) {
                return INPUT_INVALID;
            }
            if (c instanceof ModelException) {
                return DATA_UNSUITABLE;
            }
            if (c instanceof ClusterBackend.ClusterException) {
                return CLUSTER;
            }
            if (c instanceof CancellationException || c instanceof InterruptedException) {
                return INTERRUPTED;
            }
        }
        return INTERNAL;
    }

    /** The exception whose message the user should see: the first known one in the cause chain, else the top. */
    public static Throwable userFacing(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BadRequestException || c instanceof AnnDataException || c instanceof ModelException
                    || c instanceof InsufficientMemoryException
                    || c instanceof ClusterBackend.ClusterException) {
                return c;
            }
        }
        return t;
    }
}
