package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code dict} 0.1.0: a group of named elements, decoded recursively. Columns become plain arrays here (NumArray,
 * boolean[], String[]) since outside a dataframe they are just arrays.
 */
final class DictDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "dict";
    }

    @Override
    public String encodingVersion() {
        return "0.1.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        Group g = group(ctx, node);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : children(ctx, g).entrySet()) {
            out.put(e.getKey(), Values.plain(decoders.read(ctx, e.getValue())));
        }
        return out;
    }

    static Map<String, Node> children(ReadContext ctx, Group g) {
        try {
            return g.getChildren();
        } catch (RuntimeException e) {
            throw ctx.wrap(g.getPath(), e);
        }
    }
}
