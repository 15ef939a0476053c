package io.scgrn.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real headless Chromium (Debian's /usr/bin/chromium and /usr/bin/chromedriver, set explicitly so
 * Selenium Manager never downloads anything): upload a file, start a job, wait for it, open the network, centre on
 * a regulator, and check that the graph and the cell embedding were actually drawn (non-blank canvas pixels).
 * Screenshots go to target/screenshots/.
 */
class BrowserTest {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** Counts drawn pixels (not transparent, not white) of every canvas matching a selector. */
    static final String COUNT_PIXELS = "let n = 0;"
            + "for (const c of document.querySelectorAll(arguments[0])) {"
            + "  if (!c.width || !c.height) continue;"
            + "  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            + "  for (let i = 0; i < d.length; i += 4)"
            + "    if (d[i + 3] > 0 && (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245)) n++;"
            + "}"
            + "return n;";

    @TempDir
    Path tmp;

    TestServer ts;
    WebDriver driver;
    Path shots;

    @BeforeEach
    void start() throws Exception {
        for (String exe : List.of(CHROMIUM, CHROMEDRIVER)) {
            assertTrue(Files.isExecutable(Path.of(exe)), exe + " is missing: apt-get install chromium chromium-driver");
        }
        ts = TestServer.start(tmp.resolve("ws"));
        // Never let Selenium Manager look for (or download) a browser or driver.
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + tmp.resolve("chrome-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (ts != null) {
            ts.close();
        }
    }

    private void shoot(String name) throws Exception {
        Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, shots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private long pixels(String selector) {
        return ((Number) ((JavascriptExecutor) driver).executeScript(COUNT_PIXELS, selector)).longValue();
    }

    @Test
    void uploadRunAndExploreANetwork() throws Exception {
        String base = "http://127.0.0.1:" + ts.port() + "/";
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
        driver.get(base);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("file-input")));
        Path file = TestServer.fixture("pbmc_small.h5ad", tmp);
        driver.findElement(By.id("file-input")).sendKeys(file.toAbsolutePath().toString());

