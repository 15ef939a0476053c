package io.scgrn.models.nn;

import io.scgrn.models.GrnModel;
import io.scgrn.models.ModelProvider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Registers the neural models: {@link SemModel#NAME}, {@link GnnModel#NAME}, {@link CrowdModel#NAME} and
 * {@link RegDiffusionModel#NAME}. */
public final class NnModels implements ModelProvider {
    @Override
    public Map<String, Supplier<GrnModel>> models() {
        Map<String, Supplier<GrnModel>> m = new LinkedHashMap<>();
        m.put(SemModel.NAME, SemModel::new);
        m.put(GnnModel.NAME, GnnModel::new);
        m.put(CrowdModel.NAME, CrowdModel::new);
        m.put(RegDiffusionModel.NAME, RegDiffusionModel::new);
        return m;
    }
}
