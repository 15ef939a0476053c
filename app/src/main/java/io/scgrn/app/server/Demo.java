package io.scgrn.app.server;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo}: imports the bundled example (examples/pbmc68k_reduced.h5ad) once and runs its network with the
 * default model, so a first-time user sees a result moments after opening the browser. A later start with the same
 * workspace reuses both.
 */
final class Demo {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    static final String FILE = "pbmc68k_reduced.h5ad";

    private Demo() {
    }

    /** Returns the demo job's id. */
    static String load(ServerContext sc) throws IOException {
        JsonObject ds = sc.workspace().datasets().stream().filter(m -> m.getBoolean("demo", false)).findFirst()
                .orElse(null);
        if (ds == null) {
            Path file = locate().orElseThrow(() -> new IOException("cannot find examples/" + FILE
                    + " (run scgrn from the project folder, or set -Dscgrn.home)"));
            ds = sc.datasets().importLocal(file, FILE, new JsonObject().put("demo", true));
            LOG.info("demo dataset {} imported from {}", ds.getString("id"), file);
        }
        String id = ds.getString("id");
        for (JsonObject j : sc.jobs().page(id, 0, 1000).jobs()) {
            if (List.of("done", "running", "queued")
                    .contains(j.getString("status"))) {
                return j.getString("id");
            }
        }
        JsonObject job = sc.jobs().submit(JobSpec.fromJson(new JsonObject().put("dataset", id)),
                sc.workspace().datasetFile(id, ds), ds.getString("name"));
        LOG.info("demo job {} submitted", job.getString("id"));
        return job.getString("id");
    }

    /** The example file: next to the working directory, the scgrn home, the code's location, or the class path. */
    static Optional<Path> locate() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String home = System.getProperty("scgrn.home");
        if (home != null) {
            candidates.add(Path.of(home, "examples", FILE));
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null && candidates.size() < 8; p = p.getParent()) {
            candidates.add(p.resolve("examples").resolve(FILE));
        }
        try {
            Path code = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code; p != null; p = p.getParent()) {
                candidates.add(p.resolve("examples").resolve(FILE));
            }
        } catch (Exception e) {
            // No code source (unusual class loader): the other places still apply.
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return Optional.of(c);
            }
        }
        try (InputStream in = Demo.class.getResourceAsStream("/examples/" + FILE)) {
            if (in != null) {
                Path tmp = Files.createTempFile("scgrn-demo-", ".h5ad");
                tmp.toFile().deleteOnExit();
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return Optional.of(tmp);
            }
        }
        return Optional.empty();
    }

}
