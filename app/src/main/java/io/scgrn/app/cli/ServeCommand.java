package io.scgrn.app.cli;

import io.scgrn.app.run.ScgrnConfig;
import io.scgrn.app.server.PipelineJobExecutor;
import io.scgrn.app.server.ScgrnServer;
import io.scgrn.app.server.ServerConfig;
import io.scgrn.app.server.WebVerticle;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scgrn serve}: the HTTP API and web UI. Runs until interrupted (Ctrl-C). */
@Command(name = "serve", sortOptions = false,
        description = {"Serve the web UI and the HTTP API (/api/v1, OpenAPI at /api/v1/openapi.yaml).",
            "Datasets and jobs live in the workspace folder and survive restarts; jobs that were running when the "
                    + "server stopped are marked interrupted."})
public final class ServeCommand implements Callable<Integer> {
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgt]i?b?|b)?\\s*");

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseMixin verbose;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default: ${DEFAULT-VALUE}; 0 = any free).")
    int port = defaultInt("server.port", 8080);

    @Option(names = "--host", paramLabel = "ADDR",
            description = "Address to bind (default: ${DEFAULT-VALUE}); any non-loopback address needs --token.")
    String host = ScgrnConfig.embedded().get("server.host", "127.0.0.1");

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Folder for datasets and jobs (default: ~/.scgrn/workspace).")
    Path workspace;

    @Option(names = "--max-upload", paramLabel = "SIZE",
            description = "Largest upload, e.g. 500MiB, 20GiB (default: ${DEFAULT-VALUE}).")
    String maxUpload = ScgrnConfig.embedded().get("server.max-upload", "20GiB");

    /** Environment variable holding the bearer token (not visible in the process list, unlike --token). */
    public static final String TOKEN_ENV = "SCGRN_TOKEN";

    @Option(names = "--token", paramLabel = "T",
            description = "Require 'Authorization: Bearer T' on every API request (required off loopback). "
                    + "Visible to other users in the process list: prefer --token-file or $" + TOKEN_ENV + ".")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the bearer token from the first line of FILE.")
    Path tokenFile;

    @Option(names = "--allow-host", paramLabel = "NAME",
            description = "Also answer requests whose Host header names NAME (e.g. behind a reverse proxy); "
                    + "a loopback server otherwise answers only loopback names (DNS-rebinding defence).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--cors", paramLabel = "ORIGIN",
            description = "Allow cross-origin requests from ORIGIN (default: none).")
    String cors;

    @Option(names = "--demo", description = "Load the bundled example and run its network at start.")
    boolean demo;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Inference jobs running at the same time (default: ${DEFAULT-VALUE}).")
    int jobs = defaultInt("server.jobs-concurrency", 1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig config;
        try {
            Path ws = workspace != null ? workspace
                    : Path.of(System.getProperty("user.home"), ".scgrn", "workspace");
            config = new ServerConfig(host, port, ws, parseSize(maxUpload), resolveToken(), cors, demo, jobs, 64,
                    ServerConfig.Limits.defaults().withAllowedHosts(allowHosts));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ScgrnServer server;
        try {
            server = ScgrnServer.start(config, new PipelineJobExecutor());
        } catch (WebVerticle.ServerStartException e) {
            err.println("scgrn: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "scgrn-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String shownHost = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        out.println("scgrn server listening on http://" + shownHost + ":" + server.port() + "/ (workspace "
                + server.context().workspace().root() + ")");
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /** The token from --token, --token-file or $SCGRN_TOKEN (at most one of them), or null. */
    String resolveToken() {
        return resolveToken(System.getenv(TOKEN_ENV));
    }

    /** As {@link #resolveToken()}, with {@code env} the value of $SCGRN_TOKEN (null when unset). */
    String resolveToken(String env) {
        int given = (token != null ? 1 : 0) + (tokenFile != null ? 1 : 0);
        if (given > 1) {
            throw new IllegalArgumentException("give the token once: --token or --token-file");
        }
        if (tokenFile != null) {
            try {
                String t = Files.readAllLines(tokenFile).stream().findFirst().orElse("").trim();
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("--token-file " + tokenFile + ": the first line is empty");
                }
                return t;
            } catch (IOException | UncheckedIOException e) {
                throw new IllegalArgumentException("--token-file " + tokenFile + ": cannot read: "
                        + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            }
        }
        if (token != null) {
            return token;
        }
        return env == null || env.isBlank() ? null : env.trim();
    }

    private static int defaultInt(String key, int dflt) {
        try {
            return Integer.parseInt(ScgrnConfig.embedded().get(key, Integer.toString(dflt)).trim());
        } catch (RuntimeException e) {
            return dflt;
        }
    }

    /** "20GiB", "500MiB", "1.5G", "1024" (bytes) → bytes; binary units either way. */
    static long parseSize(String s) {
        Matcher m = SIZE.matcher(s == null ? "" : s);
        if (!m.matches()) {
            throw new IllegalArgumentException("--max-upload: not a size: '" + s + "' (e.g. 500MiB, 20GiB)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long mult = switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1L;
        };
        double bytes = v * mult;
        if (bytes < 1 || bytes > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("--max-upload: out of range: '" + s + "'");
        }
        return (long) bytes;
    }
}
