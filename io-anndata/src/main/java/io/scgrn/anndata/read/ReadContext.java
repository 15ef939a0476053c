package io.scgrn.anndata.read;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.scgrn.anndata.AnnDataException;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An open file being read: the jhdf handle plus the path used in error messages. Every helper here turns jhdf's
 * exceptions into {@link AnnDataException}s that name the file and the HDF5 path.
 *
 * @param file the file on disk (for messages)
 * @param hdf  the open HDF5 file; owned by whoever created this context
 */
public record ReadContext(Path file, HdfFile hdf) {

    /** An exception for {@code h5Path} in this file. */
    public AnnDataException fail(String h5Path, String message) {
        return new AnnDataException(file, clean(h5Path), message);
    }

    /** jhdf gives group paths a trailing slash; messages read better without it. */
    public static String clean(String h5Path) {
        if (h5Path != null && h5Path.length() > 1 && h5Path.endsWith("/")) {
            return h5Path.substring(0, h5Path.length() - 1);
        }
        return h5Path;
    }

    /** Wraps a jhdf (or other runtime) failure at {@code h5Path}; passes AnnDataExceptions through. */
    public AnnDataException wrap(String h5Path, Throwable e) {
        if (e instanceof AnnDataException ae) {
            return ae;
        }
        if (e instanceof OutOfMemoryError) {
            return new AnnDataException(file, clean(h5Path), "not enough memory to read this", e);
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
         return new AnnDataException(file, clean(h5Path), "cannot read: " + firstLine(msg), e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The node at {@code path}, or empty when absent. */
    public Optional<Node> find(String path) {
        try {
            Node root = hdf;
            String p = path.startsWith("/") ? path.substring(1) : path;
            if (p.isEmpty()) {
                return Optional.of(root);
            }
            Node n = root;
            for (String part : p.split("/")) {
                if (!(n instanceof Group g)) {
                    return Optional.empty();
                }
                n = g.getChildren().get(part);
                if (n == null) {
                    return Optional.empty();
                }
            }
            return Optional.of(n);
        } catch (RuntimeException e) {
            throw wrap(path, e);
        }
    }

    /** The node at {@code path}; an exception naming the path when absent. */
    public Node node(String path) {
        return find(path).orElseThrow(() -> fail(path, "missing"));
    }

    /** The dataset at {@code path}; an exception when absent or a group. */
    public Dataset dataset(String path) {
        Node n = node(path);
        if (n instanceof Dataset d) {
            return d;
        }
        throw fail(path, "expected a dataset, found a group");
    }

    /** The group at {@code path}; an exception when absent or a dataset. */
    public Group group(String path) {
        Node n = node(path);
        if (n instanceof Group g) {
            return g;
        }
        throw fail(path, "expected a group, found a dataset");
    }

    /** Child {@code name} of {@code g}, or empty. */
    public Optional<Node> child(Group g, String name) {
        try {
            return Optional.ofNullable(g.getChildren().get(name));
        } catch (RuntimeException e) {
            throw wrap(g.getPath(), e);
        }
    }

    /** Raw attribute value (String, String[], Long, long[], …) or null when absent. */
    public Object attr(Node n, String name) {
        try {
            Attribute a = n.getAttributes().get(name);
            if (a == null) {
                return null;
            }
            return a.isEmpty() ? null : a.getData();
        } catch (RuntimeException e) {
            throw wrap(n.getPath() + "@" + name, e);
        }
    }

    /** A string attribute, or null when absent; a one-element array counts as its element. */
    public String attrString(Node n, String name) {
        Object v = attr(n, name);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v.getClass().isArray() && Array.getLength(v) == 1) {
            Object e = Array.get(v, 0);
            if (e instanceof String s) {
                return s;
            }
        }
        throw fail(n.getPath() + "@" + name, "expected a string attribute, found " + v.getClass().getSimpleName());
    }

    /** A boolean attribute (numpy bool is an enum read as "TRUE"/"FALSE"), or {@code dflt} when absent. */
    public boolean attrBool(Node n, String name, boolean dflt) {
        Object v = attr(n, name);
        if (v == null) {
            return dflt;
        }
        if (v.getClass().isArray() && Array.getLength(v) == 1) {
            v = Array.get(v, 0);
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return s.equalsIgnoreCase("true");
        }
        if (v instanceof Number num) {
            return num.longValue() != 0;
        }
        throw fail(n.getPath() + "@" + name, "expected a boolean attribute, found " + v.getClass().getSimpleName());
    }

    /** A string-list attribute ({@code column-order}); a scalar string is a one-element list; absent is empty. */
    public String[] attrStrings(Node n, String name) {
        Object v = attr(n, name);
        if (v == null) {
            return new String[0];
        }
        if (v instanceof String s) {
            return new String[] {s};
        }
        if (v instanceof String[] arr) {
            return arr;
        }
        if (v instanceof float[] || v instanceof double[]) {
            // h5py stores an empty list as a float64 array of length 0
            if (Array.getLength(v) == 0) {
                return new String[0];
            }
        }
        throw fail(n.getPath() + "@" + name, "expected string attributes, found " + v.getClass().getSimpleName());
    }

    /** An integer-array attribute ({@code shape}), or null when absent. */
    public long[] attrLongs(Node n, String name) {
        Object v = attr(n, name);
        if (v == null) {
            return null;
        }
        if (v instanceof long[] l) {
            return l;
        }
        if (v instanceof int[] i) {
            long[] out = new long[i.length];
            for (int k = 0; k < i.length; k++) {
                out[k] = i[k];
            }
            return out;
        }
        if (v instanceof Number num) {
            return new long[] {num.longValue()};
        }
        throw fail(n.getPath() + "@" + name, "expected integer attributes, found " + v.getClass().getSimpleName());
    }
}
