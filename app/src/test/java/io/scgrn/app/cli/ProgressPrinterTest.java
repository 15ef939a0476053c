package io.scgrn.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    @Test
    void terminalRedrawsOneLineAndClearsIt() {
        StringWriter w = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(w), true, false);
        p.phase("train");
        p.epoch(150, 150, 0.5275);
        p.finish();
        String s = w.toString();
        assertFalse(s.contains("\n"), "a terminal bar never scrolls: " + s);
        assertTrue(s.contains("\rscgrn: train epoch 150/150 loss 0.5275 [########################] 100% ETA 0:00"),
                s);
        assertTrue(s.endsWith("\r"), "finish() blanks the line");
    }

    @Test
    void logModePrintsOneLinePerPhaseAndEveryTenthOfTheEpochs() {
        StringWriter w = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(w), false, false);
        p.phase("read");
        p.phase("train");
        for (int e = 1; e <= 100; e++) {
            p.epoch(e, 100, 1.0 / e);
        }
        long lines = w.toString().lines().count();
        assertEquals(2 + 11, lines, w::toString); // epochs 1, 10, 20, ..., 100
        assertTrue(w.toString().startsWith("scgrn: read (0:00 elapsed)\n"), w::toString);
    }

    @Test
    void quietPrintsNothingAndCancelIsSeen() {
        StringWriter w = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(w), true, true);
        p.phase("x");
        p.epoch(1, 2, 3);
        p.fraction(0.5);
        p.finish();
        assertEquals("", w.toString());
        assertFalse(p.cancelled());
        p.cancel();
        assertTrue(p.cancelled());
    }

    @Test
    void clockAndBar() {
        assertEquals("0:07", ProgressPrinter.clock(7_000_000_000L));
        assertEquals("1:02:03", ProgressPrinter.clock(3723_000_000_000L));
        assertEquals("[############............]", ProgressPrinter.bar(0.5));
    }
}
