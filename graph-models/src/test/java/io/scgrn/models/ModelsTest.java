package io.scgrn.models;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelsTest {
    @Test
    void providersAreDiscoveredInServiceFileOrder() {
        List<String> names = Models.names();
        assertTrue(names.containsAll(List.of("pearson", "spearman", "grnboost", "sem", "gnn")), names.toString());
        assertTrue(names.indexOf("pearson") < names.indexOf("grnboost")
                && names.indexOf("grnboost") < names.indexOf("sem"), "baselines are listed before nn: " + names);
        assertTrue(names.contains(Models.DEFAULT_NAME));
        for (String n : names) {
            assertEquals(n, Models.byName(n).name());
        }
        assertNotSame(Models.byName("pearson"), Models.byName("pearson"), "a new instance per lookup");
        assertEquals(Models.DEFAULT_NAME, Models.byName(null).name());
        assertEquals(Models.DEFAULT_NAME, Models.byName("default").name());
        ModelException e = assertThrows(ModelException.class, () -> Models.byName("nope"));
        assertEquals("model", e.field());
        assertTrue(e.getMessage().contains("pearson"), e.getMessage());
    }
}
