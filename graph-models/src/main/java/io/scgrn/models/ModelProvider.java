package io.scgrn.models;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A source of GRN models for {@link Models}, found with {@link java.util.ServiceLoader}: list the implementing
 * class (public, with a public no-argument constructor) in {@code META-INF/services/io.scgrn.models.ModelProvider}.
 * Providers are consulted in the order that file lists them, so that order is the order of {@link Models#names()}.
 */
public interface ModelProvider {
    /** The models contributed: {@code --model} name → factory returning a new instance per call, in listing order. */
    Map<String, Supplier<GrnModel>> models();
}
