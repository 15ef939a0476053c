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
 * on a cluster executor. A strategy must give exactly what {@link DecoyCalibration#infer} gives for each group
 * (the network with its q-values and the calibration summary).
 */
@FunctionalInterface
public interface GroupInference {
    /**
     * @param groups  category → prepared data, in category order
     * @param calibration the false-discovery estimate's settings, as for the whole data
     * @return category → calibrated network, for every category of {@code groups}
     */
    Map<String, DecoyCalibration.Result> infer(Map<String, PreparedData> groups, GrnModel model,
                                               InferenceOptions options, DecoyCalibration.Settings calibration,
                                               Progress progress);
}
