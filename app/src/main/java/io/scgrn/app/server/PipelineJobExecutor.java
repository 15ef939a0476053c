package io.scgrn.app.server;

import io.scgrn.app.run.InferPipeline;
import io.scgrn.app.run.InferRequest;
import io.scgrn.app.run.InferResult;
import io.scgrn.app.run.ScgrnConfig;
import io.scgrn.models.Progress;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Runs jobs through {@link InferPipeline}, the same code path as {@code scgrn infer}. */
public final class PipelineJobExecutor implements JobExecutor {
    private final InferPipeline pipeline = new InferPipeline(ScgrnConfig.embedded());

    private static InferRequest request(JobSpec spec, Path input, Path outDir) {
        return InferRequest.builder(input).model(spec.model()).species(spec.species())
                .groupby(spec.groupby()).layer(spec.layer()).device(spec.device()).seed(spec.seed())
                .params(spec.params()).prepParams(spec.prepParams()).topRegulonTargets(spec.topRegulonTargets())
                .fdr(spec.fdr()).outDir(outDir).build();
    }

    @Override
    public void validate(JobSpec spec) {
        // The input path is not read by the check; any path will do.
        pipeline.check(request(spec, Path.of("input"), Path.of("out")));
    }

    @Override
    public boolean exclusive(JobSpec spec) {
        return InferPipeline.usesDjl(spec.model());
    }

    @Override
    public JsonObject run(JobSpec spec, Path input, Path outDir, Progress progress) {
        InferResult r = pipeline.execute(request(spec, input, outDir), progress);
        JsonObject timings = new JsonObject();
        r.timingsMs().forEach(timings::put);
        JsonObject scores = new JsonObject();
        r.scores().forEach(scores::put);
        return new JsonObject().put("model", r.model()).put("device", r.device()).put("edges", r.network().size())
                .put("groups", new JsonArray(r.groupNetworks().keySet().stream().toList()))
                .put("n_cells", r.nCells()).put("n_genes", r.nGenes()).put("n_tfs", r.nTfs())
                .put("timings_ms", timings).put("scores", scores)
                .put("files", new JsonArray(r.files().keySet().stream().toList()));
    }
}