        // The dataset page: embedding drawn, coloured by the first categorical column.
        wait.until(ExpectedConditions.urlContains("#/datasets/"));
        wait.until(ExpectedConditions.attributeToBe(By.id("embedding"), "data-ready", "true"));
        wait.until(d -> pixels("#embedding") > 200);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("legend"), "louvain"));
        shoot("dataset");

        new Select(driver.findElement(By.id("model"))).selectByVisibleText("pearson");
        driver.findElement(By.id("start-job")).click();
        wait.until(ExpectedConditions.urlContains("#/jobs/"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#job-status [data-status=done]")));
        shoot("job");
        driver.findElement(By.id("open-network")).click();

        wait.until(ExpectedConditions.attributeToBe(By.id("cy"), "data-ready", "true"));
        String jobId = driver.getCurrentUrl().replaceAll(".*#/jobs/([^/]+)/network.*", "$1");
        String tf = ts.get("/api/v1/jobs/" + jobId + "/network?top=1").bodyAsJsonObject().getJsonArray("edges")
                .getJsonObject(0).getString("tf");
        driver.findElement(By.id("gene-search")).sendKeys(tf);
        driver.findElement(By.id("gene-search-btn")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("graph-title"), "Around " + tf));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("activity-title"), tf + " regulon"));
        wait.until(d -> pixels("#cy canvas") > 500);
        wait.until(d -> pixels("#net-embedding") > 200);
        assertTrue(driver.findElements(By.cssSelector("#edge-table tbody tr")).size() > 0);
        // The network page shows how many edges pass 5 % / 10 % FDR (pbmc_small has enough cells for q-values).
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("fdr-counts"), "at FDR 5 %"));
        for (String f : List.of("tsv", "csv", "graphml", "cytoscape", "h5ad")) {
            assertEquals(1, driver.findElements(By.id("export-" + f)).size(), "download button " + f);
        }
        shoot("network");

        // Perturb: knock the regulator out; arrows over the cells and the shift table appear.
        WebElement perturbTf = driver.findElement(By.id("perturb-tf"));
        perturbTf.clear();
        perturbTf.sendKeys(tf);
        driver.findElement(By.id("perturb-run")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("perturb-status"), "data-status", "done"));
        assertTrue(Integer.parseInt(driver.findElement(By.id("perturb-svg")).getAttribute("data-arrows")) > 0);
        assertTrue(driver.findElements(By.cssSelector("#perturb-genes tbody tr")).size() > 0);
        assertTrue(driver.findElement(By.id("perturb-genes")).getText().contains(tf));
        for (String f : List.of("svg", "png", "tsv")) {
            assertTrue(driver.findElement(By.id("perturb-" + f + "-export")).isDisplayed(), "export " + f);
        }
        ((JavascriptExecutor) driver).executeScript("document.getElementById('perturb-card').scrollIntoView()");
        shoot("perturb");

        driver.get(base + "#/");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("datasets-table"), "pbmc_small.h5ad"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs-table"), "done"));
        shoot("datasets");
        assertTrue(Files.size(shots.resolve("network.png")) > 10_000);
    }

    /**
     * A multiome job (muon's 10x PBMC Multiome subset, ATAC found automatically): the gene track API answers for a
     * gene with linked peaks, and the network page draws its peaks and arcs when the user centres on that gene and
     * highlights the regulator's peaks when an edge row is clicked.
     */
    @Test
    void multiomeGeneTrack() throws Exception {
        Path h5mu = Path.of("..", "graph-models", "src", "test", "resources", "atac", "test_rna_atac_2020.h5mu");
        assertTrue(Files.isRegularFile(h5mu), "fixture missing: " + h5mu.toAbsolutePath());
        String ds = ts.upload(h5mu, "pbmc_multiome.h5mu").bodyAsJsonObject().getString("id");
        String job = ts.post("/api/v1/jobs", new JsonObject().put("dataset", ds)
                .put("model", "pearson")).bodyAsJsonObject().getString("id");
        ts.awaitJobStatus(job, "done");
        JsonObject track = ts.get("/api/v1/jobs/" + job + "/atac/genes/IL7R").bodyAsJsonObject();
        assertEquals("chr5", track.getString("chrom"), track.encode());
        assertTrue(track.getJsonArray("peaks").size() > 0, track.encode());
        // IL7R's promoter peak carries LEF1 evidence in this run (docs/benchmarks.md, multiome: round 3).
        assertTrue(track.getJsonArray("peaks").stream().anyMatch(p -> ((JsonObject) p)
                .getJsonArray("motifs").stream().anyMatch(m -> "LEF1".equals(((JsonObject) m)
                        .getString("tf")))), track.encode());
        assertEquals(404, ts.get("/api/v1/jobs/" + job + "/atac/genes/NO_SUCH_GENE").statusCode());

        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
        driver.get("http://127.0.0.1:" + ts.port() + "/#/jobs/" + job + "/network");
        wait.until(ExpectedConditions.attributeToBe(By.id("cy"), "data-ready", "true"));
        driver.findElement(By.id("gene-search")).sendKeys("IL7R");
        driver.findElement(By.id("gene-search-btn")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("track-card"), "data-gene", "IL7R"));
        int peaks = track.getJsonArray("peaks").size();
        assertEquals(Integer.toString(peaks), driver.findElement(By.id("gene-track")).getAttribute("data-peaks"));
        assertEquals(peaks, driver.findElements(By.cssSelector("#gene-track rect[data-peak]")).size());
        assertTrue(driver.findElements(By.cssSelector("#track-peaks tbody tr")).size() == peaks);
        assertTrue(driver.findElement(By.id("track-peaks")).getText().contains("LEF1"));
        // An edge row LEF1 -> IL7R: the track of IL7R with LEF1's peaks in blue.
        wait.until(d -> !d.findElements(By.cssSelector("#edge-table tr[data-tf='LEF1'][data-target='IL7R']"))
                .isEmpty());
        driver.findElement(By.cssSelector("#edge-table tr[data-tf='LEF1'][data-target='IL7R']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#gene-track rect[fill='#2563eb']")).isEmpty());
        ((JavascriptExecutor) driver).executeScript("document.getElementById('track-card').scrollIntoView()");
        shoot("gene-track");
    }

    /**
     * A server with a token: the first page load sends several API requests at once, each answered 401; the UI
     * asks for the token once and sends it on all of them (issue 11 found three prompts). Also proves the
     * Content-Security-Policy leaves the UI working.
     */
    @Test
    void oneTokenPromptOnFirstLoad() throws Exception {
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, tmp.resolve("ws-token"), 1 << 20, "s3cret", null, false,
                1, 1);
        try (TestServer secured = new TestServer(tmp.resolve("ws-token"), cfg, new PipelineJobExecutor())) {
            ((ChromeDriver) driver).executeCdpCommand(
                    "Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                            "window.__prompts = 0; window.prompt = () => { window.__prompts++; return 's3cret'; };"));
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
            driver.get("http://127.0.0.1:" + secured.port() + "/");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("server-status"), "server ok"));
            // Filled once both /datasets and /jobs have answered (after their 401 and the retry with the token).
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("datasets-table"), "No datasets yet"));
            assertEquals(1L, ((Number) ((JavascriptExecutor) driver).executeScript("return window.__prompts"))
                    .longValue());
            assertEquals(0, driver.findElements(By.cssSelector("#error:not([hidden])")).size(),
                    "no error shown once the token is given");
        }
    }
}
