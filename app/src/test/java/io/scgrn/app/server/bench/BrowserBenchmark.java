package io.scgrn.app.server.bench;

import io.scgrn.app.server.Ids;
import io.scgrn.app.server.ScgrnServer;
import io.scgrn.app.server.ServerConfig;
import io.scgrn.app.server.Workspace;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * UI responsiveness benchmark (not a test) in headless Chromium: the dataset page of a file with many cells
 * (embedding fetch + Arrow decode, full canvas redraws) and the network page of a 20,000-edge network.
 * Usage: {@code BrowserBenchmark FILE.h5ad} (e.g. 200,000 cells with obsm X_umap and an obs column "cluster").
 */
public final class BrowserBenchmark {
    private BrowserBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Path root = Files.createTempDirectory("scgrn-ui-bench");
        Path ws = root.resolve("ws");
        try (ScgrnServer server = ScgrnServer.start(ServerConfig.loopback(ws, 0),
                (spec, input, out, progress) -> new JsonObject())) {
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newHttpClient();
            String boundary = "b";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + file.getFileName() + "\"\r\n\r\n").getBytes();
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes();
            byte[] data = Files.readAllBytes(file);
            byte[] body = new byte[head.length + data.length + tail.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(data, 0, body, head.length, data.length);
            System.arraycopy(tail, 0, body, head.length + data.length, tail.length);
            long t0 = System.nanoTime();
            HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/datasets"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonObject ds = new JsonObject(up.body());
            System.out.printf(Locale.ROOT, "upload + validation of %s (%d cells): %.1f s%n", file.getFileName(),
                    ds.getInteger("n_obs"), (System.nanoTime() - t0) / 1e9);

            // A finished job with a 20,000-edge network on that dataset.
            String job = Ids.newId();
            Path out = Workspace.open(ws).jobDir(job).resolve("out");
            Files.createDirectories(out);
            StringBuilder tsv = new StringBuilder("tf\ttarget\tscore\tsign\tstability\n");
            Random rnd = new Random(3);
            float s = 1f;
            for (int e = 0; e < 20_000; e++) {
                s *= 0.9999f;
                tsv.append("GENE").append(rnd.nextInt(5)).append('\t').append("T").append(e).append('\t').append(s)
                        .append("\t1\tNaN\n");
            }
            Files.writeString(out.resolve("network.tsv"), tsv);
            Workspace.writeJson(out.getParent().resolve(Workspace.JOB), new JsonObject().put("id", job)
                    .put("status", "done").put("dataset", ds.getString("id")).put("created", "2026-01-01T00:00:00Z")
                    .put("spec", new JsonObject().put("dataset", ds.getString("id"))));

            // Jobs are read at start: a new server on the same workspace picks the job up.
            server.close();
            try (ScgrnServer again = ScgrnServer.start(ServerConfig.loopback(ws, 0),
                    (spec, input, o, progress) -> new JsonObject())) {
                browse("http://127.0.0.1:" + again.port(), ds.getString("id"), job, root);
            }
        }
    }

    private static void browse(String base, String datasetId, String job, Path root) throws Exception {
        long t0;
        {
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + root.resolve("profile"));
            ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
            try {
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
                JavascriptExecutor js = driver;
                t0 = System.nanoTime();
                driver.get(base + "/#/datasets/" + datasetId);
                wait.until(ExpectedConditions.attributeToBe(By.id("embedding"), "data-ready", "true"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("legend"), "cluster"));
                Thread.sleep(500);
                System.out.printf(Locale.ROOT, "dataset page until coloured embedding: %.2f s (embedding fetch + "
                                + "decode %s ms, last redraw %s ms)%n", (System.nanoTime() - t0) / 1e9,
                        driver.findElement(By.id("embedding")).getAttribute("data-load-ms"),
                        driver.findElement(By.id("embedding")).getAttribute("data-render-ms"));
                double sum = 0;
                for (int i = 0; i < 10; i++) {
                    js.executeScript("arguments[0].dispatchEvent(new WheelEvent('wheel', {deltaY: -120, clientX: 300,"
                            + " clientY: 300, bubbles: true, cancelable: true}))", driver.findElement(By.id("embedding")));
                    Thread.sleep(100);
                    sum += Double.parseDouble(driver.findElement(By.id("embedding")).getAttribute("data-render-ms"));
                }
                System.out.printf(Locale.ROOT, "zoom redraws: mean %.1f ms over 10%n", sum / 10);
                t0 = System.nanoTime();
                driver.get(base + "/#/jobs/" + job + "/network");
                wait.until(ExpectedConditions.attributeToBe(By.id("cy"), "data-ready", "true"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("edge-count"), "of 20000"));
                System.out.printf(Locale.ROOT, "network page (20,000 edges: graph of top 150, table of 1,000): %.2f s%n",
                        (System.nanoTime() - t0) / 1e9);
            } finally {
                driver.quit();
            }
        }
    }
}
