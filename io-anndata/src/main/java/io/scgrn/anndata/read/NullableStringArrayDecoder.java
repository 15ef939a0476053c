package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.Column;

/** {@code nullable-string-array} 0.1.0: {@code values} plus a {@code mask}; masked entries become null. */
final class NullableStringArrayDecoder implements ElementDecoder {
    @Override
    public String encodingType() {
        return "nullable-string-array";
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
        String[] v = H5Arrays.toStrings(ctx, values.getPath(), H5Arrays.readFlat(ctx, values, false)).clone();
        for (int i = 0; i < v.length; i++) {
            if (!valid[i]) {
                v[i] = null;
            }
        }
        return new Column.Strings(g.getName(), v, encodingType());
    }
}
