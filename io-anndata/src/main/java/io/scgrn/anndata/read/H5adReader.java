package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.scgrn.anndata.AnnData;

import java.nio.file.Path;

/** Reads a whole .h5ad file. */
public final class H5adReader {
    private H5adReader() {
    }

    /** Reads the AnnData at the root of {@code file}. */
    public static AnnData read(Path file) {
        return H5Files.withFile(file, ctx -> read(ctx, ctx.hdf()));
    }

    /** Reads the AnnData in group {@code g} of an open file, by its encoding or its legacy layout. */
    public static AnnData read(ReadContext ctx, Group g) {
        Decoders d = Decoders.standard();
        String type = ctx.attrString(g, "encoding-type");
        if (type == null) {
            return AnnDataReading.read(ctx, g, d);
        }
        Object v = d.read(ctx, g);
        if (v instanceof AnnData a) {
            return a;
        }
        throw ctx.fail(g.getPath(), "encoding '" + type + "' is not an AnnData");
    }
}
