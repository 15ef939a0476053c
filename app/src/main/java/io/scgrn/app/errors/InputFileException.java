package io.scgrn.app.errors;

import io.scgrn.anndata.AnnDataException;
import java.nio.file.Path;

/**
 * A side input of a run (TF list, prior edges, train edges, truth) that cannot be read or parsed. It is an
 * {@link AnnDataException} so that every "input file unreadable or invalid" failure maps to the same exit code and
 * HTTP status; the message names the file and, where known, the line.
 */
public class InputFileException extends AnnDataException {
    private static final long serialVersionUID = 1L;

    public InputFileException(Path file, String message) {
        super(file, null, message);
    }

    public InputFileException(Path file, String message, Throwable cause) {
        super(file, null, message, cause);
    }
}
