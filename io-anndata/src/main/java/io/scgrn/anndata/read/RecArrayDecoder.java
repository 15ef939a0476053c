package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.CompoundDataType;
import io.scgrn.anndata.AnnDataException;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code rec-array} 0.2.0: a compound dataset (numpy record array, e.g. scanpy's rank_genes_groups), read as a
 * {@link DataFrame} with one column per field and the row numbers as index. Fields that are themselves arrays
 * are skipped with a warning.
 */
final class RecArrayDecoder implements ElementDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(RecArrayDecoder.class);

    @Override
    public String encodingType() {
        return "rec-array";
    }

    @Override
    public String encodingVersion() {
        return "0.2.0";
    }

    @Override
    public Object decode(ReadContext ctx, Node node, Decoders decoders) {
        if (!(node instanceof Dataset ds) || !ds.isCompound()) {
            throw ctx.fail(node.getPath(), "encoding 'rec-array' needs a compound dataset");
        }
        return read(ctx, ds, List.of());
    }

    /** Reads the fields of a compound dataset as columns, skipping those named in {@code skip}. */
    static DataFrame read(ReadContext ctx, Dataset ds, List<String> skip) {
        Map<String, Object> fields = fields(ctx, ds);
        int n = ds.isScalar() ? 1 : (int) ds.getDimensionsAsLong()[0];
        List<String> index = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            index.add(Integer.toString(i));
        }
        List<Column> cols = new ArrayList<>();
        CompoundDataType ct = (CompoundDataType) ds.getDataType();
        for (CompoundDataType.CompoundDataMember m : ct.getMembers()) {
            if (skip.contains(m.getName())) {
                continue;
            }
            Object v = fields.get(m.getName());
            if (v == null || !v.getClass().isArray() || v.getClass().getComponentType().isArray()) {
                LOG.warn("{}:{}: field '{}' is not a 1-D column, skipped", ctx.file(), ds.getPath(), m.getName());
                continue;
            }
            DType t = H5Arrays.dtype(m.getDataType());
            if (t == null) {
                LOG.warn("{}:{}: field '{}' has an unsupported type, skipped", ctx.file(), ds.getPath(),
                        m.getName());
                continue;
            }
            cols.add(ArrayDecoder.column(ctx, m.getName(), ds.getPath() + "." + m.getName(), v, t, "array"));
        }
        return new DataFrame("index", index, cols);
    }

    /** The compound's fields, each an array over the rows. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fields(ReadContext ctx, Dataset ds) {
        H5Arrays.checkedSize(ctx, ds);
        try {
            Object data = ds.getData();
            if (!(data instanceof Map<?, ?> m)) {
                throw ctx.fail(ds.getPath(), "compound data did not read as fields");
            }
            return (Map<String, Object>) m;
        } catch (AnnDataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ctx.wrap(ds.getPath(), e);
        }
    }
}
