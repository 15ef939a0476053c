package io.scgrn.anndata.read;

import io.jhdf.filter.Filter;
import io.jhdf.filter.FilterManager;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Registers this package's HDF5 filters with jhdf's global registry once per filter id. */
final class FilterRegistration {
    private static final Set<Integer> INSTALLED = ConcurrentHashMap.newKeySet();

    private FilterRegistration() {
    }

    /**
     * Adds the filter made by {@code filter} unless one with {@code id} was already added here; when this returns,
     * the filter is registered (the id is recorded only after jhdf has it).
     */
    static void installOnce(int id, Supplier<Filter> filter) {
        if (INSTALLED.contains(id)) {
            return;
        }
        synchronized (INSTALLED) {
            if (!INSTALLED.contains(id)) {
                FilterManager.addFilter(filter.get());
                INSTALLED.add(id);
            }
        }
    }
}
