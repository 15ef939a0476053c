package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.Column;
import io.scgrn.anndata.DType;
import io.scgrn.anndata.DataFrame;
import io.scgrn.anndata.MuData;
import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads 10x Genomics feature-barcode matrices. The matrix is stored features x barcodes in CSC, which is the same
 * bytes as barcodes x features in CSR, so it is read as cells x genes CSR without transposing.
 *
 * <ul>
 *   <li>v3 (Cell Ranger >= 3, ARC): {@code /matrix/{data,indices,indptr,shape,barcodes}} and
 *       {@code /matrix/features/{id,name,feature_type,genome,interval,…}}; one modality per feature type, named as
 *       muon does: Gene Expression → {@code rna}, Peaks → {@code atac}, Antibody Capture → {@code prot}, others
 *       by their feature type.</li>
 *   <li>v2 (Cell Ranger 1.x–2.x): one group per genome with {@code genes}, {@code gene_names}; one modality per
 *       genome, named after it.</li>
 * </ul>
 * As in {@code scanpy.read_10x_h5}, var names are the feature names and the ids go to column {@code gene_ids}.
 */
public final class TenXReader {
    /** Modality names for the feature types that muon names. */
    public static final Map<String, String> MODALITY_NAMES = Map.of("Gene Expression", "rna", "Peaks", "atac",
            "Antibody Capture", "prot");

    private TenXReader() {
    }

    /** Reads a 10x .h5 file (v3 or v2). */
    public static MuData read(Path file) {
        return H5Files.withFile(file, TenXReader::read);
    }

    /** Reads the 10x matrix of an open file. */
    public static MuData read(ReadContext ctx) {
        Group root = ctx.hdf();
        if (ctx.child(root, "matrix").isPresent()) {
            return readV3(ctx, ctx.group("/matrix"));
        }
        LinkedHashMap<String, AnnData> mod = new LinkedHashMap<>();
        for (Node n : DictDecoder.children(ctx, root).values()) {
            if (n instanceof Group g && isV2Genome(ctx, g)) {
                mod.put(g.getName(), readV2(ctx, g));
            }
        }
        if (mod.isEmpty()) {
            throw ctx.fail("/", "not a 10x file: neither /matrix nor a genome group with barcodes and genes");
        }
        AnnData first = mod.values().iterator().next();
        List<String> genes = new ArrayList<>();
        mod.values().forEach(a -> genes.addAll(a.var().index()));
        return new MuData(ctx.file(), 0, DataFrame.empty(first.obs().index()), DataFrame.empty(genes), mod,
                Map.of(), "10x-v2");
    }

    /** True when the group looks like a v2 genome group. */
    static boolean isV2Genome(ReadContext ctx, Group g) {
        return ctx.child(g, "barcodes").isPresent() && ctx.child(g, "genes").isPresent()
                && ctx.child(g, "indptr").isPresent();
    }

