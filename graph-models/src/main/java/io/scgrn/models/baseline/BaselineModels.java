package io.scgrn.models.baseline;

import io.scgrn.models.GrnModel;
import io.scgrn.models.ModelProvider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Registers the baselines: {@code pearson}, {@code spearman}, {@code grnboost}. */
public final class BaselineModels implements ModelProvider {
    @Override
    public Map<String, Supplier<GrnModel>> models() {
        Map<String, Supplier<GrnModel>> m = new LinkedHashMap<>();
        m.put("pearson", CorrelationModel::pearson);
        m.put("spearman", CorrelationModel::spearman);
        m.put("grnboost", GrnBoostModel::new);
        return m;
    }
}
