package io.scgrn.app.batch;

import io.scgrn.app.batch.BatchPlan.DatasetSpec;
import io.scgrn.app.run.Versions;
import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Scores;
import io.scgrn.models.eval.Truth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch's {@code report.html} (self-contained: inline CSS and SVG, no scripts or external requests),
 * {@code summary.tsv} and {@code summary.json}. Everything is read back from the task folders, so a resumed batch
 * reports its reused tasks exactly like fresh ones.
 *
 * <p>Per dataset the report shows, for every completed task: the top regulons (TFs with the most targets among the
 * top tenth of the ranked edges, at most {@value #TOP_EDGES}), the distribution of targets per TF in those edges,
 * the distribution of all edge scores, the training loss curves recorded from the pipeline's progress, and, when the plan gives a truth file,
 * EPR / AUPRC ratio / AUROC per task ({@link Evaluation}) with a comparison chart.
 */
public final class ReportWriter {
    public static final String HTML = "report.html";
    public static final String TSV = "summary.tsv";
    public static final String JSON = "summary.json";
    /** Edges that make "the network" for regulons and degrees (networks rank every TF × gene pair). */
    public static final int TOP_EDGES = 1000;
    static final int SCORE_BINS = 40;
    static final int TOP_REGULONS = 8;
    private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

    /**
     * One regulon among the top edges.
     *
     * @param tf        regulator
     * @param nTargets  its targets among the top edges
     * @param meanScore mean score of those edges
     * @param targets   its best targets, best first (at most 6)
     */
    public record Regulon(String tf, int nTargets, double meanScore, List<String> targets) {
    }

    /**
     * What the report shows of one network file.
     *
     * @param nEdges       edges in the file
     * @param nTop         edges taken as the network: the top tenth, at most {@value ReportWriter#TOP_EDGES}
     * @param maxScore     largest score (upper edge of the histogram)
     * @param scoreCounts  edges per score bin over [0, maxScore]
     * @param regulons     TFs by number of targets among the top edges, most first
     * @param degreeCounts TFs per targets-count bin among the top edges
     * @param degreeBin    width of a degree bin (bin i holds degrees 1 + i·w … (i+1)·w)
     * @param nTfs         distinct TFs among the top edges
     * @param nTargets     distinct targets among the top edges
     */
    public record NetworkSummary(long nEdges, int nTop, double maxScore, long[] scoreCounts, List<Regulon> regulons,
                                 long[] degreeCounts, int degreeBin, int nTfs, int nTargets) {
    }

    /** A task with what was read back from its folder. */
    record TaskView(TaskResult result, NetworkSummary network, List<TaskProgress.LossPoint> losses, Scores scores,
                    String problem) {
        TaskSpec task() {
            return result.task();
        }

        TaskManifest manifest() {
            return result.manifest();
        }
    }

    private ReportWriter() {
    }

    /** Writes the three files into {@code out} (each through a temporary file and a rename). */
    public static void write(BatchPlan plan, BatchResult result, Path out) throws IOException {
        Map<String, Truth> truths = new HashMap<>();
        Map<String, String> truthErrors = new HashMap<>();
        for (DatasetSpec d : plan.datasets()) {
            if (d.truth() != null) {
                try {
                    truths.put(d.name(), Evaluation.readTruth(d.truth()));
                } catch (ModelException e) {
                    truthErrors.put(d.name(), e.getMessage());
                }
            }
        }
        List<TaskView> views = new ArrayList<>();
        for (TaskResult r : result.results()) {
            views.add(view(r, truths.get(r.task().dataset().name()), truthErrors.get(r.task().dataset().name())));
        }
        atomicWrite(out.resolve(TSV), tsv(views));
        atomicWrite(out.resolve(JSON), json(plan, result, views).encodePrettily() + "\n");
        atomicWrite(out.resolve(HTML), html(plan, result, views, truthErrors));
    }

    private static TaskView view(TaskResult r, Truth truth, String truthError) {
        if (r.status() != TaskStatus.OK) {
            return new TaskView(r, null, readLosses(r.dir().resolve(BatchRunner.LOSS)), null, null);
        }
        Path net = r.dir().resolve(BatchRunner.NETWORK);
        NetworkSummary summary = null;
        Scores scores = null;
        String problem = truthError;
        try {
            summary = summarise(net);
            if (truth != null) {
                List<Edge> edges = Evaluation.readPredictions(net);
                scores = Evaluation.score(edges, truth);
            }
        } catch (IOException | ModelException | NumberFormatException e) {
            problem = "cannot read " + net + ": " + e.getMessage();
            LOG.warn(problem);
        }
        return new TaskView(r, summary, readLosses(r.dir().resolve(BatchRunner.LOSS)), scores, problem);
    }

    /** Streams a network.tsv (best edge first) into what the report shows. */
    public static NetworkSummary summarise(Path networkTsv) throws IOException {
        List<String[]> top = new ArrayList<>();
        List<Double> topScores = new ArrayList<>();
        long[] counts = new long[SCORE_BINS];
        double max = Double.NaN;
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(networkTsv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new IOException("empty file");
            }
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                int a = line.indexOf('\t');
                int b = a < 0 ? -1 : line.indexOf('\t', a + 1);
                if (b < 0) {
                    throw new IOException("line " + (n + 2) + " has fewer than 3 columns");
                }
                int c = line.indexOf('\t', b + 1);
                double s = Math.abs(Double.parseDouble(line.substring(b + 1, c < 0 ? line.length() : c)));
                if (Double.isNaN(max)) {
                    max = s > 0 ? s : 1; // the file is sorted best first: the first score is the largest
                }
                int bin = (int) Math.min(SCORE_BINS - 1, Math.floor(s / max * SCORE_BINS));
                counts[Math.max(0, bin)]++;
                if (top.size() < TOP_EDGES) {
                    top.add(new String[] {line.substring(0, a), line.substring(a + 1, b)});
                    topScores.add(s);
                }
                n++;
            }
        }
        // "The network" is the top tenth of the ranking, at most TOP_EDGES edges: a ranking of every TF x gene pair
        // is not a network, and on small data the top 1000 would be all of it.
        int nTop = (int) Math.min(top.size(), Math.max(Math.min(10, n), Math.min(TOP_EDGES, (n + 9) / 10)));
        Map<String, List<Integer>> byTf = new LinkedHashMap<>();
        Map<String, Integer> targets = new HashMap<>();
        for (int i = 0; i < nTop; i++) {
            byTf.computeIfAbsent(top.get(i)[0], k -> new ArrayList<>()).add(i);
            targets.merge(top.get(i)[1], 1, Integer::sum);
        }
        List<Regulon> regulons = new ArrayList<>();
        int maxDeg = 0;
        for (Map.Entry<String, List<Integer>> e : byTf.entrySet()) {
            List<Integer> idx = e.getValue();
            double sum = 0;
            List<String> best = new ArrayList<>();
            for (int i : idx) {
                sum += topScores.get(i);
                if (best.size() < 6) {
                    best.add(top.get(i)[1]);
                }
            }
            regulons.add(new Regulon(e.getKey(), idx.size(), sum / idx.size(), best));
            maxDeg = Math.max(maxDeg, idx.size());
        }
        regulons.sort(Comparator.comparingInt(Regulon::nTargets).reversed()
                .thenComparing(Comparator.comparingDouble(Regulon::meanScore).reversed())
                .thenComparing(Regulon::tf));
        int binW = Math.max(1, (maxDeg + 29) / 30);
        long[] degree = new long[Math.max(1, (maxDeg + binW - 1) / binW)];
        for (Regulon g : regulons) {
            degree[(g.nTargets() - 1) / binW]++;
        }
        return new NetworkSummary(n, nTop, Double.isNaN(max) ? 1 : max, counts,
                List.copyOf(regulons.subList(0, Math.min(TOP_REGULONS, regulons.size()))), degree, binW,
                byTf.size(), targets.size());
    }

    static List<TaskProgress.LossPoint> readLosses(Path lossTsv) {
        List<TaskProgress.LossPoint> out = new ArrayList<>();
        if (!Files.isRegularFile(lossTsv)) {
            return out;
        }
        try (BufferedReader r = Files.newBufferedReader(lossTsv, StandardCharsets.UTF_8)) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t");
                if (f.length >= 5) {
                    out.add(new TaskProgress.LossPoint(f[1], Integer.parseInt(f[0]), Integer.parseInt(f[2]),
                            Integer.parseInt(f[3]), Double.parseDouble(f[4])));
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("cannot read {}: {}", lossTsv, e.toString());
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- summary files

    private static final List<String> TSV_COLUMNS = List.of("task_id", "folder", "dataset", "model", "params", "seed",
            "device", "device_used", "status", "reused", "exit_code", "seconds", "n_edges", "epr", "auprc_ratio",
            "auroc", "auprc", "error");

    static String tsv(List<TaskView> views) {
        StringBuilder sb = new StringBuilder(String.join("\t", TSV_COLUMNS)).append('\n');
        for (TaskView v : views) {
            TaskManifest m = v.manifest();
            Scores s = v.scores();
            List<String> row = List.of(v.task().id(), v.task().folder(), v.task().dataset().name(), v.task().model(),
                    v.task().paramsLabel(), Long.toString(v.task().seed()), v.task().device(),
                    m.deviceUsed() == null ? "" : m.deviceUsed(), m.status().label(),
                    Boolean.toString(v.result().reused()), Integer.toString(m.exitCode()),
                    String.format(Locale.ROOT, "%.3f", m.seconds()),
                    v.network() != null ? Long.toString(v.network().nEdges()) : m.nEdges() >= 0
                            ? Long.toString(m.nEdges()) : "",
                    s == null ? "" : fmt(s.epr()), s == null ? "" : fmt(s.auprcRatio()),
                    s == null ? "" : fmt(s.auroc()), s == null ? "" : fmt(s.auprc()),
                    m.error() == null ? "" : m.error().replace('\t', ' '));
            sb.append(String.join("\t", row)).append('\n');
        }
        return sb.toString();
    }

    static JsonObject json(BatchPlan plan, BatchResult result, List<TaskView> views) {
        JsonArray tasks = new JsonArray();
        for (TaskView v : views) {
            TaskManifest m = v.manifest();
            JsonObject params = new JsonObject();
            v.task().params().forEach(params::put);
            JsonObject t = new JsonObject().put("id", v.task().id()).put("folder", v.task().folder())
                    .put("dataset", v.task().dataset().name()).put("input", v.task().dataset().path().toString())
                    .put("model", v.task().model()).put("params", params).put("seed", v.task().seed())
                    .put("device", v.task().device()).put("device_used", m.deviceUsed())
                    .put("status", m.status().label()).put("reused", v.result().reused())
                    .put("exit_code", m.exitCode()).put("seconds", m.seconds()).put("error", m.error())
                    .put("started", m.started() == null ? null : m.started().toString());
            if (v.network() != null) {
                t.put("n_edges", v.network().nEdges());
                JsonArray regs = new JsonArray();
                for (Regulon g : v.network().regulons()) {
                    regs.add(new JsonObject().put("tf", g.tf()).put("n_targets", g.nTargets())
                            .put("targets", new JsonArray(new ArrayList<>(g.targets()))));
                }
                t.put("top_regulons", regs);
            }
            if (v.scores() != null) {
                Scores s = v.scores();
                t.put("scores", new JsonObject().put("epr", s.epr()).put("auprc_ratio", s.auprcRatio())
                        .put("auroc", s.auroc()).put("auprc", s.auprc()).put("early_precision", s.earlyPrecision())
                        .put("density", s.density()).put("n_true", s.nTrue()).put("n_candidates", s.nCandidates()));
            }
            if (v.problem() != null) {
                t.put("report_problem", v.problem());
            }
            tasks.add(t);
        }
        JsonObject counts = new JsonObject();
        for (TaskStatus s : TaskStatus.values()) {
            counts.put(s.label(), result.count(s));
        }
        counts.put("reused", result.reused()).put("total", result.results().size());
        return new JsonObject().put("format", "scgrn-batch-summary/1")
                .put("plan", new JsonObject().put("file", plan.file().toString()).put("name", plan.title())
                        .put("sha256", Hashes.sha256(plan.text())))
                .put("scgrn_version", Versions.scgrn())
                .put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("out", result.out().toAbsolutePath().toString()).put("cancelled", result.cancelled())
                .put("exit_code", result.exitCode()).put("seconds", result.seconds())
                .put("counts", counts).put("tasks", tasks);
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "";
    }

    // ---------------------------------------------------------------------------------------------- HTML

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
            header{background:#24303f;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}
            header p{margin:4px 0 0;color:#c9d3df}main{padding:8px 32px 40px;max-width:1500px}
            h2{border-bottom:2px solid #d9dee5;padding-bottom:4px;margin-top:32px}h3{margin:20px 0 6px}
            table{border-collapse:collapse;background:#fff;margin:6px 0}th,td{border:1px solid #dde2e8;padding:3px 8px;
            text-align:left;vertical-align:top}th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;color:#fff}
            .ok{background:#3c8d40}.failed{background:#c0392b}.interrupted{background:#d68910}.not-run{background:#7f8c8d}
            .err{color:#a93226;max-width:520px;word-break:break-word}.muted{color:#6b7785}
            .cards{display:flex;flex-wrap:wrap;gap:14px}.card{background:#fff;border:1px solid #dde2e8;border-radius:6px;
            padding:10px 14px;max-width:100%}.card h4{margin:0 0 6px;font-size:14px}
            .charts{display:flex;flex-wrap:wrap;gap:8px}pre{background:#fff;border:1px solid #dde2e8;padding:10px;
            overflow:auto;max-height:420px}.kpi{display:inline-block;margin-right:22px}.kpi b{font-size:20px}
            svg.chart{background:#fff;border:1px solid #e3e7ec}svg .title{font-size:12px;font-weight:600}
            svg .tick{font-size:10px;fill:#555}svg .label{font-size:11px;fill:#333}svg .grid{stroke:#eceff3}
            svg .axis{stroke:#888}svg .ref{stroke:#c0392b;stroke-dasharray:4 3}
            """;

    static String html(BatchPlan plan, BatchResult result, List<TaskView> views, Map<String, String> truthErrors) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>")
                .append("<meta name='viewport' content='width=device-width, initial-scale=1'>")
                .append("<title>scgrn batch: ").append(esc(plan.title())).append("</title><style>").append(CSS)
                .append("</style></head><body>");
        h.append("<header><h1>scgrn batch report: ").append(esc(plan.title())).append("</h1><p>")
                .append(esc(plan.file().toString())).append(" · scgrn ").append(esc(Versions.scgrn()))
                .append(" · generated ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("</p></header><main>");
        overview(h, result);
        scoreOverview(h, plan, views);
        taskTable(h, views);
        for (DatasetSpec d : plan.datasets()) {
            dataset(h, d, views.stream().filter(v -> v.task().dataset().name().equals(d.name())).toList(),
                    truthErrors.get(d.name()));
        }
        h.append("<h2 id='plan'>Plan</h2><p class='muted'>").append(plan.datasets().size()).append(" dataset(s) × ")
                .append(plan.models().size()).append(" model entr").append(plan.models().size() == 1 ? "y" : "ies")
                .append(" × ").append(plan.seeds().size()).append(" seed(s) → ").append(result.results().size())
                .append(" tasks; relative paths are resolved against the plan's folder.</p><pre>")
                .append(esc(plan.text())).append("</pre>");
        h.append("</main></body></html>\n");
        return h.toString();
    }

    private static void overview(StringBuilder h, BatchResult r) {
        h.append("<h2>Overview</h2><div>");
        kpi(h, "tasks", Integer.toString(r.results().size()));
        kpi(h, "ok", Long.toString(r.count(TaskStatus.OK)));
        kpi(h, "reused", Long.toString(r.reused()));
        kpi(h, "failed", Long.toString(r.count(TaskStatus.FAILED)));
        if (r.count(TaskStatus.INTERRUPTED) + r.count(TaskStatus.NOT_RUN) > 0) {
            kpi(h, "interrupted", Long.toString(r.count(TaskStatus.INTERRUPTED)));
            kpi(h, "not run", Long.toString(r.count(TaskStatus.NOT_RUN)));
        }
        kpi(h, "wall time", ConsoleProgress.clock(r.seconds()));
        double cpu = r.results().stream().filter(x -> !x.reused()).mapToDouble(x -> x.manifest().seconds()).sum();
        kpi(h, "task time", ConsoleProgress.clock(cpu));
        h.append("</div>");
        if (r.cancelled()) {
            h.append("<p class='err'>This run was interrupted; rerun the same command to finish it (complete tasks "
                    + "are reused).</p>");
        }
    }

    private static void kpi(StringBuilder h, String label, String value) {
        h.append("<span class='kpi'><b>").append(esc(value)).append("</b> ").append(esc(label)).append("</span>");
    }

    /** EPR per dataset and task label across datasets: the plan's headline comparison. */
    private static void scoreOverview(StringBuilder h, BatchPlan plan, List<TaskView> views) {
        List<TaskView> scored = views.stream().filter(v -> v.scores() != null).toList();
        if (scored.isEmpty()) {
            return;
        }
        List<String> datasets = new ArrayList<>();
        Map<String, Map<String, Double>> byLabel = new LinkedHashMap<>(); // plan order: same colours as below
        for (TaskView v : scored) {
            String ds = v.task().dataset().name();
            if (!datasets.contains(ds)) {
                datasets.add(ds);
            }
            byLabel.computeIfAbsent(v.task().label(), k -> new HashMap<>()).put(ds, v.scores().epr());
        }
        List<SvgChart.Series> series = new ArrayList<>();
        byLabel.forEach((label, m) -> series.add(new SvgChart.Series(label,
                datasets.stream().mapToDouble(d -> m.getOrDefault(d, Double.NaN)).toArray())));
        h.append("<h2>Accuracy against the truth files</h2><div class='charts'>")
                .append(SvgChart.bars("EPR per dataset (dashed: random = 1)", datasets, series, "EPR", 1.0,
                        Math.max(560, 90 * datasets.size() * Math.max(1, series.size()) / 2),
                        260 + 16 * series.size()))
                .append("</div>");
    }

    private static void taskTable(StringBuilder h, List<TaskView> views) {
        h.append("<h2>Tasks</h2><table><tr><th>task</th><th>dataset</th><th>model</th><th>params</th><th>seed</th>")
                .append("<th>device</th><th>status</th><th>seconds</th><th>edges</th><th>phases (s)</th><th>error</th></tr>");
        for (TaskView v : views) {
            TaskManifest m = v.manifest();
            String cls = m.status().label();
            h.append("<tr><td><a href='").append(esc(BatchRunner.TASKS_DIR + "/" + v.task().folder() + "/"))
                    .append("'><code>").append(esc(v.task().id())).append("</code></a></td><td>")
                    .append(esc(v.task().dataset().name())).append("</td><td>").append(esc(v.task().model()))
                    .append("</td><td>").append(esc(v.task().paramsLabel())).append("</td><td class='n'>")
                    .append(v.task().seed()).append("</td><td>").append(esc(v.task().device()))
                    .append(m.deviceUsed() != null && !m.deviceUsed().equals(v.task().device())
                            ? " → " + esc(m.deviceUsed()) : "")
                    .append("</td><td><span class='badge ").append(cls).append("'>").append(cls).append("</span>")
                    .append(v.result().reused() ? " <span class='muted'>reused</span>" : "")
                    .append("</td><td class='n'>").append(String.format(Locale.ROOT, "%.2f", m.seconds()))
                    .append("</td><td class='n'>")
                    .append(v.network() != null ? Long.toString(v.network().nEdges()) : "")
                    .append("</td><td class='muted'>").append(esc(phases(m.phaseSeconds())))
                    .append("</td><td class='err'>").append(esc(m.error() == null ? "" : m.error()))
                    .append("</td></tr>");
        }
        h.append("</table>");
    }

    /** Seconds per phase; per-group phases ("infer cell_type=B") are summed under their first word. */
    static String phases(Map<String, Double> p) {
        Map<String, Double> merged = new LinkedHashMap<>();
        p.forEach((k, v) -> merged.merge(k.split(" ", 2)[0], v, Double::sum));
        StringBuilder sb = new StringBuilder();
        merged.forEach((k, v) -> sb.append(sb.length() > 0 ? ", " : "").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.2f", v)));
        return sb.toString();
    }

    private static void dataset(StringBuilder h, DatasetSpec d, List<TaskView> views, String truthError) {
        h.append("<h2 id='ds-").append(esc(d.name())).append("'>Dataset ").append(esc(d.name())).append("</h2>")
                .append("<p class='muted'>").append(esc(d.path().toString()));
        if (d.groupby() != null) {
            h.append(" · groups by <code>").append(esc(d.groupby())).append("</code> (per-group networks in each task"
                    + " folder's groups/)");
        }
        if (d.truth() != null) {
            h.append(" · truth ").append(esc(d.truth().getFileName().toString()));
        }
        h.append("</p>");
        if (truthError != null) {
            h.append("<p class='err'>Truth file not usable: ").append(esc(truthError)).append("</p>");
        }
        List<TaskView> scored = views.stream().filter(v -> v.scores() != null).toList();
        if (!scored.isEmpty()) {
            h.append("<h3>Accuracy</h3><table><tr><th>task</th><th>EPR</th><th>AUPRC ratio</th><th>AUROC</th>")
                    .append("<th>AUPRC</th><th>true edges</th><th>candidates</th></tr>");
            for (TaskView v : scored) {
                Scores s = v.scores();
                h.append("<tr><td>").append(esc(v.task().label())).append("</td><td class='n'>").append(fmt(s.epr()))
                        .append("</td><td class='n'>").append(fmt(s.auprcRatio())).append("</td><td class='n'>")
                        .append(fmt(s.auroc())).append("</td><td class='n'>").append(fmt(s.auprc()))
                        .append("</td><td class='n'>").append(s.nTrue()).append("</td><td class='n'>")
                        .append(s.nCandidates()).append("</td></tr>");
            }
            h.append("</table>");
            List<SvgChart.Series> series = new ArrayList<>();
            for (TaskView v : scored) {
                series.add(new SvgChart.Series(v.task().label(),
                        new double[] {v.scores().epr(), v.scores().auprcRatio(), v.scores().auroc()}));
            }
            h.append("<div class='charts'>").append(SvgChart.bars("EPR, AUPRC ratio and AUROC per task (dashed: 1)",
                    List.of("EPR", "AUPRC ratio", "AUROC"), series, "score", 1.0,
                    Math.max(560, 60 * 3 * series.size()), 240 + 16 * series.size())).append("</div>");
        }
        List<SvgChart.Line> curves = new ArrayList<>();
        for (TaskView v : views) {
            Map<Integer, List<TaskProgress.LossPoint>> runs = new TreeMap<>();
            v.losses().forEach(p -> runs.computeIfAbsent(p.run(), k -> new ArrayList<>()).add(p));
            for (Map.Entry<Integer, List<TaskProgress.LossPoint>> e : runs.entrySet()) {
                List<TaskProgress.LossPoint> pts = e.getValue();
                String name = v.task().label() + (runs.size() > 1 ? " #" + (e.getKey() + 1) : "");
                curves.add(new SvgChart.Line(name, pts.stream().mapToDouble(TaskProgress.LossPoint::epoch).toArray(),
                        pts.stream().mapToDouble(TaskProgress.LossPoint::loss).toArray()));
            }
        }
        if (!curves.isEmpty()) {
            // Log scale only when the losses span more than a decade or so; otherwise it flattens the curves.
            double lo = curves.stream().flatMapToDouble(l -> Arrays.stream(l.y())).filter(Double::isFinite)
                    .min().orElse(1);
            double hi = curves.stream().flatMapToDouble(l -> Arrays.stream(l.y())).filter(Double::isFinite)
                    .max().orElse(1);
            boolean log = lo > 0 && hi / lo > 20;
            h.append("<h3>Training loss</h3><div class='charts'>")
                    .append(SvgChart.lines("Loss per epoch" + (log ? " (log scale)" : ""), curves, "epoch", "loss",
                            log, 640, 260 + 16 * Math.min(12, curves.size())))
                    .append("</div>");
        }
        h.append("<h3>Networks</h3><div class='cards'>");
        for (TaskView v : views) {
            h.append("<div class='card'><h4>").append(esc(v.task().label())).append(" <span class='badge ")
                    .append(v.manifest().status().label()).append("'>").append(v.manifest().status().label())
                    .append("</span></h4>");
            if (v.network() == null) {
                h.append("<p class='err'>").append(esc(v.problem() != null ? v.problem()
                        : v.manifest().error() != null ? v.manifest().error() : "no network")).append("</p></div>");
                continue;
            }
            NetworkSummary n = v.network();
            h.append("<p class='muted'>").append(n.nEdges()).append(" ranked edges; top ")
                    .append(n.nTop()).append(": ").append(n.nTfs()).append(" TFs → ")
                    .append(n.nTargets()).append(" targets</p>");
            h.append("<table><tr><th>regulon</th><th>targets in top ").append(n.nTop())
                    .append("</th><th>mean score</th><th>best targets</th></tr>");
            for (Regulon g : n.regulons()) {
                h.append("<tr><td><b>").append(esc(g.tf())).append("</b></td><td class='n'>").append(g.nTargets())
                        .append("</td><td class='n'>").append(SvgChart.num(g.meanScore())).append("</td><td>")
                        .append(esc(String.join(", ", g.targets()))).append("</td></tr>");
            }
            h.append("</table><div class='charts'>");
            int w = n.degreeBin();
            h.append(SvgChart.histogram("Targets per TF (top " + n.nTop() + " edges)", 1,
                    1 + (long) n.degreeCounts().length * w, n.degreeCounts(), "targets", "TFs", 340, 200));
            h.append(SvgChart.histogram("Edge scores (all " + n.nEdges() + ")", 0, n.maxScore(), n.scoreCounts(),
                    "score", "edges", 340, 200));
            h.append("</div></div>");
        }
        h.append("</div>");
    }

    private static String esc(String s) {
        return SvgChart.esc(s);
    }

    private static void atomicWrite(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
