package io.scgrn.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python snippet with Debian's /usr/bin/python3 (which has python3-anndata; CI installs it). A missing
 * interpreter or module fails the test with a message saying what to install: it never skips.
 */
final class PythonCheck {
    static final String PYTHON = "/usr/bin/python3";

    private PythonCheck() {
    }

    /** Runs {@code code} with {@code args} and returns its standard output; fails on a non-zero exit. */
    static String run(String code, String... args) {
        assertTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing: apt-get install python3-anndata");
        try {
            List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", code));
            cmd.addAll(List.of(args));
            Path err = Files.createTempFile("scgrn-py", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
                String stderr = Files.readString(err);
                if (stderr.contains("No module named 'anndata'")) {
                    throw new AssertionError("python3-anndata is not installed: apt-get install python3-anndata");
                }
                assertEquals(0, p.exitValue(), () -> "python failed:\n" + stderr);
                return out;
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + PYTHON + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
