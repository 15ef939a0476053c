package io.scgrn.anndata.read;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.MuData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads .h5mu files: the MuData 0.1.0 spec (mudata 0.1.x to 0.4.x: root {@code encoding-type} MuData,
 * {@code axis}, {@code mod-order}) and the pre-spec muon layout of 2020 (no root attributes). Each
 * {@code /mod/<name>} group is read as an AnnData of whatever vintage it is.
 */
public final class H5muReader {
    private H5muReader() {
    }

    /** Reads a whole .h5mu file. */
    public static MuData read(Path file) {
        return H5Files.withFile(file, H5muReader::read);
    }

    /** Reads the MuData at the root of an open file. */
    public static MuData read(ReadContext ctx) {
        return read(ctx, name -> true);
    }

    /**
     * Reads the MuData at the root of an open file; the modalities for which {@code withMatrices} is false are read
     * without their large matrices ({@link H5adReader#readMetadata}).
     */
    public static MuData read(ReadContext ctx, Predicate<String> withMatrices) {
        return readLoading(ctx, name -> withMatrices.test(name) ? Load.WHOLE : Load.METADATA);
    }

    /** How much of a modality {@link #readLoading} reads. */
    public enum Load {
        /** everything */
        WHOLE,
        /** everything but X ({@link H5adReader#readWithoutX}) */
        WITHOUT_X,
        /** obs, var, uns and small embeddings ({@link H5adReader#readMetadata}) */
        METADATA
    }

    /** Reads the MuData at the root of an open file, each modality {@code name} as {@code load.apply(name)} says. */
    public static MuData readLoading(ReadContext ctx, Function<String, Load> load) {
        Group root = ctx.hdf();
        String type = ctx.attrString(root, "encoding-type");
        if (type != null && !type.equalsIgnoreCase("MuData")) {
            throw ctx.fail("/", "encoding '" + type + "' is not MuData");
        }
        Node modNode = ctx.child(root, "mod").orElseThrow(() -> ctx.fail("/mod", "not a MuData file: no /mod"));
        if (!(modNode instanceof Group modGroup)) {
            throw ctx.fail("/mod", "expected a group");
        }
        int axis = axis(ctx, root);
        LinkedHashMap<String, AnnData> mod = new LinkedHashMap<>();
        for (String name : order(ctx, modGroup)) {
            Node n = ctx.child(modGroup, name).orElseThrow();
            if (!(n instanceof Group g)) {
                throw ctx.fail(n.getPath(), "modality must be a group");
            }
            mod.put(name, switch (load.apply(name)) {
                case WHOLE -> H5adReader.read(ctx, g);
                case WITHOUT_X -> H5adReader.readWithoutX(ctx, g);
                case METADATA -> H5adReader.readMetadata(ctx, g);
            });
        }
        if (mod.isEmpty()) {
            throw ctx.fail("/mod", "MuData file has no modalities");
        }
        Decoders d = Decoders.standard();
        DataFrame obs = ctx.child(root, "obs").map(n -> AnnDataReading.frame(ctx, d, n))
                .orElseGet(() -> union(mod, true, axis));
        DataFrame var = ctx.child(root, "var").map(n -> AnnDataReading.frame(ctx, d, n))
                .orElseGet(() -> union(mod, false, axis));
        Map<String, Object> uns = AnnDataReading.uns(ctx, d, root);
        return new MuData(ctx.file(), axis, obs, var, mod, uns, "h5mu");
    }

    private static int axis(ReadContext ctx, Group root) {
        long[] a = ctx.attrLongs(root, "axis");
        if (a == null) {
            return 0;
        }
        if (a.length != 1 || (a[0] != 0 && a[0] != 1)) {
            throw ctx.fail("/@axis", "axis must be 0 or 1");
        }
        return (int) a[0];
    }

    /** Modality names in {@code mod-order} when it lists exactly the modalities present, else file order. */
    public static List<String> modalityOrder(ReadContext ctx, Group modGroup) {
        return order(ctx, modGroup);
    }

    private static List<String> order(ReadContext ctx, Group modGroup) {
        Set<String> present = new LinkedHashSet<>(DictDecoder.children(ctx, modGroup).keySet());
        String[] order = ctx.attrStrings(modGroup, "mod-order");
        if (order.length > 0 && Set.copyOf(List.of(order)).equals(present) && order.length == present.size()) {
            return List.of(order);
        }
        return new ArrayList<>(present);
    }

    /** When a file has no global obs/var: the shared axis from the first modality, the other concatenated. */
    private static DataFrame union(Map<String, AnnData> mod, boolean obs, int axis) {
        boolean shared = obs == (axis == 0);
        Set<String> names = new LinkedHashSet<>();
        for (AnnData a : mod.values()) {
            names.addAll(obs ? a.obs().index() : a.var().index());
            if (shared) {
                break;
            }
        }
        return DataFrame.empty(new ArrayList<>(names));
    }

    /** The modality group names in order, for a caller that wants to stream one. */
    public static Optional<String> firstModality(ReadContext ctx) {
        return ctx.find("/mod").filter(n -> n instanceof Group).map(n -> order(ctx, (Group) n))
                .flatMap(l -> l.stream().findFirst());
    }
}
