package io.scgrn.app.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks every request makes before it reaches a route, against pages on other sites that the user's browser
 * visits while the server runs:
 * <ul>
 *   <li>{@link #securityHeaders}: nosniff, no framing, a same-origin content security policy;</li>
 *   <li>{@link #host}: the {@code Host} header names this server ({@link ServerConfig#hostAllowed}), so a page
 *       whose own name an attacker re-points at 127.0.0.1 (DNS rebinding) is refused with 403;</li>
 *   <li>{@link #origin}: an API request that a browser marks as coming from another site ({@code Origin} not this
 *       server's and not the {@code --cors} origin, or {@code Sec-Fetch-Site: cross-site}) is refused with 403,
 *       so a page elsewhere can neither read nor change anything (CSRF);</li>
 *   <li>{@link #jsonBody}: a JSON route accepts only {@code application/json}, which a plain HTML form or a
 *       "simple" cross-origin fetch cannot send without a CORS pre-flight.</li>
 * </ul>
 */
final class RequestGuard {
    /** Scripts, styles, images and API calls from this server only; never framed; no plugins. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private final ServerConfig config;

    RequestGuard(ServerConfig config) {
        this.config = config;
    }

    static void securityHeaders(RoutingContext ctx) {
        ctx.response().putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cross-Origin-Resource-Policy", "same-origin");
        ctx.next();
    }

    void host(RoutingContext ctx) {
        String name = hostName(authority(ctx.request()));
        if (!config.hostAllowed(name)) {
            Errors.send(ctx, 403, "host name not served here (use http://127.0.0.1:<port>/ or --allow-host)");
            return;
        }
        ctx.next();
    }

    void origin(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String origin = req.getHeader(HttpHeaders.ORIGIN);
        if (origin != null) {
            if (!sameOrigin(origin, authority(req)) && !origin.equals(config.corsOrigin())) {
                Errors.send(ctx, 403, "cross-origin request refused (origin not allowed; see --cors)");
                return;
            }
        } else if ("cross-site".equalsIgnoreCase(req.getHeader("Sec-Fetch-Site"))) {
            Errors.send(ctx, 403, "cross-site request refused");
            return;
        }
        ctx.next();
    }

    /** 415 unless the body is declared JSON (a handler for POST routes that take a JSON object). */
    static void jsonBody(RoutingContext ctx) {
        String ct = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String media = ct == null ? "" : ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json")) {
            Errors.send(ctx, 415, "this route takes a JSON body: send Content-Type: application/json");
            return;
        }
        ctx.next();
    }

    /** 415 for a POST whose declared body type is not JSON (uploads to /datasets excepted). */
    static void jsonOrNoBody(RoutingContext ctx) {
        String ct = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (ct != null && !ctx.request().path().endsWith("/datasets")) {
            jsonBody(ctx);
            return;
        }
        ctx.next();
    }

    /**
     * 4xx before a byte of the body is read unless it is {@code multipart/form-data} with a boundary: the upload
     * route would otherwise buffer any other body in full (up to {@code --max-upload}) before answering.
     */
    static void multipartBody(RoutingContext ctx) {
        String ct = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String lower = ct == null ? "" : ct.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("multipart/form-data")) {
            refuseBody(ctx, 415, "expected a multipart/form-data body with a field named 'file'");
            return;
        }
        int b = lower.indexOf("boundary=");
        if (b < 0 || lower.substring(b + 9).replace("\"", "").isBlank()) {
            refuseBody(ctx, 400, "multipart/form-data body without a boundary");
            return;
        }
        ctx.next();
    }

    /**
     * Answers now without reading the body. HTTP/1.x: the connection is closed after the answer, so the client does
     * not go on sending a body nobody reads. HTTP/2: the connection carries other requests, which must not fail
     * with it; the rest of this request's body is discarded as it arrives (never stored).
     */
    private static void refuseBody(RoutingContext ctx, int status, String message) {
        boolean http2 = ctx.request().version() == HttpVersion.HTTP_2;
        if (!http2) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        Errors.send(ctx, status, message);
        if (http2) {
            ctx.request().handler(b -> { }).resume();
        } else {
            ctx.request().connection().close();
        }
    }

    /**
     * The host[:port] the client addressed: the Host header in HTTP/1.x, the :authority pseudo-header in HTTP/2
     * (which has no Host header); null when absent.
     */
    static String authority(HttpServerRequest req) {
        HostAndPort a = req.authority();
        if (a == null) {
            return null;
        }
        String h = a.host();
        if (h.contains(":") && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return a.port() >= 0 ? h + ":" + a.port() : h;
    }

    /** Whether the {@code Origin} (scheme://host[:port]) is the server the request was sent to. */
    static boolean sameOrigin(String origin, String hostHeader) {
        if (hostHeader == null || origin.equals("null")) {
            return false;
        }
        try {
            URI u = new URI(origin);
            if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                return false;
            }
            String authority = u.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(hostHeader.trim());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The name part of a Host header ("[::1]:8080" → "::1", "localhost:80" → "localhost"). */
    static String hostName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(1, end);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** True for methods that change state (the bearer token must then come in the header). */
    static boolean changesState(HttpMethod m) {
        return !(m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS);
    }
}
