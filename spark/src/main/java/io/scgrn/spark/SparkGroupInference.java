package io.scgrn.spark;

import io.scgrn.app.run.GroupInference;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.calibration.DecoyCalibration;
import io.scgrn.models.Progress;
import io.scgrn.models.prep.PreparedData;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scgrn infer FILE --groupby COL --spark MASTER}: the driver reads and prepares the data (streaming it when it
 * is large), then each group's prepared matrix becomes one Spark task; the networks come back in category order,
 * the same networks a local run infers (same model, parameters and seed on the same matrix).
 */
final class SparkGroupInference implements GroupInference {
    private final JavaSparkContext sc;

    SparkGroupInference(JavaSparkContext sc) {
        this.sc = sc;
    }

    @Override
    public Map<String, DecoyCalibration.Result> infer(Map<String, PreparedData> groups, GrnModel model,
                                                      InferenceOptions options,
                                                      DecoyCalibration.Settings calibration, Progress progress) {
        List<GroupJob> jobs = new ArrayList<>();
        groups.forEach((g, d) -> jobs.add(GroupJob.of(g, d.matrix(), d.tfs(), model.name(), options, calibration)));
        Map<String, DecoyCalibration.Result> byGroup = new HashMap<>();
        for (GroupJob.Result r : sc.parallelize(jobs, Math.max(1, jobs.size())).map(GroupJob::call).collect()) {
            byGroup.put(r.group(), r.calibrated());
        }
        Map<String, DecoyCalibration.Result> out = new LinkedHashMap<>();
        for (String g : groups.keySet()) {
            out.put(g, byGroup.get(g));
        }
        return out;
    }
}
