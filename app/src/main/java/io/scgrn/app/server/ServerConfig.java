package io.scgrn.app.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of one {@code scgrn serve} instance.
 *
 * @param host           address to bind; anything but a loopback address requires {@code token}
 * @param port           TCP port, 0 for any free port
 * @param workspace      folder holding datasets and jobs (created if missing)
 * @param maxUploadBytes largest accepted upload; bigger ones get HTTP 413
 * @param token          bearer token required on every /api request, or null for none (loopback only)
 * @param corsOrigin     origin allowed by CORS, or null to send no CORS headers
 * @param demo           preload the bundled example and run its network at start
 * @param jobWorkers     inference jobs running at the same time
 * @param jobQueue       jobs that may wait for a worker; more get HTTP 503
 * @param jobDelayMs     test hook: each job waits this long in state running before the pipeline starts, so
 *                       restart tests can kill a server mid-job without burning CPU (0 in normal use)
 */
public record ServerConfig(String host, int port, Path workspace, long maxUploadBytes, String token,
                           String corsOrigin, boolean demo, int jobWorkers, int jobQueue, long jobDelayMs) {
    /** Default upload limit: 20 GiB. */
    public static final long DEFAULT_MAX_UPLOAD = 20L << 30;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(workspace, "workspace");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 0..65535, not " + port);
        }
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("--max-upload must be positive");
        }
        if (jobWorkers < 1 || jobQueue < 1) {
            throw new IllegalArgumentException("job workers and queue capacity must be at least 1");
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (corsOrigin != null && corsOrigin.isBlank()) {
            corsOrigin = null;
        }
        if (token == null && !isLoopback(host)) {
            throw new IllegalArgumentException("--token is required when --host (" + host
                    + ") is not a loopback address");
        }
    }

    /** Loopback defaults: 127.0.0.1:8080, 20 GiB uploads, one worker, 16 queued jobs. */
    public static ServerConfig loopback(Path workspace, int port) {
        return new ServerConfig("127.0.0.1", port, workspace, DEFAULT_MAX_UPLOAD, null, null, false, 1, 16, 0);
    }

    /** A copy with another port. */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, workspace, maxUploadBytes, token, corsOrigin, demo, jobWorkers,
                jobQueue, jobDelayMs);
    }

    /**
     * True for "localhost" and loopback address literals. Host names other than localhost count as non-loopback:
     * resolving them could hit DNS, and a name that resolves to loopback today may not tomorrow.
     */
    public static boolean isLoopback(String host) {
        String h = host.trim();
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return false;
        }
        try {
            // A literal is parsed without any lookup.
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
