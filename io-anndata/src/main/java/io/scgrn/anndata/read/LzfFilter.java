package io.scgrn.anndata.read;

import io.jhdf.filter.Filter;

/**
 * The LZF filter (HDF5 filter id 32000, as h5py writes it), replacing jhdf's own. jhdf sizes its output from the
 * third filter parameter, which h5py leaves out for some datasets (variable-length strings); jhdf then fails with
 * an ArrayIndexOutOfBoundsException. This decoder walks the LZF stream once to learn the exact output length when
 * the parameter is missing or wrong, so the output is never larger than the stream can produce.
 */
public final class LzfFilter implements Filter {
    /** HDF5 filter id registered for LZF. */
    public static final int ID = 32000;


    /** Registers this filter with jhdf (idempotent). */
    public static void install() {
        FilterRegistration.installOnce(ID, LzfFilter::new);
    }

    @Override
    public int getId() {
        return ID;
    }

    @Override
    public String getName() {
        return "lzf";
    }

    @Override
    public byte[] decode(byte[] encoded, int[] filterData) {
        int declared = filterData != null && filterData.length > 2 ? filterData[2] : -1;
        if (declared > 0 && encoded.length == declared) {
            // h5py stores a chunk unfiltered when LZF would not shrink it (as jhdf's own filter assumes)
            return encoded;
        }
        int size = decodedLength(encoded);
        byte[] out = new byte[size];
        int n = decompress(encoded, out);
        if (n != size) {
            throw new IllegalStateException("LZF stream decoded to " + n + " bytes, expected " + size);
        }
        return out;
    }

    /** Length of the decompressed stream, found by walking its control bytes; malformed streams throw. */
    static int decodedLength(byte[] in) {
        long op = 0;
        int ip = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (ip + run > in.length) {
                    throw new IllegalStateException("LZF literal run past end of input");
                }
                ip += run;
                op += run;
            } else {
                int len = ctrl >> 5;
                if (len == 7) {
                    if (ip >= in.length) {
                        throw new IllegalStateException("LZF stream truncated");
                    }
                    len += in[ip++] & 0xff;
                }
                if (ip >= in.length) {
                    throw new IllegalStateException("LZF stream truncated");
                }
                long back = ((long) (ctrl & 0x1f) << 8) + (in[ip++] & 0xff) + 1;
                if (back > op) {
                    throw new IllegalStateException("LZF back reference before start of output");
                }
                op += len + 2;
            }
            if (op > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("LZF output too large");
            }
        }
        return (int) op;
    }

    private static int decompress(byte[] in, byte[] out) {
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >> 5;
                if (len == 7) {
                    len += in[ip++] & 0xff;
                }
                int ref = op - ((ctrl & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
                len += 2;
                // overlapping copies repeat bytes, so copy one at a time
                for (int k = 0; k < len; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        return op;
    }
}
