package io.scgrn.app.server;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Bearer-token check for {@code /api/*} when the server was started with {@code --token}. The token may also come
 * as the query parameter {@code access_token}, because browsers cannot set headers on EventSource streams or
 * download links. Compared in constant time.
 */
final class TokenAuth implements Handler<RoutingContext> {
    private final byte[] token;

    TokenAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String given = null;
        String h = ctx.request().getHeader("Authorization");
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = h.substring(7).trim();
        } else {
            given = ctx.request().getParam("access_token");
        }
        if (given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        Errors.send(ctx, 401, given == null ? "this server requires a bearer token (Authorization: Bearer …)"
                : "wrong bearer token");
    }
}
