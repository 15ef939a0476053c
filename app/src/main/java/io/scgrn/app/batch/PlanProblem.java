package io.scgrn.app.batch;

/**
 * One problem found while validating a plan.
 *
 * @param line    1-based line in the plan file, or 0 when the problem is not tied to a line
 * @param message one line a user can act on
 */
public record PlanProblem(int line, String message) {
    /** {@code plan.yaml:12: message} (or {@code plan.yaml: message} without a line). */
    public String format(String file) {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
