package io.scgrn.app.run;

import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Progress;
import io.scgrn.models.calibration.DecoyCalibration;
import io.scgrn.models.prep.PreparedData;

import java.util.Map;

/**
 * Infers the per-group networks of {@code --groupby}. The pipeline runs them here, one after another, unless it is
 * given another strategy ({@link InferPipeline#withGroupInference}), e.g. the spark module's, which runs each group
 * on a cluster executor. A strategy must give exactly what {@link DecoyCalibration#infer} gives for each group (the
 * network with q-values, and the calibration summary).
 */
@FunctionalInterface
public interface GroupInference {
    /**
     * @param groups  category → prepared data, in category order
     * @return category → result, for every category of {@code groups}, in category order
     */
    Map<String, DecoyCalibration.Result> infer(Map<String, PreparedData> groups, GrnModel model,
                                               InferenceOptions options, DecoyCalibration.Settings calibration,
                                               Progress progress);
}
