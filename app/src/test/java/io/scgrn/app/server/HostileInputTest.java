package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input suite (issue 11): each test replays an attack or a careless use that once got through, and
 * asserts the safe outcome. Requests a browser on another site would send are written as raw HTTP, so their
 * headers (Host, Origin, Content-Type) are exactly the attacker's.
 */
class HostileInputTest {
    @TempDir
    Path tmp;

    /** A raw HTTP/1.1 exchange: status code, headers (lower-case names) and body. */
    record Raw(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) {
                    return line.substring(c + 1).trim();
                }
            }
            return null;
        }

        JsonObject json() {
            return new JsonObject(body);
        }
    }

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}; reads to EOF. */
    static Raw raw(int port, String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            String h = head + "\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
            out.write(h.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(s.getInputStream());
        }
    }

    static Raw read(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        int n;
        try {
            while ((n = in.read(b)) > 0) {
                buf.write(b, 0, n);
            }
        } catch (java.net.SocketException e) {
            // The server may close after answering while the client is still sending: what it sent counts.
        }
        String all = buf.toString(StandardCharsets.UTF_8);
        int split = all.indexOf("\r\n\r\n");
        assertTrue(split > 0, "no HTTP response: " + all);
        String head = all.substring(0, split);
        String body = all.substring(split + 4);
        if (head.toLowerCase().contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Raw(Integer.parseInt(head.split(" ")[1]), head, body);
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int nl = s.indexOf("\r\n", i);
            int len = Integer.parseInt(s.substring(i, nl).trim(), 16);
            if (len == 0) {
                break;
            }
            out.append(s, nl + 2, nl + 2 + len);
            i = nl + 2 + len + 2;
        }
        return out.toString();
    }

    static Raw get(int port, String path, String... headers) throws IOException {
        return raw(port, "GET " + path + " HTTP/1.1\r\n" + hostLine(port, headers) + String.join("\r\n", headers),
                null);
    }

    /** A Host header for 127.0.0.1 unless the caller gives one. */
    private static String hostLine(int port, String... headers) {
        for (String h : headers) {
            if (h.regionMatches(true, 0, "Host:", 0, 5)) {
                return "";
            }
        }
        return "Host: 127.0.0.1:" + port + (headers.length == 0 ? "" : "\r\n");
    }

    static Raw post(int port, String path, String contentType, String body, String... headers) throws IOException {
        String extra = headers.length == 0 ? "" : "\r\n" + String.join("\r\n", headers);
        return raw(port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: " + contentType
                + extra, body.getBytes(StandardCharsets.UTF_8));
    }

    static void assertJsonError(Raw r, int status) {
        assertEquals(status, r.status(), r.head() + "\n" + r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.head());
        JsonObject e = r.json();
        assertEquals(status, e.getInteger("status"));
        String msg = e.getString("error");
        assertTrue(msg != null && !msg.isBlank() && !msg.contains("\n"), msg);
    }

    static String uploadDataset(TestServer ts, Path dir) {
        HttpResponse<Buffer> r = ts.upload(TestServer.fixture("pbmc_small.h5ad", dir), "p.h5ad");
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
    }

    // ---- 1. cross-site requests, DNS rebinding, content types, CORS -------------------------------------------

    @Test
    void dnsRebindingHostIsRefused() throws Exception {
        try (TestServer ts = TestServer.start(tmp.resolve("ws"))) {
            int port = ts.port();
            assertJsonError(get(port, "/api/v1/datasets", "Host: attacker.example:" + port), 403);
            assertJsonError(get(port, "/", "Host: attacker.example:" + port), 403);
            assertEquals(200, get(port, "/api/v1/datasets").status());
            assertEquals(200, get(port, "/api/v1/datasets", "Host: localhost:" + port).status());
            assertEquals(200, get(port, "/api/v1/datasets", "Host: [::1]:" + port).status());
        }
    }

    @Test
    void crossSitePagesCanNeitherReadNorWrite() throws Exception {
        try (TestServer ts = TestServer.start(tmp.resolve("ws"))) {
            int port = ts.port();
            String ds = uploadDataset(ts, tmp);
            String evil = "Origin: http://evil.example";
            // A page elsewhere: fetch() with text/plain (no pre-flight), a form, a read.
            assertJsonError(post(port, "/api/v1/jobs", "text/plain", "{\"dataset\":\"" + ds + "\"}", evil), 403);
            assertJsonError(get(port, "/api/v1/datasets", evil), 403);
            assertJsonError(get(port, "/api/v1/datasets", "Sec-Fetch-Site: cross-site"), 403);
            assertJsonError(post(port, "/api/v1/datasets", "multipart/form-data; boundary=x",
                    "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.h5ad\"\r\n\r\nabc\r\n--x--\r\n",
                    evil), 403);
            assertJsonError(post(port, "/api/v1/jobs", "application/json", "{}", "Origin: null"), 403);
            assertEquals(0, ts.get("/api/v1/jobs").bodyAsJsonObject().getJsonArray("jobs").size());
            assertEquals(1, ts.get("/api/v1/datasets").bodyAsJsonObject().getJsonArray("datasets").size());
            // The UI itself (same origin) still works.
            Raw same = post(port, "/api/v1/jobs", "application/json", "{\"dataset\":\"" + ds + "\"}",
                    "Origin: http://127.0.0.1:" + port);
            assertEquals(201, same.status(), same.body());
        }
    }

    @Test
    void jsonRoutesRequireApplicationJson() throws Exception {
        try (TestServer ts = new TestServer(tmp.resolve("ws"), ServerConfig.loopback(tmp.resolve("ws"), 0),
                JobControlTest.WAITS_FOR_CANCEL)) {
            String ds = uploadDataset(ts, tmp);
            String body = "{\"dataset\":\"" + ds + "\"}";
            for (String ct : new String[] {"text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x"}) {
                assertJsonError(post(ts.port(), "/api/v1/jobs", ct, body), 415);
            }
            assertEquals(0, ts.get("/api/v1/jobs").bodyAsJsonObject().getJsonArray("jobs").size());
            assertEquals(201, post(ts.port(), "/api/v1/jobs", "application/json; charset=utf-8", body).status());
        }
    }

    @Test
    void corsRefusalIs403AndSecurityHeadersAreSent() throws Exception {
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws"), 1 << 20, null, "http://ui.test",
                false, 1, 1, 0);
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, new PipelineJobExecutor())) {
            int port = ts.port();
            assertJsonError(get(port, "/api/v1/datasets", "Origin: http://evil.test"), 403);
            Raw pre = raw(port, "OPTIONS /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nOrigin: http://evil.test\r\nAccess-Control-Request-Method: POST", null);
            assertEquals(403, pre.status(), pre.head());
            Raw ok = get(port, "/api/v1/datasets", "Origin: http://ui.test");
            assertEquals(200, ok.status());
            assertEquals("http://ui.test", ok.header("Access-Control-Allow-Origin"));
            for (String path : new String[] {"/", "/api/v1/health", "/api/v1/nothing"}) {
                Raw r = get(port, path);
                assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
                assertEquals("DENY", r.header("X-Frame-Options"), path);
                assertTrue(r.header("Content-Security-Policy").contains("frame-ancestors 'none'"), path);
            }
        }
    }

    @Test
    void tokenOnlyInTheHeaderForStateChangingRequests() throws Exception {
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws"), 1 << 20, "s3cret", null, false, 1, 1,
                0);
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, JobControlTest.WAITS_FOR_CANCEL)) {
            int port = ts.port();
            assertEquals(200, get(port, "/api/v1/datasets?access_token=s3cret").status());
            Raw viaQuery = post(port, "/api/v1/jobs?access_token=s3cret", "application/json", "{\"dataset\":\"x\"}");
            assertJsonError(viaQuery, 401);
            assertTrue(viaQuery.json().getString("error").contains("Authorization"), viaQuery.body());
            Raw del = raw(port, "DELETE /api/v1/datasets/x?access_token=s3cret HTTP/1.1\r\nHost: 127.0.0.1:" + port,
                    null);
            assertJsonError(del, 401);
            Raw viaHeader = post(port, "/api/v1/jobs", "application/json", "{\"dataset\":\"0123456789abcdef\"}",
                    "Authorization: Bearer s3cret");
            assertJsonError(viaHeader, 404); // authorised; the dataset does not exist
        }
    }

    @Test
    void tokenFromAFileNotTheCommandLine() throws Exception {
        Path f = tmp.resolve("token.txt");
        Files.writeString(f, "from-file\nignored\n");
        io.scgrn.app.cli.ServeCommandAccess cmd = new io.scgrn.app.cli.ServeCommandAccess();
        assertEquals("from-file", cmd.resolve(null, f));
        assertEquals("argv", cmd.resolve("argv", null));
        Files.writeString(f, "\n");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> cmd.resolve(null, f));
        assertTrue(e.getMessage().contains("--token-file"), e.getMessage());
        assertNotNull(io.scgrn.app.cli.ServeCommand.TOKEN_ENV);
        assertFalse(e.getMessage().contains("\n"));
    }
}
