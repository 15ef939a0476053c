package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;

/** {@code nullable-integer} 0.1.0: {@code values} plus a {@code mask} that is true where the value is NA. */
final class NullableIntegerDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "nullable-integer";
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
        DType dtype = H5Arrays.dtype(values);
        if (dtype == null || dtype == DType.STRING) {
            throw ctx.fail(values.getPath(), "nullable-integer values must be numbers");
        }
        Object flat = H5Arrays.readFlat(ctx, values, false);
        return new Column.Numeric(g.getName(), dtype, H5Arrays.toNum(ctx, values.getPath(), flat, dtype), valid,
                encodingType());
    }
}
