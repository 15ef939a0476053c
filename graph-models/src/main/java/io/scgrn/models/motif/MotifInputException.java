package io.scgrn.models.motif;

import io.scgrn.models.ModelException;

/**
 * A genome FASTA or motif database that cannot be used as given: malformed (with its line number), contig names
 * that match no peak, peaks beyond a contig's end. The CLI maps it to "an input file is unreadable or invalid".
 */
public class MotifInputException extends ModelException {
    private static final long serialVersionUID = 1L;

    public MotifInputException(String field, String message) {
        super(field, message);
    }

    public MotifInputException(String field, String message, Throwable cause) {
        super(field, message, cause);
    }
}
