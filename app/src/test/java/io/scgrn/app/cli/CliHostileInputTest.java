package io.scgrn.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.app.run.InferPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line half of the hostile-input suite (issue 11): usage errors come before any data is read. */
class CliHostileInputTest {
    @TempDir
    Path tmp;

    @Test
    void malformedParamIsExit2BeforeTheInputIsRead() throws IOException {
        // The input is not even HDF5: a usage error must be found first (exit 2), not the read's (exit 4) or the
        // model's after reading (exit 5).
        Path junk = Files.writeString(tmp.resolve("junk.h5ad"), "not hdf5");
        for (String[] p : new String[][] {{"pearson", "max-edges=lots"}, {"pearson", "no-such-param=1"},
            {"gnn", "epochs=-3"}, {"sem", "steps"}, {"grnboost", "max-depth=99"}, {"crowd", "pcor=sideways"}}) {
            Path out = tmp.resolve("out-" + p[0]);
            Cli r = Cli.run("infer", junk.toString(), "--model", p[0], "--param", p[1], "--out", out.toString(),
                    "-q");
            assertEquals(2, r.code(), () -> String.join(" ", p) + ": " + r);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void groupbyWithTooManyValuesIsExit2NamingTheCardinality() {
        Path out = tmp.resolve("g");
        Cli r = Cli.run("infer", Cli.TINY.toString(), "--model", "pearson", "--groupby", "n_counts", "--out",
                out.toString(), "-q");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().matches("(?s).*column 'n_counts' has \\d+ distinct values; at most "
                + InferPipeline.MAX_GROUPS + " groups.*"), r::toString);
        assertFalse(Files.exists(out));
    }
}
