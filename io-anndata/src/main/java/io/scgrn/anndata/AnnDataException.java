package io.scgrn.anndata;

import java.nio.file.Path;

/**
 * The one unchecked exception root of io-anndata. It always names the file and, where known, the HDF5 path
 * inside it, so that a one-line message tells the user what is wrong and where.
 */
public class AnnDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String h5Path;

    public AnnDataException(Path file, String h5Path, String message) {
        this(file, h5Path, message, null);
    }

    public AnnDataException(Path file, String h5Path, String message, Throwable cause) {
        super(format(file, h5Path, message), cause);
        this.file = file;
        this.h5Path = h5Path;
    }

    private static String format(Path file, String h5Path, String message) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
        }
        if (h5Path != null && !h5Path.isEmpty()) {
            sb.append(sb.length() > 0 ? ":" : "").append(h5Path);
        }
        if (sb.length() > 0) {
            sb.append(": ");
        }
        return sb.append(message).toString();
    }

    /** The file being read or written, or null when not file-related. */
    public Path file() {
        return file;
    }

    /** The HDF5 path inside the file (for example {@code /obs/cell_type/codes}), or null. */
    public String h5Path() {
        return h5Path;
    }
}
