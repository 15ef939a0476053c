package io.scgrn.app.server;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Bearer-token check for {@code /api/*} when the server was started with {@code --token}. The token may also come
 * as the query parameter {@code access_token} on reading requests (GET, HEAD), because browsers cannot set headers
 * on EventSource streams or download links; a request that changes state (POST, DELETE) must send the header, so a
 * token leaked in a URL (history, logs, referrers) cannot upload, start, cancel or delete anything. Compared in
 * constant time.
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
        } else if (!RequestGuard.changesState(ctx.request().method())) {
            given = ctx.request().getParam("access_token");
        }
        if (given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        Errors.send(ctx, 401, given != null ? "wrong bearer token"
                : RequestGuard.changesState(ctx.request().method())
                ? "this request needs the header Authorization: Bearer <token> (not ?access_token=)"
                : "this server requires a bearer token (Authorization: Bearer …)");
    }
}
