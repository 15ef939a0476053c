package io.scgrn.app;

import io.scgrn.app.cli.BatchCommand;
import io.scgrn.app.cli.BenchCommand;
import io.scgrn.app.cli.EvaluateCommand;
import io.scgrn.app.cli.ExitCodes;
import io.scgrn.app.cli.InferCommand;
import io.scgrn.app.cli.InspectCommand;
import io.scgrn.app.cli.PerturbCommand;
import io.scgrn.app.cli.ServeCommand;
import io.scgrn.app.cli.SimulateCommand;
import io.scgrn.app.run.Versions;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code scgrn} command. The only class that calls {@link System#exit}; everything else returns exit codes
 * (see {@link ExitCodes}) so that tests can run commands through {@link #commandLine()} with captured output.
 */
@Command(name = "scgrn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Gene regulatory networks from single-cell data (.h5ad, .h5mu, 10x .h5).",
        subcommands = {
            InspectCommand.class,
            InferCommand.class,
            EvaluateCommand.class,
            BenchCommand.class,
            BatchCommand.class,
            ServeCommand.class,
            SimulateCommand.class,
            PerturbCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    public static void main(String[] args) {
        systemDefaults();
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // outside the pipeline's own handling (which names the input): still one line and a documented code
            System.err.println("scgrn: not enough memory (" + String.format(Locale.ROOT, "%.1f",
                    Runtime.getRuntime().maxMemory() / (double) (1L << 30)) + " GiB heap): give the JVM more with "
                    + "SCGRN_JAVA_OPTS=-Xmx16g, or use --prep stream=on for large inputs");
            code = ExitCodes.OUT_OF_MEMORY;
        }
        System.exit(code);
    }

    /** Logging and allocator defaults every run sets before any command (also {@link CdsTraining}). */
    static void systemDefaults() {
        // Libraries log at info; a command line tool should only show warnings unless -v asks for more.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        // jhdf warns on every file it writes that its writer is "alpha": our writer's tests cover what we write.
        System.setProperty("org.slf4j.simpleLogger.log.io.jhdf.WritableHdfFile", "error");
        // jhdf's reader warns once per attribute of every file jhdf's writer wrote (ours: result.h5ad, simulate's
        // .h5mu) that the attribute message has padding bytes left: dozens of lines on a -q run, values read fine.
        System.setProperty("org.slf4j.simpleLogger.log.io.jhdf.object.message.Message", "error");
        // DJL warns when it probes CUDA on a machine without a usable driver; the manifest records the device used.
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        // Arrow otherwise probes for Netty's allocator first (seconds of class loading) before using this one.
        if (System.getProperty("arrow.allocation.manager.type") == null) {
            System.setProperty("arrow.allocation.manager.type", "Unsafe");
        }
    }

    /** The configured command line: exit-code mapping, one-line errors, exit codes listed in every help. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(new ExitCodes());
        cl.setExecutionExceptionHandler(Main::handleExecutionException);
        cl.setParameterExceptionHandler(Main::handleParameterException);
        configure(cl);
        return cl;
    }

    /** Every command, including those other modules register: -h/--help, -V/--version and the exit codes. */
    private static void configure(CommandLine cl) {
        cl.getCommandSpec().mixinStandardHelpOptions(true);
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.helpList());
        cl.getSubcommands().values().forEach(Main::configure);
    }

    private static int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        Throwable shown = ExitCodes.userFacing(ex);
        err.println("scgrn: " + errorLine(shown, shown == ex && ExitCodes.code(ex) == ExitCodes.INTERNAL));
        if (verbose(parsed)) {
            ex.printStackTrace(err);
        } else if (ExitCodes.code(ex) == ExitCodes.INTERNAL) {
            err.println("scgrn: run again with -v for the stack trace");
        }
        err.flush();
        return ExitCodes.code(ex);
    }

    /**
     * The one line an error is reported in. An unexpected exception is named by its type, which says more than its
     * (possibly empty) message; of a foreign library's message spread over lines (PyTorch adds advice and C++ frames
     * after the first), only the first line is shown: the rest is in the stack trace that {@code -v} prints.
     */
    static String errorLine(Throwable shown, boolean unexpected) {
        String msg = shown.getMessage();
        if (msg == null || msg.isBlank() || unexpected) {
            msg = shown.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
        }
        msg = msg.strip();
        int nl = msg.indexOf('\n');
        if (unexpected && nl >= 0) {
            return msg.substring(0, nl).strip() + " (the rest with -v)";
        }
        return msg.replace('\n', ' ');
    }

    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("scgrn: " + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Version from the jar (filtered resource) plus the Java runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"scgrn " + Versions.scgrn(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
