package io.scgrn.app.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
 * @param limits         resource limits (memory for decoded arrays, timeouts, caches, groups) and allowed host names
 */
public record ServerConfig(String host, int port, Path workspace, long maxUploadBytes, String token,
                           String corsOrigin, boolean demo, int jobWorkers, int jobQueue, Limits limits) {
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
        limits = limits == null ? Limits.defaults() : limits;
        if (token == null && !isLoopback(host)) {
            throw new IllegalArgumentException("--token is required when --host (" + host
                    + ") is not a loopback address");
        }
    }

    /** Settings with the default {@link Limits}. */
    public ServerConfig(String host, int port, Path workspace, long maxUploadBytes, String token, String corsOrigin,
                        boolean demo, int jobWorkers, int jobQueue) {
        this(host, port, workspace, maxUploadBytes, token, corsOrigin, demo, jobWorkers, jobQueue, Limits.defaults());
    }

    /** Loopback defaults: 127.0.0.1:8080, 20 GiB uploads, one worker, 16 queued jobs. */
    public static ServerConfig loopback(Path workspace, int port) {
        return new ServerConfig("127.0.0.1", port, workspace, DEFAULT_MAX_UPLOAD, null, null, false, 1, 16);
    }

    /** A copy with another port. */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, workspace, maxUploadBytes, token, corsOrigin, demo, jobWorkers,
                jobQueue, limits);
    }

    /** A copy with other limits. */
    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(host, port, workspace, maxUploadBytes, token, corsOrigin, demo, jobWorkers,
                jobQueue, newLimits);
    }

    /**
     * The host names a request's {@code Host} header may carry. A loopback server answers only loopback names, its
     * own bind address and the {@link Limits#allowedHosts()}: a page on another site whose name an attacker
     * re-points at 127.0.0.1 (DNS rebinding) sends its own name and is refused. A server on another address
     * requires a token anyway, and is reached by names it cannot know, so it checks only the configured list (when
     * there is one).
     */
    public boolean hostAllowed(String hostName) {
        if (hostName == null) {
            return false;
        }
        String h = hostName.trim().toLowerCase(Locale.ROOT);
        if (!isLoopback(host)) {
            return limits.allowedHosts().isEmpty() || limits.allowedHosts().contains(h);
        }
        return isLoopback(h) || h.equalsIgnoreCase(host) || limits.allowedHosts().contains(h);
    }

    /**
     * Resource limits of one server.
     *
     * @param decodeBudgetBytes bytes the server may spend on decoded dataset arrays at once (all datasets held or
     *                          being read for the per-cell endpoints); 0 means a share of the maximum heap
     * @param idleTimeoutS      seconds a connection may stay silent before the server closes it
     * @param requestTimeoutMs  longest a plain API request may take before it is answered 503 (streams, uploads
     *                          and downloads excepted)
     * @param maxGroups         most groups a {@code groupby} column may have
     * @param responseCacheBytes encoded network answers kept per loaded network, in bytes
     * @param allowedHosts      extra host names (lower case, no port) accepted in the Host header
     */
    public record Limits(long decodeBudgetBytes, int idleTimeoutS, long requestTimeoutMs, int maxGroups,
                         long responseCacheBytes, List<String> allowedHosts) {
        /** Share of the maximum heap the decoded-array budget takes by default. */
        public static final double HEAP_SHARE = 0.4;

        public Limits {
            if (decodeBudgetBytes < 0 || idleTimeoutS < 1 || requestTimeoutMs < 1 || maxGroups < 2
                    || responseCacheBytes < 0) {
                throw new IllegalArgumentException("server limits must be positive (max groups at least 2)");
            }
            allowedHosts = allowedHosts == null ? List.of() : allowedHosts.stream()
                    .map(x -> x.trim().toLowerCase(Locale.ROOT)).filter(x -> !x.isEmpty()).toList();
        }

        /**
         * 40 % of the heap for decoded arrays, 120 s idle, 90 s per request (long polls wait up to 60 s), 64 groups,
         * 16 MiB of answers.
         */
        public static Limits defaults() {
            return new Limits(0, 120, 90_000, 64, 16L << 20, List.of());
        }

        /** The decoded-array budget in bytes ({@link #HEAP_SHARE} of the max heap when not set). */
        public long decodeBudget() {
            return decodeBudgetBytes > 0 ? decodeBudgetBytes
                    : (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE);
        }

        public Limits withDecodeBudget(long bytes) {
            return new Limits(bytes, idleTimeoutS, requestTimeoutMs, maxGroups, responseCacheBytes, allowedHosts);
        }

        public Limits withIdleTimeout(int seconds) {
            return new Limits(decodeBudgetBytes, seconds, requestTimeoutMs, maxGroups, responseCacheBytes,
                    allowedHosts);
        }

        public Limits withRequestTimeout(long ms) {
            return new Limits(decodeBudgetBytes, idleTimeoutS, ms, maxGroups, responseCacheBytes, allowedHosts);
        }

        public Limits withMaxGroups(int n) {
            return new Limits(decodeBudgetBytes, idleTimeoutS, requestTimeoutMs, n, responseCacheBytes,
                    allowedHosts);
        }

        public Limits withResponseCache(long bytes) {
            return new Limits(decodeBudgetBytes, idleTimeoutS, requestTimeoutMs, maxGroups, bytes, allowedHosts);
        }

        public Limits withAllowedHosts(List<String> hosts) {
            return new Limits(decodeBudgetBytes, idleTimeoutS, requestTimeoutMs, maxGroups, responseCacheBytes,
                    hosts);
        }
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
