package io.scgrn.app.batch;

import io.scgrn.app.batch.BatchPlan.DatasetSpec;
import io.scgrn.app.run.atac.AtacOptions;
import io.scgrn.app.run.InferPipeline;
import io.scgrn.app.run.InferRequest;
import io.scgrn.app.run.InferResult;
import java.nio.file.Path;

/**
 * Runs a task through {@link InferPipeline}, the code path of {@code scgrn infer}: a batch task's folder holds
 * exactly what {@code scgrn infer --out} would write, plus the batch's {@code task.json}.
 */
public final class PipelineTaskExecutor implements TaskExecutor {
    private final InferPipeline pipeline;

    /** @param pipeline the pipeline (with the configuration whose model defaults apply) */
    public PipelineTaskExecutor(InferPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public TaskOutput run(TaskSpec task, Path outDir, TaskProgress progress) {
        InferResult r = pipeline.execute(request(task, outDir), progress);
        return new TaskOutput(r.device(), r.network().size());
    }

    /**
     * Tasks of the neural models (package {@code io.scgrn.models.nn}, trained with DJL) are exclusive: DJL's
     * PyTorch engine allows one gradient collector per process ("A PtGradientCollector is already collecting"), so
     * two trainings in one JVM fail. Unknown names are not exclusive (the task fails on its own).
     */
    @Override
    public boolean exclusive(TaskSpec task) {
        return InferPipeline.usesDjl(task.model());
    }

    /** The pipeline request for {@code task}, writing into {@code outDir}. */
    public static InferRequest request(TaskSpec task, Path outDir) {
        DatasetSpec d = task.dataset();
        AtacOptions atac = AtacOptions.auto().withRnaMod(d.rnaMod()).withAtacMod(d.atacMod()).withAtacFile(d.atac());
        return InferRequest.builder(d.path()).model("default".equals(task.model()) ? null : task.model()).tfsFile(d.tfs()).species(d.species())
                .groupby(d.groupby()).layer(d.layer()).device(task.device()).seed(task.seed()).outDir(outDir)
                .params(task.params()).prepParams(d.prep()).prior(d.prior()).atac(atac).build();
    }
}
