package io.scgrn.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one-line error report of {@link Main}. */
class ErrorLineTest {
    @Test
    void aForeignMultiLineMessageKeepsItsFirstLine() {
        // the shape of PyTorch's messages through DJL: the error, then advice and C++ frames on further lines
        RuntimeException e = new IllegalStateException("set_stride is not allowed on a Tensor created from .data.\n"
                + "If your intent is to change the metadata of a Tensor ...\nframe #0: c10::Error::Error(...)");
        assertEquals("IllegalStateException: set_stride is not allowed on a Tensor created from .data."
                + " (the rest with -v)", Main.errorLine(e, true));
    }

    @Test
    void ourOwnMessagesAreShownWholeOnOneLine() {
        RuntimeException e = new IllegalArgumentException("data.h5ad: /X: not a matrix\n(shape [3])");
        assertEquals("data.h5ad: /X: not a matrix (shape [3])", Main.errorLine(e, false));
        assertEquals("NullPointerException", Main.errorLine(new NullPointerException(), true));
        assertEquals("IllegalStateException", Main.errorLine(new IllegalStateException(" "), false));
    }
}
