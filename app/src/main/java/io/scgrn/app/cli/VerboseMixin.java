package io.scgrn.app.cli;

import picocli.CommandLine.Option;

/**
 * {@code -v/--verbose}, shared by every command: stack traces on errors and informative log lines; {@code -vv}
 * adds debug logging. Logging goes to stderr through slf4j-simple, whose level is read when the first logger is
 * made: that happens after parsing, so setting the property here takes effect.
 */
public final class VerboseMixin {
    private int level;

    @Option(names = {"-v", "--verbose"}, description = "Verbose: stack traces on errors, log lines (-vv: debug).")
    void setVerbose(boolean[] flags) {
        level = flags.length;
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level >= 2 ? "debug" : "info");
    }

    /** 0 when not verbose, 1 for -v, 2 for -vv. */
    public int level() {
        return level;
    }
}
