package io.scgrn.app.cli;

import java.nio.file.Path;

/** Test access to {@link ServeCommand}'s token resolution (package-private fields). */
public final class ServeCommandAccess {
    /** The token {@code serve} would use given {@code --token} and {@code --token-file} (either may be null). */
    public String resolve(String token, Path tokenFile) {
        ServeCommand c = new ServeCommand();
        c.token = token;
        c.tokenFile = tokenFile;
        return c.resolveToken(null);
    }

    /** As {@link #resolve(String, Path)} with {@code $SCGRN_TOKEN} set to {@code env} (null: unset). */
    public String resolve(String token, Path tokenFile, String env) {
        ServeCommand c = new ServeCommand();
        c.token = token;
        c.tokenFile = tokenFile;
        return c.resolveToken(env);
    }
}
