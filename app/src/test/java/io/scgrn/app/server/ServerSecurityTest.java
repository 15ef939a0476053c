package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.app.Main;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Loopback by default, bearer token off loopback, CORS only when asked. */
class ServerSecurityTest {
    @TempDir
    Path tmp;

    @Test
    void nonLoopbackHostRequiresAToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ServerConfig(
                "0.0.0.0", 0, tmp, 1000, null, null, false, 1, 1));
        assertTrue(e.getMessage().contains("--token"), e.getMessage());
        assertTrue(ServerConfig.isLoopback("127.0.0.1") && ServerConfig.isLoopback("::1")
                && ServerConfig.isLoopback("localhost") && ServerConfig.isLoopback("127.1.2.3"));
        assertTrue(!ServerConfig.isLoopback("0.0.0.0") && !ServerConfig.isLoopback("192.168.1.10")
                && !ServerConfig.isLoopback("example.org"));

        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("serve", "--host", "0.0.0.0", "--port", "0", "--workspace", tmp.toString()));
        assertTrue(err.toString().contains("--token is required"), err.toString());
    }

    @Test
    void tokenIsRequiredOnTheApiWhenSet() {
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws"), 1 << 20, "s3cret", null, false, 1, 1);
        try (TestServer ts = new TestServer(tmp.resolve("ws"), cfg, new PipelineJobExecutor())) {
            HttpResponse<Buffer> none = ts.get("/api/v1/datasets");
            assertEquals(401, none.statusCode());
            assertEquals(401, none.bodyAsJsonObject().getInteger("status"));
            HttpResponse<Buffer> wrong = TestServer.await(ts.client.get("/api/v1/datasets")
                    .putHeader("Authorization", "Bearer guess").send());
            assertEquals(401, wrong.statusCode());
            HttpResponse<Buffer> right = TestServer.await(ts.client.get("/api/v1/datasets")
                    .putHeader("Authorization", "Bearer s3cret").send());
            assertEquals(200, right.statusCode(), right.bodyAsString());
            assertEquals(200, ts.get("/api/v1/datasets?access_token=s3cret").statusCode());
            // The UI's static files are public: they hold no data and ask the user for the token.
            assertEquals(200, ts.get("/").statusCode());
        }
    }

    @Test
    void corsHeadersOnlyWithCorsOption() {
        try (TestServer plain = TestServer.start(tmp.resolve("a"))) {
            HttpResponse<Buffer> r = TestServer.await(plain.client.get("/api/v1/datasets")
                    .putHeader("Origin", "http://elsewhere.test").send());
            assertNull(r.getHeader("Access-Control-Allow-Origin"));
            assertEquals(403, r.statusCode(), "another site's page is refused outright");
        }
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("b"), 1 << 20, null, "http://ui.test",
                false, 1, 1);
        try (TestServer cors = new TestServer(tmp.resolve("b"), cfg, new PipelineJobExecutor())) {
            HttpResponse<Buffer> pre = TestServer.await(cors.client.request(HttpMethod.OPTIONS, "/api/v1/jobs")
                    .putHeader("Origin", "http://ui.test").putHeader("Access-Control-Request-Method", "POST")
                    .send());
            assertEquals("http://ui.test", pre.getHeader("Access-Control-Allow-Origin"));
            HttpResponse<Buffer> other = TestServer.await(cors.client.get("/api/v1/datasets")
                    .putHeader("Origin", "http://evil.test").send());
            assertEquals(403, other.statusCode());
            assertNull(other.getHeader("Access-Control-Allow-Origin"));
        }
    }
}
