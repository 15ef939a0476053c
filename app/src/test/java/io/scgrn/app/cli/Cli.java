package io.scgrn.app.cli;

import io.scgrn.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Runs the scgrn command line in-process with captured output, as a user would type it. Public for the spark
 * module's tests, which get it from app's test jar.
 */
public record Cli(int code, String out, String err) {
    /** The example shipped in examples/ (tests run in the app module folder). */
    static final Path EXAMPLE = Path.of("..", "examples", "pbmc68k_reduced.h5ad");
    /** 120 cells x 150 genes cut from the example; see make_fixture.py next to it. */
    static final Path TINY = Path.of("src", "test", "resources", "cli", "tiny.h5ad");
    /** Cell Ranger 3 format, 1,107 cells × 507 genes (scanpy's test file, BSD-3). */
    static final Path TENX = Path.of("src", "test", "resources", "cli", "10x_v3.h5");
    /** mudata 0.1.2 file: modalities mod1 (20 vars) and mod2 (30 vars), 100 cells (BSD-3). */
    static final Path MUDATA = Path.of("src", "test", "resources", "cli", "mudata_v0.1.2.h5mu");

    public static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- out:\n" + out + "\n--- err:\n" + err;
    }
}
