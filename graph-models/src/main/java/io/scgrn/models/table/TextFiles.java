package io.scgrn.models.table;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opening text files: UTF-8, gunzipped when the content starts with the gzip magic bytes (whatever the name), and
 * without a leading byte-order mark (spreadsheet programs on Windows write one; left in, it becomes part of the
 * first name, e.g. the first TF of a list no longer matches its gene).
 */
public final class TextFiles {
    private static final int BUFFER = 1 << 16;
    private static final int BOM = 0xFEFF;

    private TextFiles() {
    }

    /** A reader of {@code file}'s text; the caller closes it. */
    public static BufferedReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            if (isGzip(in)) {
                in = new GZIPInputStream(in, BUFFER);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER);
            r.mark(1);
            if (r.read() != BOM) {
                r.reset();
            }
            return r;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /** True when the stream (which must support mark/reset) starts with 1f 8b; the stream is not advanced. */
    public static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }
}