    private static MuData readV3(ReadContext ctx, Group m) {
        String base = "/matrix";
        SparseMatrix all = matrix(ctx, m);
        List<String> barcodes = List.of(strings(ctx, base + "/barcodes"));
        if (barcodes.size() != all.nRows()) {
            throw ctx.fail(base + "/barcodes", "has " + barcodes.size() + " entries, shape says " + all.nRows());
        }
        String fb = base + "/features";
        String[] ids = strings(ctx, fb + "/id");
        String[] names = strings(ctx, fb + "/name");
        String[] types = strings(ctx, fb + "/feature_type");
        int nf = all.nCols();
        checkLength(ctx, fb + "/id", ids, nf);
        checkLength(ctx, fb + "/name", names, nf);
        checkLength(ctx, fb + "/feature_type", types, nf);
        Map<String, String[]> extra = new LinkedHashMap<>();
        for (String key : List.of("genome", "interval")) {
            if (ctx.find(fb + "/" + key).isPresent()) {
                String[] v = strings(ctx, fb + "/" + key);
                checkLength(ctx, fb + "/" + key, v, nf);
                extra.put(key, v);
            }
        }
        // feature types in order of first appearance
        LinkedHashMap<String, List<Integer>> byType = new LinkedHashMap<>();
        for (int j = 0; j < nf; j++) {
            byType.computeIfAbsent(types[j], t -> new ArrayList<>()).add(j);
        }
        DataFrame obs = DataFrame.empty(barcodes);
        LinkedHashMap<String, AnnData> mod = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> e : byType.entrySet()) {
            int[] cols = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            String[] modNames = new String[cols.length];
            List<Column> varCols = new ArrayList<>();
            varCols.add(new Column.Strings("gene_ids", pick(ids, cols), "array"));
            varCols.add(new Column.Strings("feature_types", pick(types, cols), "array"));
            for (Map.Entry<String, String[]> x : extra.entrySet()) {
                varCols.add(new Column.Strings(x.getKey(), pick(x.getValue(), cols), "array"));
            }
            for (int k = 0; k < cols.length; k++) {
                modNames[k] = names[cols[k]];
            }
            DataFrame var = new DataFrame("_index", List.of(modNames), varCols);
            SparseMatrix x = cols.length == nf ? all : selectColumns(all, cols);
            String modName = MODALITY_NAMES.getOrDefault(e.getKey(), e.getKey());
            mod.put(modName, new AnnData(ctx.file(), base, obs, var, x, Map.of(), Map.of(), Map.of(), Map.of(),
                    Map.of(), Map.of(), null));
        }
        List<String> allNames = List.of(names);
        return new MuData(ctx.file(), 0, obs, DataFrame.empty(allNames), mod, Map.of(), "10x-v3");
    }

    private static AnnData readV2(ReadContext ctx, Group g) {
        String base = ReadContext.clean(g.getPath());
        SparseMatrix x = matrix(ctx, g);
        List<String> barcodes = List.of(strings(ctx, base + "/barcodes"));
        if (barcodes.size() != x.nRows()) {
            throw ctx.fail(base + "/barcodes", "has " + barcodes.size() + " entries, shape says " + x.nRows());
        }
        String[] ids = strings(ctx, base + "/genes");
        checkLength(ctx, base + "/genes", ids, x.nCols());
        String[] names = ctx.child(g, "gene_names").isPresent() ? strings(ctx, base + "/gene_names") : ids;
        checkLength(ctx, base + "/gene_names", names, x.nCols());
        DataFrame var = new DataFrame("_index", List.of(names),
                List.of(new Column.Strings("gene_ids", ids, "array")));
        return new AnnData(ctx.file(), base, DataFrame.empty(barcodes), var, x, Map.of(), Map.of(), Map.of(),
                Map.of(), Map.of(), Map.of(), null);
    }

    /** The genes x cells CSC matrix of a 10x group, read as cells x genes CSR. */
    private static SparseMatrix matrix(ReadContext ctx, Group g) {
        String base = ReadContext.clean(g.getPath());
        Dataset shapeDs = ctx.dataset(base + "/shape");
        long[] shape = H5Arrays.toLongs(ctx, shapeDs.getPath(), H5Arrays.readFlat(ctx, shapeDs, false));
        if (shape.length != 2) {
            throw ctx.fail(shapeDs.getPath(), "shape must have 2 entries");
        }
        // stored as features x barcodes CSC == barcodes x features CSR
        return SparseReader.read(ctx, g, SparseMatrix.Layout.CSR, new long[] {shape[1], shape[0]});
    }

    private static String[] strings(ReadContext ctx, String path) {
        Dataset ds = ctx.dataset(path);
        return H5Arrays.toStrings(ctx, path, H5Arrays.readFlat(ctx, ds, false));
    }

    private static void checkLength(ReadContext ctx, String path, String[] v, int n) {
        if (v.length != n) {
            throw ctx.fail(path, "has " + v.length + " entries, the matrix has " + n + " features");
        }
    }

    private static String[] pick(String[] from, int[] idx) {
        String[] out = new String[idx.length];
        for (int k = 0; k < idx.length; k++) {
            out[k] = from[idx[k]];
        }
        return out;
    }

    /** The CSR submatrix made of columns {@code cols} (ascending), renumbered 0..cols.length-1. */
    static SparseMatrix selectColumns(SparseMatrix m, int[] cols) {
        int[] newIndex = new int[m.nCols()];
        Arrays.fill(newIndex, -1);
        for (int k = 0; k < cols.length; k++) {
            newIndex[cols[k]] = k;
        }
        int[] idx = m.indices();
        long nnz = 0;
        for (int v : idx) {
            if (newIndex[v] >= 0) {
                nnz++;
            }
        }
        int[] outIdx = new int[(int) nnz];
        boolean f32 = m.data() instanceof NumArray.F32;
        float[] outF = f32 ? new float[(int) nnz] : null;
        double[] outD = f32 ? null : new double[(int) nnz];
        long[] indptr = new long[m.nRows() + 1];
        int o = 0;
        for (int r = 0; r < m.nRows(); r++) {
            for (long k = m.indptr()[r]; k < m.indptr()[r + 1]; k++) {
                int c = newIndex[idx[(int) k]];
                if (c >= 0) {
                    outIdx[o] = c;
                    if (f32) {
                        outF[o] = m.data().getFloat((int) k);
                    } else {
                        outD[o] = m.data().get((int) k);
                    }
                    o++;
                }
            }
            indptr[r + 1] = o;
        }
        NumArray data = f32 ? new NumArray.F32(outF) : new NumArray.F64(outD);
        DType t = m.dtype();
        return new SparseMatrix(SparseMatrix.Layout.CSR, m.nRows(), cols.length, t, data, outIdx, indptr);
    }
}
