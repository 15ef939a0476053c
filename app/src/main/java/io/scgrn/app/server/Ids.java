package io.scgrn.app.server;

import java.util.UUID;
import java.util.regex.Pattern;

/** Server-generated identifiers: random UUIDs, checked before they become part of any path. */
public final class Ids {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Ids() {
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** True when {@code id} has the exact shape of an id this server hands out (so it is safe in a path). */
    public static boolean valid(String id) {
        return id != null && UUID_TEXT.matcher(id).matches();
    }
}
