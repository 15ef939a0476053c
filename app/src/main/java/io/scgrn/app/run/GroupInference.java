package io.scgrn.app.run;

import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.prep.PreparedData;

import java.util.Map;

/**
 * Infers the per-group networks of {@code --groupby}. The pipeline runs them here, one after another, unless it is
 * given another strategy ({@link InferPipeline#withGroupInference}), e.g. the spark module's, which runs each group
 * on a cluster executor. A strategy must give exactly the networks {@link GrnModel#infer} gives for each group.
 */
@FunctionalInterface
public interface GroupInference {
    /**
     * @param groups  category → prepared data, in category order
     * @return category → network, for every category of {@code groups}
     */
    Map<String, Network> infer(Map<String, PreparedData> groups, GrnModel model, InferenceOptions options,
                               Progress progress);
}
