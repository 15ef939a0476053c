package io.scgrn.anndata;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates test resources (fixtures, real files) on disk. */
final class TestFiles {
    private TestFiles() {
    }

    /** The resource at {@code name} (relative to the test resources root) as a file path. */
    static Path resource(String name) {
        URL u = TestFiles.class.getClassLoader().getResource(name);
        if (u == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        try {
            return Path.of(u.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path fixture(String name) {
        return resource("fixtures/" + name);
    }

    static Path bad(String name) {
        return resource("fixtures/bad/" + name);
    }
}
