package io.scgrn.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.anndata.AnnDataException;
import io.scgrn.app.errors.InsufficientMemoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Running out of heap is exit code 6 with a message that says what to do, wherever it is detected. */
class OutOfMemoryExitTest {
    @Test
    void heapShortfallsMapToExitCode6() {
        Path f = Path.of("big.h5ad");
        InsufficientMemoryException e = InsufficientMemoryException.of(f, new OutOfMemoryError("Java heap space"));
        assertEquals(ExitCodes.OUT_OF_MEMORY, ExitCodes.code(e));
        assertTrue(e.getMessage().contains("--prep stream=on") && e.getMessage().contains("big.h5ad"), e.getMessage());
        // the reader's size check (before allocating) carries an OutOfMemoryError as its cause
        AnnDataException read = new AnnDataException(f, "/X", "needs 9 bytes", new OutOfMemoryError("needs 9 bytes"));
        assertEquals(ExitCodes.OUT_OF_MEMORY, ExitCodes.code(read));
        assertEquals(ExitCodes.INPUT_INVALID, ExitCodes.code(new AnnDataException(f, "/X", "truncated")));
        assertEquals(ExitCodes.OUT_OF_MEMORY, ExitCodes.code(new RuntimeException(new OutOfMemoryError())));
    }
}
