package io.scgrn.app.batch;

import io.scgrn.app.cli.BatchCommand;
import io.scgrn.app.run.ScgrnConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;
import picocli.CommandLine;

/** Test helpers: the tiny fixture (src/test/resources/batch, made by make_tiny.py) and a captured CLI run. */
final class Fixtures {
    private Fixtures() {
    }

    /** Copies tiny.h5ad, tfs.txt and truth.csv into {@code dir}. */
    static void copyTiny(Path dir) throws IOException {
        for (String f : new String[] {"tiny.h5ad", "tfs.txt", "truth.csv"}) {
            try (InputStream in = Fixtures.class.getResourceAsStream("/batch/" + f)) {
                if (in == null) {
                    throw new IOException("test resource /batch/" + f + " missing");
                }
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    /**
     * Output of one CLI run.
     *
     * @param code exit code
     * @param out  standard output
     * @param err  standard error
     */
    record Run(int code, String out, String err) {
    }

    /** Runs {@code scgrn batch args} with the given executor and store, capturing output. */
    static Run batch(Function<ScgrnConfig, TaskExecutor> executors, TaskStore store, String... args) {
        return run(new BatchCommand(executors, store), args);
    }

    /** Runs {@code scgrn batch args} through the real pipeline. */
    static Run batch(String... args) {
        return run(new BatchCommand(), args);
    }

    private static Run run(BatchCommand cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
