package io.scgrn.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Not a user command: the workload {@code mvn package} runs once under {@code -XX:ArchiveClassesAtExit} (through
 * {@code app/bin/scgrn} with {@code SCGRN_CDS=dump}) so that the class-data-sharing archive holds the classes that
 * short commands load: the command line, the file readers, {@code inspect --stats}, and an {@code infer} with the
 * fast {@code pearson} model (preparation, evaluation, the network and manifest writers). Later runs map those
 * classes from the archive instead of reading, parsing and verifying them again.
 *
 * <p>Output is discarded; a failing command only means fewer classes in the archive, never a failed build.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    /** @param args the example .h5ad to run the commands on */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CdsTraining EXAMPLE.h5ad");
            return;
        }
        Main.systemDefaults();
        String example = args[0];
        Path out = Files.createTempDirectory("scgrn-cds-");
        try {
            run("inspect", "--stats", example);
            run("inspect", "--json", example);
            run("infer", example, "--model", "pearson", "-q", "--out", out.resolve("pearson").toString());
        } finally {
            try (Stream<Path> s = Files.walk(out)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(String... args) {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        int code = Main.commandLine().setOut(sink).setErr(sink).execute(args);
        if (code != 0) {
            System.err.println("scgrn CDS training: '" + String.join(" ", args) + "' exited with " + code
                    + " (the archive will hold fewer classes)");
        }
    }
}
