package io.scgrn.app.batch;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A plan that cannot run: every problem found, each with its YAML line. The CLI prints one line per problem and exits
 * with code 2.
 */
public class PlanException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final transient List<PlanProblem> problems;

    public PlanException(Path file, List<PlanProblem> problems) {
        super(problems.stream().map(p -> p.format(String.valueOf(file))).collect(Collectors.joining("; ")));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    /** The plan file. */
    public Path file() {
        return file;
    }

    /** The problems in file order, at least one. */
    public List<PlanProblem> problems() {
        return problems;
    }

    /** One line per problem, {@code file:line: message}. */
    public List<String> lines() {
        return problems.stream().map(p -> p.format(String.valueOf(file))).toList();
    }
}
