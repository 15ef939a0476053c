package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
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

    /**
     * Reads the AnnData in group {@code g} without X, raw.X, layers and the other large matrices (see
     * {@link AnnDataReading#readMetadata}); anndata 0.5 layouts are read whole.
     */
    public static AnnData readMetadata(ReadContext ctx, Group g) {
        return readsInParts(ctx, g) ? AnnDataReading.readMetadata(ctx, g) : read(ctx, g);
    }

    /**
     * Reads the AnnData in group {@code g} whole except X ({@link AnnDataReading#readWithoutX}); other encodings
     * and anndata 0.5 layouts are read whole.
     */
    public static AnnData readWithoutX(ReadContext ctx, Group g) {
        return readsInParts(ctx, g) ? AnnDataReading.readWithoutX(ctx, g) : read(ctx, g);
    }

    /**
     * True when the AnnData in {@code g} can be read leaving parts out: an anndata encoding (or none), not the
     * anndata 0.5 layout, whose obs/var are compound tables next to X.
     */
    private static boolean readsInParts(ReadContext ctx, Group g) {
        String type = ctx.attrString(g, "encoding-type");
        return (type == null || type.equals("anndata")) && !(ctx.child(g, "obs").orElse(null) instanceof Dataset);
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
