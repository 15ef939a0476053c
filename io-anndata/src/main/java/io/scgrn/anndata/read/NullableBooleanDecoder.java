package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.Column;

/** {@code nullable-boolean} 0.1.0: {@code values} plus a {@code mask} that is true where the value is NA. */
final class NullableBooleanDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "nullable-boolean";
    }

    @Override
    public String encodingVersion() {
        return "0.1.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        Group g = Nullables.group(ctx, node, encodingType());
        Dataset values = Nullables.dataset(ctx, g, "values");
        boolean[] valid = Nullables.valid(ctx, g, values);
        boolean[] v = H5Arrays.toBools(ctx, values.getPath(), H5Arrays.readFlat(ctx, values, false));
        return new Column.Bool(g.getName(), v, valid, encodingType());
    }
}
