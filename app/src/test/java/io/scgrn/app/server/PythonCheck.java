package io.scgrn.app.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python snippet with Debian's /usr/bin/python3 (python3-anndata). Missing Python or anndata FAILS the
 * test with a clear message: CI installs them, so a skip would hide a broken environment.
 */
final class PythonCheck {
    static final String PYTHON = "/usr/bin/python3";

    private PythonCheck() {
    }

    static String run(String script, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            throw new AssertionError(PYTHON + " not found: install python3-anndata (apt) to run this test");
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            p.destroyForcibly();
            throw new AssertionError("python did not finish: " + out);
        }
        if (p.exitValue() != 0) {
            if (out.contains("No module named 'anndata'")) {
                throw new AssertionError("Python's anndata is missing: apt-get install python3-anndata");
            }
            throw new AssertionError("python failed (" + p.exitValue() + "): " + out);
        }
        // anndata may print warnings before the JSON: the result is the last line.
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }
}
