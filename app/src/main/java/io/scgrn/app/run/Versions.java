package io.scgrn.app.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** scgrn's version, filtered into {@code io/scgrn/app/version.properties} by the build. */
public final class Versions {
    private static final String RESOURCE = "/io/scgrn/app/version.properties";

    private Versions() {
    }

    /** The project version (for example {@code 0.1.0-SNAPSHOT}), or "unknown" when run from unfiltered sources. */
    public static String scgrn() {
        try (InputStream in = Versions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
