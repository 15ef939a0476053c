package io.scgrn.anndata;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import io.jhdf.exceptions.HdfException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.security.SecureRandom;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a new AnnData {@code .h5ad} file that anndata (0.8 and later) and h5py read: the layout and the
 * {@code encoding-type}/{@code encoding-version} attributes are those anndata 0.8 itself writes (anndata 0.1.0,
 * dataframe 0.2.0, array/string-array 0.2.0, csr_matrix/csc_matrix 0.1.0, categorical 0.2.0, nullable-integer and
 * nullable-boolean 0.1.0, dict 0.1.0, string/numeric-scalar 0.2.0, raw 0.1.0).
 *
 * <p>Typical use, for what scgrn produces:
 * <pre>{@code
 * H5adWriter.of(obs, var)
 *         .x(counts)                       // optional; dense or CSR/CSC, n_obs x n_vars
 *         .obsm("X_aucell", auc)           // n_obs x n_regulons
 *         .varp("grn", network)            // n_vars x n_vars CSR, TF row -> target column
 *         .uns("grn", edgeTable)           // DataFrame: tf, target, score, sign, ...
 *         .write(Path.of("out.h5ad"));
 * }</pre>
 * or {@link #write(Path, AnnData)} for a whole {@link AnnData} record.
 *
 * <p>The file is written to a temporary file in the target directory and renamed over the target when complete,
 * so a crash never leaves half a file under the target name. Every failure is an {@link AnnDataException} naming
 * the target file and the HDF5 path of the element being written.
 *
 * <p>Encodings chosen where jhdf 0.13 (the HDF5 writer) cannot write what anndata would:
 * <ul>
 *   <li>Strings are fixed-length, NUL-padded UTF-8 (anndata writes variable-length); h5py and anndata decode both.
 *   <li>jhdf cannot write empty arrays: a sparse matrix with no stored entries gets one explicit zero at (0, 0);
 *       a categorical with no categories gets one unused category {@code ""}; an empty array, data frame (0 rows)
 *       or matrix in uns is left out with a warning, as is an uns entry or uns data frame column whose name HDF5
 *       cannot hold (empty, {@code "."} or containing {@code "/"}; other elements with such names are errors); 0 observations or 0 variables are refused. (A data frame without columns still gets the
 *       empty float64 {@code column-order} attribute that h5py writes, see {@code H5WriteTypes}.)
 *   <li>A {@link Column.Strings} column holding nulls is written as a categorical (null = code -1), because
 *       anndata 0.8 cannot read {@code nullable-string-array}.
 * </ul>
 * Empty groups are never written: jhdf 0.13 sometimes writes them with a corrupt object header. So obsm, varm, obsp,
 * varp, layers and uns are only present when they hold something, and an empty dict in uns is left out.
 * Booleans are written as the h5py bool enumeration (see {@code H5WriteTypes}), so pandas gets real bools.
 *
 * <p>A writer is a mutable, single-use builder and not thread-safe. The whole file is assembled in memory by jhdf
 * before it is flushed, so writing needs roughly the in-memory size of the data again as heap.
 */
public final class H5adWriter {
    private static final Logger log = LoggerFactory.getLogger(H5adWriter.class);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String V010 = "0.1.0";
    private static final String V020 = "0.2.0";

    /**
     * Storage options.
     *
     * @param deflateLevel        gzip level 0-9 for arrays that are compressed (0: no compression, no chunking)
     * @param compressMinElements arrays with fewer elements are stored contiguous and uncompressed
     * @param chunkElements       target number of elements per chunk of a compressed array
     */
    public record Options(int deflateLevel, int compressMinElements, int chunkElements) {
        /** gzip level 4 for arrays of 16,384 elements or more, chunks of 256 Ki elements. */
        public static final Options DEFAULT = new Options(4, 16_384, 262_144);

        public Options {
            if (deflateLevel < 0 || deflateLevel > 9) {
                throw new IllegalArgumentException("deflateLevel must be 0..9, got " + deflateLevel);
            }
            if (compressMinElements < 1 || chunkElements < 1) {
                throw new IllegalArgumentException("compressMinElements and chunkElements must be >= 1");
            }
        }
    }

    private final DataFrame obs;
    private final DataFrame var;
    private Matrix x;
    private final Map<String, Matrix> layers = new LinkedHashMap<>();
    private final Map<String, Matrix> obsm = new LinkedHashMap<>();
    private final Map<String, Matrix> varm = new LinkedHashMap<>();
    private final Map<String, Matrix> obsp = new LinkedHashMap<>();
    private final Map<String, Matrix> varp = new LinkedHashMap<>();
    private final Map<String, Object> uns = new LinkedHashMap<>();
    private AnnData raw;
    private Options options = Options.DEFAULT;

    private H5adWriter(DataFrame obs, DataFrame var) {
        this.obs = Objects.requireNonNull(obs, "obs");
        this.var = Objects.requireNonNull(var, "var");
    }

    /** A writer for an AnnData with these observations (cells) and variables (genes). */
    public static H5adWriter of(DataFrame obs, DataFrame var) {
        return new H5adWriter(obs, var);
    }

    /** A writer preloaded with every part of {@code data} (X, layers, obsm, varm, obsp, varp, uns, raw). */
    public static H5adWriter of(AnnData data) {
        H5adWriter w = new H5adWriter(data.obs(), data.var());
        w.x = data.x();
        putAll(w.layers, data.layers());
        putAll(w.obsm, data.obsm());
        putAll(w.varm, data.varm());
        putAll(w.obsp, data.obsp());
        putAll(w.varp, data.varp());
        if (data.uns() != null) {
            w.uns.putAll(data.uns());
        }
        w.raw = data.raw();
        return w;
    }

    /** Writes {@code data} wholesale to a new file at {@code target} (replacing any file there). */
    public static void write(Path target, AnnData data) {
        of(data).write(target);
    }

    private static void putAll(Map<String, Matrix> to, Map<String, Matrix> from) {
        if (from != null) {
            to.putAll(from);
        }
    }

    /** The main matrix, n_obs × n_vars (dense, CSR or CSC); null writes a file without X. */
    public H5adWriter x(Matrix matrix) {
        this.x = matrix;
        return this;
    }

    /** A further n_obs × n_vars matrix under {@code layers/name}. */
    public H5adWriter layer(String name, Matrix matrix) {
        layers.put(name, matrix);
        return this;
    }

    /** An n_obs × k matrix under {@code obsm/name} (regulon activity per cell, X_umap, …). */
    public H5adWriter obsm(String name, Matrix matrix) {
        obsm.put(name, matrix);
        return this;
    }

    /** An n_vars × k matrix under {@code varm/name}. */
    public H5adWriter varm(String name, Matrix matrix) {
        varm.put(name, matrix);
        return this;
    }

    /** An n_obs × n_obs graph under {@code obsp/name}. */
    public H5adWriter obsp(String name, Matrix matrix) {
        obsp.put(name, matrix);
        return this;
    }

    /** An n_vars × n_vars graph under {@code varp/name} (a GRN as a sparse TF-row × target-column matrix). */
    public H5adWriter varp(String name, Matrix matrix) {
        varp.put(name, matrix);
        return this;
    }

    /**
     * An unstructured value under {@code uns/key}: String, Boolean, a Number (Byte/Short/Integer/Long as int64,
     * Float as float32, Double as float64), {@link NumArray}, {@code String[]} or {@code List<String>},
     * {@code int[]}, {@code long[]}, {@code float[]}, {@code double[]}, {@code boolean[]}, {@link Matrix},
     * {@link DataFrame} or a nested {@code Map<String, ?>} of these.
     */
    public H5adWriter uns(String key, Object value) {
        uns.put(key, value);
        return this;
    }

    /** The raw AnnData (its X and var, and varm); its n_obs must equal this one's. Its obs is not written. */
    public H5adWriter raw(AnnData rawData) {
        this.raw = rawData;
        return this;
    }

    public H5adWriter options(Options opts) {
        this.options = Objects.requireNonNull(opts, "options");
        return this;
    }

    /**
     * Writes the file: to a temporary file beside {@code target}, then renamed over it (atomically where the file
     * system allows). Creates the parent directory if needed.
     *
     * @throws AnnDataException naming {@code target} and the element path, for bad input or an I/O failure
     */
    public void write(Path target) {
        Path abs = target.toAbsolutePath();
        long t0 = System.nanoTime();
        new Validator(abs).validate();
        Path dir = abs.getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = createTemp(dir, abs.getFileName().toString());
        } catch (IOException e) {
            throw new AnnDataException(abs, null, "cannot create a file in " + dir + ": " + e, e);
        }
        boolean done = false;
        try {
            try (WritableHdfFile file = HdfFile.write(tmp)) {
                new Session(abs, file).writeRoot();
            } catch (HdfException | UncheckedIOException e) {
                // thrown by the final flush in close(); element errors are already AnnDataExceptions
                throw new AnnDataException(abs, "/", "HDF5 write failed: " + e.getMessage(), e);
            }
            move(tmp, abs);
            done = true;
        } finally {
            if (!done) {
                deleteQuietly(tmp);
            }
        }
        if (log.isInfoEnabled()) {
            log.info("wrote {} ({} obs x {} vars) in {} ms", abs, obs.nRows(), var.nRows(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /**
     * Writes this AnnData's elements into {@code group} of a file that the caller opened and will close: used by
     * {@link H5muWriter} for the {@code /mod/<name>} groups. Messages name {@code file}.
     */
    void writeInto(Path file, WritableGroup group) {
        new Validator(file).validate();
        new Session(file, group).writeRoot();
    }

    /**
     * Writes only this writer's obs and var data frames into {@code group} (MuData's global /obs and /var; jhdf
     * 0.13 corrupts a group's ninth link, so the MuData root must not also get the empty AnnData dicts).
     */
    void writeFramesInto(Path file, WritableGroup group) {
        new Validator(file).validate();
        Session s = new Session(file, group);
        s.dataFrame(group, "obs", obs, "/obs");
        s.dataFrame(group, "var", var, "/var");
    }

    /**
     * A new hidden file beside the target. Not {@code Files.createTempFile}: that makes the file owner-only, and
     * the result is an ordinary data file, so it gets the permissions the user's umask gives any new file.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve("." + name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static void move(Path tmp, Path target) {
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new AnnDataException(target, null, "cannot rename " + tmp.getFileName() + " to the target: " + e,
                    e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("could not delete temporary file {}: {}", p, e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------------ validation

    /** Checks names and shapes before anything is written, so that bad input costs no I/O. */
    private final class Validator {
        private final Path file;

        Validator(Path file) {
            this.file = file;
        }

        void validate() {
            int n = obs.nRows();
            int m = var.nRows();
            if (n == 0 || m == 0) {
                throw new AnnDataException(file, n == 0 ? "/obs" : "/var", "cannot write an AnnData with " + n
                        + " observations x " + m + " variables (HDF5 writer cannot store empty arrays)");
            }
            frame(obs, "/obs");
            frame(var, "/var");
            if (x != null) {
                shape(x, "/X", n, m);
            }
            mapping(layers, "/layers", n, m);
            mapping(obsm, "/obsm", n, -1);
            mapping(varm, "/varm", m, -1);
            mapping(obsp, "/obsp", n, n);
            mapping(varp, "/varp", m, m);
            unsMap(uns, "/uns");
            if (raw != null) {
                if (raw.x() == null) {
                    throw new AnnDataException(file, "/raw/X", "raw has no X");
                }
                frame(raw.var(), "/raw/var");
                shape(raw.x(), "/raw/X", n, raw.var().nRows());
                if (raw.var().nRows() == 0) {
                    throw new AnnDataException(file, "/raw/var", "raw has 0 variables");
                }
                mapping(raw.varm() == null ? Map.of() : raw.varm(), "/raw/varm", raw.var().nRows(), -1);
            }
        }

        private void frame(DataFrame df, String path) {
            frame(df, path, false);
        }

        /** {@code inUns}: names HDF5 cannot hold are left out (with a warning when written), not errors. */
        private void frame(DataFrame df, String path, boolean inUns) {
            Set<String> names = new HashSet<>();
            String indexName = indexName(df, inUns);
            key(indexName, path + "/" + indexName);
            names.add(indexName);
            for (Column c : df.columns()) {
                if (inUns && !validName(c.name())) {
                    continue;
                }
                key(c.name(), path + "/" + c.name());
                if (!names.add(c.name())) {
                    throw new AnnDataException(file, path + "/" + c.name(), "duplicate column name"
                            + (c.name().equals(indexName) ? " (same as the index)" : ""));
                }
            }
        }

        private void mapping(Map<String, Matrix> map, String path, int rows, int cols) {
            for (Map.Entry<String, Matrix> e : map.entrySet()) {
                String p = path + "/" + e.getKey();
                key(e.getKey(), p);
                if (e.getValue() == null) {
                    throw new AnnDataException(file, p, "matrix is null");
                }
                shape(e.getValue(), p, rows, cols);
            }
        }

        private void shape(Matrix mat, String path, int rows, int cols) {
            if (mat.nRows() != rows || (cols >= 0 && mat.nCols() != cols)) {
                throw new AnnDataException(file, path, "matrix is " + mat.nRows() + " x " + mat.nCols()
                        + ", expected " + rows + " x " + (cols >= 0 ? String.valueOf(cols) : "k"));
            }
            if (mat.nCols() == 0) {
                throw new AnnDataException(file, path, "matrix has 0 columns (HDF5 writer cannot store empty "
                        + "arrays)");
            }
        }

        private void unsMap(Map<?, ?> map, String path) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new AnnDataException(file, path, "uns key is not a string: " + e.getKey());
                }
                String p = path + "/" + k;
                if (!validName(k)) {
                    continue; // left out with a warning when written
                }
                Object v = e.getValue();
                if (v == null) {
                    throw new AnnDataException(file, p, "uns value is null (anndata cannot store None)");
                } else if (v instanceof Map<?, ?> nested) {
                    unsMap(nested, p);
                } else if (v instanceof DataFrame df) {
                    frame(df, p, true);
                } else if (!(v instanceof Matrix) && !isUnsLeaf(v)) {
                    throw new AnnDataException(file, p, "cannot write a " + v.getClass().getName() + " in uns");
                }
            }
        }

        private void key(String k, String path) {
            if (!validName(k)) {
                throw new AnnDataException(file, path, "invalid element name '" + k + "' (empty, '.' or "
                        + "contains '/')");
            }
        }
    }

    /** A name HDF5 can hold as one path element. */
    private static boolean validName(String k) {
        return k != null && !k.isEmpty() && !k.contains("/") && !k.equals(".");
    }

    private static boolean isUnsLeaf(Object v) {
        if (v instanceof List<?> list) {
            return list.stream().allMatch(String.class::isInstance);
        }
        return v instanceof String || v instanceof Boolean || v instanceof Byte || v instanceof Short
                || v instanceof Integer || v instanceof Long || v instanceof Float || v instanceof Double
                || v instanceof NumArray || v instanceof String[] || v instanceof int[] || v instanceof long[]
                || v instanceof float[] || v instanceof double[] || v instanceof boolean[];
    }

    private static String indexName(DataFrame df, boolean inUns) {
        String n = df.indexName();
        return n == null || n.isEmpty() || (inUns && !validName(n)) ? "_index" : n;
    }

    // ---------------------------------------------------------------------------------------------------- writing

    /** One write of one file: knows the target (for messages), the open jhdf file and the options. */
    private final class Session {
        private final Path file;
        private final WritableGroup h5;

        Session(Path file, WritableGroup h5) {
            this.file = file;
            this.h5 = h5;
        }

        void writeRoot() {
            encoding(h5, "anndata", V010, "/");
            if (x != null) {
                matrix(h5, "X", x, "/X");
            }
            dataFrame(h5, "obs", obs, "/obs");
            dataFrame(h5, "var", var, "/var");
            matrices(h5, "obsm", obsm, "/obsm");
            matrices(h5, "varm", varm, "/varm");
            matrices(h5, "obsp", obsp, "/obsp");
            matrices(h5, "varp", varp, "/varp");
            matrices(h5, "layers", layers, "/layers");
            dict(h5, "uns", uns, "/uns");
            if (raw != null) {
                WritableGroup g = group(h5, "raw", "/raw");
                encoding(g, "raw", V010, "/raw");
                matrix(g, "X", raw.x(), "/raw/X");
                dataFrame(g, "var", raw.var(), "/raw/var");
                matrices(g, "varm", raw.varm() == null ? Map.of() : raw.varm(), "/raw/varm");
            }
        }

        // -------------------------------------------------------------------------------- containers

        private WritableGroup group(WritableGroup parent, String name, String path) {
            try {
                return parent.putGroup(name);
            } catch (RuntimeException e) {
                throw fail(path, "cannot create group", e);
            }
        }

        private void encoding(WritableNode node, String type, String version, String path) {
            try {
                node.putAttribute("encoding-type", type);
                node.putAttribute("encoding-version", version);
            } catch (RuntimeException e) {
                throw fail(path, "cannot write encoding attributes", e);
            }
        }

        private void matrices(WritableGroup parent, String name, Map<String, Matrix> map, String path) {
            if (map.isEmpty()) {
                // jhdf 0.13 can write an empty group with a corrupt object header ("bad object header version
                // number" in h5py), depending on what surrounds it; anndata reads a file without the group.
                return;
            }
            WritableGroup g = group(parent, name, path);
            encoding(g, "dict", V010, path);
            for (Map.Entry<String, Matrix> e : map.entrySet()) {
                matrix(g, e.getKey(), e.getValue(), path + "/" + e.getKey());
            }
        }

        private void dict(WritableGroup parent, String name, Map<?, ?> map, String path) {
            if (!hasContent(map)) {
                // never an empty group (see matrices); an empty dict in uns is lost, which anndata tolerates
                log.debug("{}:{}: empty dict left out", file, path);
                return;
            }
            WritableGroup g = group(parent, name, path);
            encoding(g, "dict", V010, path);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String k = (String) e.getKey();
                if (!validName(k)) {
                    // uns read from other tools may use any key (rank_genes_groups has cluster names with '/');
                    // one unstorable entry must not cost the whole file
                    log.warn("{}:{}: uns entry '{}' left out: not a valid HDF5 name", file, path, k);
                    continue;
                }
                unsValue(g, k, e.getValue(), path + "/" + k);
            }
        }

        // -------------------------------------------------------------------------------- uns

        private void unsValue(WritableGroup g, String name, Object v, String path) {
            if (isEmpty(v)) {
                // an empty network table or matrix is a valid result; it must not cost the whole file
                log.warn("{}:{}: empty {} left out (the HDF5 writer cannot store empty arrays)", file, path,
                        v instanceof DataFrame ? "data frame" : "matrix");
                return;
            }
            if (v instanceof Map<?, ?> m) {
                dict(g, name, m, path);
            } else if (v instanceof DataFrame df) {
                dataFrame(g, name, df, path, true);
            } else if (v instanceof Matrix mat) {
                matrix(g, name, mat, path);
            } else if (v instanceof String s) {
                WritableDataset d = dataset(g, name, s, path);
                encoding(d, "string", V020, path);
            } else if (v instanceof Boolean b) {
                WritableDataset d = dataset(g, name, b, path);
                H5WriteTypes.retype(d);
                encoding(d, "numeric-scalar", V020, path);
            } else if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
                // anndata stores a Python int as int64
                WritableDataset d = dataset(g, name, ((Number) v).longValue(), path);
                encoding(d, "numeric-scalar", V020, path);
            } else if (v instanceof Float || v instanceof Double) {
                WritableDataset d = dataset(g, name, v, path);
                encoding(d, "numeric-scalar", V020, path);
            } else if (v instanceof List<?> list) {
                stringArray(g, name, list.toArray(new String[0]), path);
            } else if (v instanceof String[] a) {
                stringArray(g, name, a, path);
            } else if (v instanceof NumArray a) {
                Object typed = a instanceof NumArray.F32 f ? f.values() : ((NumArray.F64) a).values();
                unsArray(g, name, typed, a.length(), path);
            } else {
                unsArray(g, name, v, Array.getLength(v), path);
            }
        }

        /** True if writing {@code v} in uns writes at least one dataset. */
        private boolean hasContent(Object v) {
            if (v instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (e.getKey() instanceof String k && validName(k) && hasContent(e.getValue())) {
                        return true;
                    }
                }
                return false;
            }
            if (v instanceof NumArray a) {
                return a.length() > 0;
            }
            if (v instanceof List<?> l) {
                return !l.isEmpty();
            }
            if (v != null && v.getClass().isArray()) {
                return Array.getLength(v) > 0;
            }
            return !isEmpty(v);
        }

        private boolean isEmpty(Object v) {
            return v instanceof DataFrame df && df.nRows() == 0
                    || v instanceof Matrix m && (m.nRows() == 0 || m.nCols() == 0);
        }

        private void unsArray(WritableGroup g, String name, Object array, int length, String path) {
            if (length == 0) {
                log.warn("{}:{}: empty array left out (the HDF5 writer cannot store empty arrays)", file, path);
                return;
            }
            WritableDataset d = array1d(g, name, array, length, false, path);
            if (array instanceof boolean[]) {
                H5WriteTypes.retype(d);
            }
            encoding(d, "array", V020, path);
        }

        private void stringArray(WritableGroup g, String name, String[] values, String path) {
            if (values.length == 0) {
                log.warn("{}:{}: empty string array left out (the HDF5 writer cannot store empty arrays)", file,
                        path);
                return;
            }
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    throw fail(path, "string array has a null at index " + i, null);
                }
            }
            WritableDataset d = array1d(g, name, values, values.length, false, path);
            encoding(d, "string-array", V020, path);
        }

        // -------------------------------------------------------------------------------- matrices

        private void matrix(WritableGroup g, String name, Matrix m, String path) {
            if (m instanceof DenseMatrix d) {
                dense(g, name, d, path);
            } else {
                sparse(g, name, (SparseMatrix) m, path);
            }
        }

        private void dense(WritableGroup g, String name, DenseMatrix m, String path) {
            if (m.dtype() == DType.STRING) {
                throw fail(path, "a matrix cannot hold strings", null);
            }
            int rows = m.nRows();
            int cols = m.nCols();
            Object first = typed(m.values(), m.dtype(), 0, cols, path);
            Object data = Array.newInstance(first.getClass(), rows);
            Array.set(data, 0, first);
            for (int r = 1; r < rows; r++) {
                Array.set(data, r, typed(m.values(), m.dtype(), r * cols, cols, path));
            }
            long total = (long) rows * cols;
            DatasetCreationOptions opts = creation(total, Math.max(1, options.chunkElements() / cols), cols,
                    isUnsigned(m.dtype()));
            WritableDataset d = put(g, name, data, opts, path);
            if (m.dtype() == DType.BOOL) {
                H5WriteTypes.retype(d);
            }
            encoding(d, "array", V020, path);
        }

        private void sparse(WritableGroup g, String name, SparseMatrix m, String path) {
            boolean csr = m.layout() == SparseMatrix.Layout.CSR;
            int major = csr ? m.nRows() : m.nCols();
            int minor = csr ? m.nCols() : m.nRows();
            long[] indptr = m.indptr();
            int[] indices = m.indices();
            NumArray values = m.data();
            checkSparse(m, major, minor, path);
            if (m.nnz() == 0) {
                // jhdf cannot store empty arrays: store one explicit zero at (0, 0); the matrix is unchanged.
                indptr = new long[major + 1];
                Arrays.fill(indptr, 1, indptr.length, 1L);
                indices = new int[] {0};
                values = values instanceof NumArray.F32 ? new NumArray.F32(new float[1])
                        : new NumArray.F64(new double[1]);
            }
            WritableGroup sg = group(g, name, path);
            encoding(sg, csr ? "csr_matrix" : "csc_matrix", V010, path);
            try {
                sg.putAttribute("shape", new long[] {m.nRows(), m.nCols()});
            } catch (RuntimeException e) {
                throw fail(path, "cannot write shape attribute", e);
            }
            if (m.dtype() == DType.STRING) {
                throw fail(path, "a matrix cannot hold strings", null);
            }
            Object data = typed(values, m.dtype(), 0, values.length(), path + "/data");
            WritableDataset dd = array1d(sg, "data", data, values.length(), isUnsigned(m.dtype()), path + "/data");
            if (m.dtype() == DType.BOOL) {
                H5WriteTypes.retype(dd);
            }
            array1d(sg, "indices", indices, indices.length, false, path + "/indices");
            long last = indptr[indptr.length - 1];
            Object ptr = indptr;
            if (last <= Integer.MAX_VALUE) {
                // int32 like scipy for matrices that fit; saves space and matches what anndata writes
                int[] p32 = new int[indptr.length];
                for (int i = 0; i < p32.length; i++) {
                    p32[i] = (int) indptr[i];
                }
                ptr = p32;
            }
            array1d(sg, "indptr", ptr, indptr.length, false, path + "/indptr");
        }

        /** Structural checks, so that a bad matrix is an error here and not an unreadable file later. */
        private void checkSparse(SparseMatrix m, int major, int minor, String path) {
            long[] p = m.indptr();
            if (p[0] != 0 || p[major] != m.nnz()) {
                throw fail(path + "/indptr", "indptr must start at 0 and end at nnz=" + m.nnz() + ", found "
                        + p[0] + " .. " + p[major], null);
            }
            for (int i = 0; i < major; i++) {
                if (p[i + 1] < p[i]) {
                    throw fail(path + "/indptr", "indptr decreases at " + i, null);
                }
            }
            int[] idx = m.indices();
            for (int k = 0; k < idx.length; k++) {
                if (idx[k] < 0 || idx[k] >= minor) {
                    throw fail(path + "/indices", "index " + idx[k] + " at " + k + " is outside 0.." + (minor - 1),
                            null);
                }
            }
        }

        // -------------------------------------------------------------------------------- data frames

        private void dataFrame(WritableGroup parent, String name, DataFrame df, String path) {
            dataFrame(parent, name, df, path, false);
        }

        /** {@code inUns}: columns whose names HDF5 cannot hold are left out with a warning (validated before). */
        private void dataFrame(WritableGroup parent, String name, DataFrame df, String path, boolean inUns) {
            WritableGroup g = group(parent, name, path);
            String indexName = indexName(df, inUns);
            encoding(g, "dataframe", V020, path);
            List<String> order = new ArrayList<>();
            List<Column> columns = new ArrayList<>();
            for (Column c : df.columns()) {
                if (!validName(c.name())) {
                    log.warn("{}:{}: column '{}' left out: not a valid HDF5 name", file, path, c.name());
                    continue;
                }
                order.add(c.name());
                columns.add(c);
            }
            try {
                g.putAttribute("_index", indexName);
                if (order.isEmpty()) {
                    H5WriteTypes.putEmptyArrayAttribute(g, "column-order");
                } else {
                    g.putAttribute("column-order", order.toArray(new String[0]));
                }
            } catch (RuntimeException e) {
                throw fail(path, "cannot write data frame attributes", e);
            }
            String[] index = df.index().toArray(new String[0]);
            stringArray(g, indexName, index, path + "/" + indexName);
            for (Column c : columns) {
                column(g, c, path + "/" + c.name());
            }
        }

        private void column(WritableGroup g, Column c, String path) {
            if (c instanceof Column.Numeric n) {
                numericColumn(g, n, path);
            } else if (c instanceof Column.Bool b) {
                boolColumn(g, b, path);
            } else if (c instanceof Column.Strings s) {
                stringColumn(g, s, path);
            } else {
                Column.Categorical k = (Column.Categorical) c;
                categorical(g, k.name(), k.codes(), k.categories(), k.ordered(), k.categoryDtype(), path);
            }
        }

        private void numericColumn(WritableGroup g, Column.Numeric n, String path) {
            DType t = n.dtype();
            if (t == DType.STRING) {
                throw fail(path, "numeric column has dtype str", null);
            }
            int len = n.length();
            boolean nullable = n.valid() != null || "nullable-integer".equals(n.encoding());
            if (nullable && t.isInteger()) {
                WritableGroup ng = group(g, n.name(), path);
                encoding(ng, "nullable-integer", V010, path);
                NumArray values = n.values();
                boolean[] mask = new boolean[len];
                if (n.valid() != null) {
                    double[] v = new double[len];
                    for (int i = 0; i < len; i++) {
                        mask[i] = !n.valid()[i];
                        v[i] = mask[i] ? 0 : values.get(i);
                    }
                    values = new NumArray.F64(v);
                }
                array1d(ng, "values", typed(values, t, 0, len, path + "/values"), len, isUnsigned(t),
                        path + "/values");
                WritableDataset md = array1d(ng, "mask", mask, len, false, path + "/mask");
                H5WriteTypes.retype(md);
                return;
            }
            NumArray values = n.values();
            if (n.valid() != null) {
                // float (or bool) with a validity mask: NaN is the float NA, as pandas writes it
                double[] v = new double[len];
                for (int i = 0; i < len; i++) {
                    v[i] = n.valid()[i] ? values.get(i) : Double.NaN;
                }
                values = new NumArray.F64(v);
            }
            Object data = typed(values, t, 0, len, path);
            WritableDataset d = array1d(g, n.name(), data, len, isUnsigned(t), path);
            if (t == DType.BOOL) {
                H5WriteTypes.retype(d);
            }
            encoding(d, "array", V020, path);
        }

        private void boolColumn(WritableGroup g, Column.Bool b, String path) {
            int len = b.length();
            if (b.valid() != null || "nullable-boolean".equals(b.encoding())) {
                WritableGroup ng = group(g, b.name(), path);
                encoding(ng, "nullable-boolean", V010, path);
                boolean[] values = b.values().clone();
                boolean[] mask = new boolean[len];
                if (b.valid() != null) {
                    for (int i = 0; i < len; i++) {
                        mask[i] = !b.valid()[i];
                        values[i] &= !mask[i];
                    }
                }
                H5WriteTypes.retype(array1d(ng, "values", values, len, false, path + "/values"));
                H5WriteTypes.retype(array1d(ng, "mask", mask, len, false, path + "/mask"));
                return;
            }
            WritableDataset d = array1d(g, b.name(), b.values(), len, false, path);
            H5WriteTypes.retype(d);
            encoding(d, "array", V020, path);
        }

        private void stringColumn(WritableGroup g, Column.Strings s, String path) {
            String[] v = s.values();
            boolean hasNull = false;
            for (String e : v) {
                hasNull |= e == null;
            }
            if (!hasNull) {
                stringArray(g, s.name(), v, path);
                return;
            }
            // anndata 0.8 cannot read nullable-string-array; a categorical keeps the nulls as code -1
            Map<String, Integer> cats = new LinkedHashMap<>();
            int[] codes = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                codes[i] = v[i] == null ? -1 : cats.computeIfAbsent(v[i], k -> cats.size());
            }
            categorical(g, s.name(), codes, new ArrayList<>(cats.keySet()), false, DType.STRING, path);
        }

        private void categorical(WritableGroup g, String name, int[] codes, List<String> categories,
                                 boolean ordered, DType categoryDtype, String path) {
            List<String> cats = categories;
            if (cats.isEmpty()) {
                // no categories (every row NA): jhdf cannot store an empty array, so one unused category
                cats = List.of("");
            }
            int nCat = cats.size();
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] < -1 || codes[i] >= nCat) {
                    throw fail(path + "/codes", "code " + codes[i] + " at row " + i + " is outside -1.."
                            + (nCat - 1), null);
                }
            }
            WritableGroup cg = group(g, name, path);
            encoding(cg, "categorical", V020, path);
            try {
                H5WriteTypes.putAttribute(cg, "ordered", ordered);
            } catch (RuntimeException e) {
                throw fail(path, "cannot write attribute 'ordered'", e);
            }
            // the narrowest code type, as pandas chooses it (anndata writes Categorical.codes unchanged)
            Object codeArray;
            if (nCat <= Byte.MAX_VALUE) {
                byte[] c8 = new byte[codes.length];
                for (int i = 0; i < c8.length; i++) {
                    c8[i] = (byte) codes[i];
                }
                codeArray = c8;
            } else if (nCat <= Short.MAX_VALUE) {
                short[] c16 = new short[codes.length];
                for (int i = 0; i < c16.length; i++) {
                    c16[i] = (short) codes[i];
                }
                codeArray = c16;
            } else {
                codeArray = codes;
            }
            WritableDataset cd = array1d(cg, "codes", codeArray, codes.length, false, path + "/codes");
            encoding(cd, "array", V020, path + "/codes");
            String catPath = path + "/categories";
            DType ct = categoryDtype == null ? DType.STRING : categoryDtype;
            if (ct == DType.STRING) {
                stringArray(cg, "categories", cats.toArray(new String[0]), catPath);
            } else {
                double[] parsed = new double[nCat];
                for (int i = 0; i < nCat; i++) {
                    parsed[i] = parseCategory(cats.get(i), ct, catPath);
                }
                Object typedCats = typed(new NumArray.F64(parsed), ct, 0, nCat, catPath);
                WritableDataset d = array1d(cg, "categories", typedCats, nCat, isUnsigned(ct), catPath);
                if (ct == DType.BOOL) {
                    H5WriteTypes.retype(d);
                }
                encoding(d, "array", V020, catPath);
            }
        }

        private double parseCategory(String s, DType t, String path) {
            if (t == DType.BOOL) {
                if (s.equalsIgnoreCase("true") || s.equals("1")) {
                    return 1;
                }
                if (s.equalsIgnoreCase("false") || s.equals("0")) {
                    return 0;
                }
                throw fail(path, "category '" + s + "' is not a bool", null);
            }
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw fail(path, "category '" + s + "' is not a " + t.numpyName(), null);
            }
        }

        // -------------------------------------------------------------------------------- datasets

        private WritableDataset dataset(WritableGroup g, String name, Object scalar, String path) {
            try {
                return g.putDataset(name, scalar);
            } catch (RuntimeException e) {
                throw fail(path, "cannot write dataset", e);
            }
        }

        private WritableDataset array1d(WritableGroup g, String name, Object array, long length, boolean unsigned,
                                        String path) {
            return put(g, name, array, creation(length, options.chunkElements(), -1, unsigned), path);
        }

        private WritableDataset put(WritableGroup g, String name, Object data, DatasetCreationOptions opts,
                                    String path) {
            try {
                return g.putDataset(name, data, opts);
            } catch (RuntimeException e) {
                throw fail(path, "cannot write dataset", e);
            }
        }

        /**
         * Contiguous and uncompressed below {@code compressMinElements}; otherwise chunked (about
         * {@code chunkElements} per chunk: whole rows for 2-D) and gzip-compressed.
         */
        private DatasetCreationOptions creation(long total, int chunkRows, int cols, boolean unsigned) {
            DatasetCreationOptions.Builder b = DatasetCreationOptions.builder();
            if (unsigned) {
                b.unsigned();
            }
            if (options.deflateLevel() > 0 && total >= options.compressMinElements()) {
                if (cols < 0) {
                    b.chunkDimensions((int) Math.min(total, chunkRows));
                } else {
                    b.chunkDimensions((int) Math.min(total / cols, chunkRows), cols);
                }
                b.deflate(options.deflateLevel());
            }
            return b.build();
        }

        /** {@code len} values from {@code from}, as the Java array type jhdf writes as {@code t}. */
        private Object typed(NumArray v, DType t, int from, int len, String path) {
            if (from == 0 && len == v.length()) {
                // a whole array of the stored type is handed to jhdf as it is (jhdf only reads it): a large sparse
                // matrix's values are not held twice while the file is written
                if (t == DType.FLOAT32 && v instanceof NumArray.F32 f) {
                    return f.values();
                }
                if (t == DType.FLOAT64 && v instanceof NumArray.F64 f) {
                    return f.values();
                }
            }
            switch (t) {
                case FLOAT32 -> {
                    if (v instanceof NumArray.F32 f) {
                        return Arrays.copyOfRange(f.values(), from, from + len);
                    }
                    float[] out = new float[len];
                    for (int i = 0; i < len; i++) {
                        out[i] = (float) v.get(from + i);
                    }
                    return out;
                }
                case FLOAT64 -> {
                    if (v instanceof NumArray.F64 f) {
                        return Arrays.copyOfRange(f.values(), from, from + len);
                    }
                    double[] out = new double[len];
                    for (int i = 0; i < len; i++) {
                        out[i] = v.get(from + i);
                    }
                    return out;
                }
                case BOOL -> {
                    boolean[] out = new boolean[len];
                    for (int i = 0; i < len; i++) {
                        out[i] = v.get(from + i) != 0;
                    }
                    return out;
                }
                case INT8, UINT8 -> {
                    byte[] out = new byte[len];
                    for (int i = 0; i < len; i++) {
                        out[i] = (byte) integral(v, from + i, t, path);
                    }
                    return out;
                }
                case INT16, UINT16 -> {
                    short[] out = new short[len];
                    for (int i = 0; i < len; i++) {
                        out[i] = (short) integral(v, from + i, t, path);
                    }
                    return out;
                }
                case INT32, UINT32 -> {
                    int[] out = new int[len];
                    for (int i = 0; i < len; i++) {
                        out[i] = (int) integral(v, from + i, t, path);
                    }
                    return out;
                }
                case INT64, UINT64 -> {
                    long[] out = new long[len];
                    for (int i = 0; i < len; i++) {
                        out[i] = integral(v, from + i, t, path);
                    }
                    return out;
                }
                default -> throw fail(path, "cannot store dtype " + t.numpyName() + " as numbers", null);
            }
        }

        /** The value at i as the bit pattern of integer type t; fails on fractions and out-of-range values. */
        private long integral(NumArray v, int i, DType t, String path) {
            double d = v.get(i);
            double lo;
            double hiExclusive;
            switch (t) {
                case INT8 -> { lo = -0x1p7; hiExclusive = 0x1p7; }
                case UINT8 -> { lo = 0; hiExclusive = 0x1p8; }
                case INT16 -> { lo = -0x1p15; hiExclusive = 0x1p15; }
                case UINT16 -> { lo = 0; hiExclusive = 0x1p16; }
                case INT32 -> { lo = -0x1p31; hiExclusive = 0x1p31; }
                case UINT32 -> { lo = 0; hiExclusive = 0x1p32; }
                case INT64 -> { lo = -0x1p63; hiExclusive = 0x1p63; }
                default -> { lo = 0; hiExclusive = 0x1p64; }
            }
            // NaN fails the first test
            if (d != Math.rint(d) || d < lo || d >= hiExclusive) {
                throw fail(path, "value " + d + " at " + i + " is not a " + t.numpyName(), null);
            }
            if (t == DType.UINT64 && d >= 0x1p63) {
                return (long) (d - 0x1p64);
            }
            return (long) d;
        }

        private AnnDataException fail(String path, String message, Throwable cause) {
            String detail = cause == null ? message
                    : message + ": " + (cause.getMessage() != null ? cause.getMessage() : cause.toString());
            return new AnnDataException(file, path, detail, cause);
        }
    }

    private static boolean isUnsigned(DType t) {
        return t == DType.UINT8 || t == DType.UINT16 || t == DType.UINT32 || t == DType.UINT64;
    }
}
