package io.scgrn.anndata.read;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The LZF decoder must not depend on the filter's size parameter, which h5py leaves out for some datasets: the
 * output length comes from the stream itself.
 */
class LzfFilterTest {
    /** "abcabcabcabcX": literal "abc", back reference (len 9, distance 3), literal "X". */
    private static final byte[] STREAM = {2, 'a', 'b', 'c', (byte) ((7 << 5) | 0), 0, 2, 0, 'X'};

    private static byte[] expected() {
        return "abcabcabcabcX".getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void decodesWithoutSizeParameter() {
        LzfFilter f = new LzfFilter();
        assertEquals(32000, f.getId());
        assertArrayEquals(expected(), f.decode(STREAM, new int[0]));
        assertArrayEquals(expected(), f.decode(STREAM, null));
    }

    @Test
    void ignoresWrongSizeParameter() {
        // h5py writes the size of the type, not of the chunk, for variable-length strings
        assertArrayEquals(expected(), new LzfFilter().decode(STREAM, new int[] {4, 261, 3}));
        assertArrayEquals(expected(), new LzfFilter().decode(STREAM, new int[] {4, 261, 1 << 20}));
    }

    @Test
    void unfilteredChunkOfDeclaredSizeIsReturnedAsIs() {
        byte[] raw = "0123456789".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(raw, new LzfFilter().decode(raw, new int[] {4, 261, 10}));
    }

    @Test
    void malformedStreamsThrow() {
        // back reference before the start of the output
        assertThrows(IllegalStateException.class, () -> new LzfFilter().decode(new byte[] {(byte) 0x20, 5}, null));
        // literal run past the end of the input
        assertThrows(IllegalStateException.class, () -> new LzfFilter().decode(new byte[] {9, 'a'}, null));
    }
}
