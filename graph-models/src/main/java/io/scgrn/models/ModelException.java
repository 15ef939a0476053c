package io.scgrn.models;

/**
 * The one unchecked exception root of graph-models: bad parameters, data a model cannot use (no TFs, fewer than
 * two cells), numerical failure. The message is one line a user can act on; {@link #field()} names the parameter
 * or data field at fault where there is one.
 */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ModelException(String field, String message) {
        this(field, message, null);
    }

    public ModelException(String field, String message, Throwable cause) {
        super(field == null ? message : field + ": " + message, cause);
        this.field = field;
    }

    /** The parameter or data field at fault, or null. */
    public String field() {
        return field;
    }
}
