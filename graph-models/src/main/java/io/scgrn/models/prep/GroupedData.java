package io.scgrn.models.prep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-group preparation results of {@link Preparation#prepareGroups}.
 *
 * @param column  the obs column the cells were grouped by
 * @param groups  category → prepared data, in category order
 * @param skipped category → why it was not prepared (fewer than 2 cells, no TF expressed, …)
 */
public record GroupedData(String column, Map<String, PreparedData> groups, Map<String, String> skipped) {
    public GroupedData {
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
    }
}
