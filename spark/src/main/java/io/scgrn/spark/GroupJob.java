package io.scgrn.spark;

import io.scgrn.models.Edge;
import io.scgrn.models.EdgeColumns;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Progress;
import io.scgrn.models.calibration.DecoyCalibration;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One {@code --groupby} category as it travels to an executor: its prepared matrix (cells × genes, row-major) and
 * TFs, the model's name, parameters, seed, device and prior edges; {@link #call} runs the model exactly as the
 * driver would (with the same false-discovery calibration) and returns the network as plain arrays.
 */
record GroupJob(String group, float[] values, String[] cells, String[] genes, String[] tfs, String model,
                LinkedHashMap<String, String> params, long seed, String device, String[] priorTf,
                String[] priorTarget, double[] priorScore, DecoyCalibration.Settings calibration)
        implements Serializable {

    /** The network as columns and the calibration summary. */
    record Result(String group, EdgeColumns edges, DecoyCalibration.Summary summary) implements Serializable {
        DecoyCalibration.Result calibrated() {
            return new DecoyCalibration.Result(edges.toNetwork(), summary);
        }
    }

    static GroupJob of(String group, ExpressionMatrix m, List<String> tfs, String model, InferenceOptions o,
                       DecoyCalibration.Settings calibration) {
        int n = o.prior() == null ? 0 : o.prior().size();
        String[] pt = new String[n];
        String[] pg = new String[n];
        double[] ps = new double[n];
        for (int i = 0; i < n; i++) {
            Edge e = o.prior().get(i);
            pt[i] = e.tf();
            pg[i] = e.target();
            ps[i] = e.score();
        }
        return new GroupJob(group, m.values(), m.cells().toArray(new String[0]), m.genes().toArray(new String[0]),
                tfs.toArray(new String[0]), model, new LinkedHashMap<>(o.params()), o.seed(), o.device(), pt, pg, ps,
                calibration);
    }

    Result call() {
        List<Edge> prior = new ArrayList<>();
        for (int i = 0; i < priorTf.length; i++) {
            prior.add(new Edge(priorTf[i], priorTarget[i], priorScore[i], 0, Double.NaN));
        }
        ExpressionMatrix m = new ExpressionMatrix(values, Arrays.asList(cells), Arrays.asList(genes));
        DecoyCalibration.Result r = DecoyCalibration.infer(Models.byName(model), m, Arrays.asList(tfs),
                new InferenceOptions(seed, device, params, prior), Progress.NONE, calibration);
        return new Result(group, EdgeColumns.of(r.network()), r.summary());
    }
}
