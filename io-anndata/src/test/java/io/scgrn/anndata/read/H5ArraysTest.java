package io.scgrn.anndata.read;

import io.jhdf.api.Dataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.reflect.Array;
import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slice-wise reads (serial and parallel, slices not aligned to anything) must give exactly what one whole read
 * gives, for chunked gzip 2-D data, chunked 1-D data and LZF data. jhdf before 0.11 returned zeros for chunked
 * slices; the whole read is itself checked against h5py by ExpectedValuesTest.
 */
class H5ArraysTest {

    /** A fixture by name, or "pbmc" for scanpy's pbmc68k_reduced (its raw X is large enough for many chunks). */
    static Path file(String name) throws URISyntaxException {
        return name.equals("pbmc")
                ? Path.of(H5ArraysTest.class.getClassLoader()
                .getResource("formats/scanpy/pbmc68k_reduced_2025-11.h5ad").toURI())
                : fixture(name);
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(H5ArraysTest.class.getClassLoader().getResource("fixtures/" + name).toURI());
    }

    @ParameterizedTest
    @CsvSource({"stream_dense.h5ad,/X,37", "stream_dense.h5ad,/X,100", "stream_csr.h5ad,/X/data,50",
            "stream_csr.h5ad,/X/indices,7", "lzf.h5ad,/X/data,5", "pbmc,/raw/X/data,3000"})
    void slicedReadsEqualWholeRead(String file, String path, int slice) throws Exception {
        Path f = file(file);
        H5Files.withFile(f, ctx -> {
            Dataset ds = ctx.dataset(path);
            Object whole = H5Arrays.readFlat(ctx, ds, false, Integer.MAX_VALUE);
            Object serial = H5Arrays.readFlat(ctx, ds, false, slice);
            Object parallel = H5Arrays.readFlat(ctx, ds, true, slice);
            int n = Array.getLength(whole);
            assertTrue(n > slice, "the slice must be smaller than the dataset");
            assertEquals(n, Array.getLength(serial));
            assertEquals(n, Array.getLength(parallel));
            boolean anyNonZero = false;
            for (int i = 0; i < n; i++) {
                Object w = Array.get(whole, i);
                assertEquals(w, Array.get(serial, i), "serial element " + i);
                assertEquals(w, Array.get(parallel, i), "parallel element " + i);
                anyNonZero |= ((Number) w).doubleValue() != 0;
            }
            assertTrue(anyNonZero, "data must not be all zeros");
            return null;
        });
    }

    /**
     * {@link H5Arrays#readRange} (chunks inflated in parallel) against the whole read, for ranges that start and end
     * inside chunks, span several chunks, sit in the last (partial) chunk, and are empty.
     */
    @ParameterizedTest
    @CsvSource({"stream_csr.h5ad,/X/data", "stream_csr.h5ad,/X/indices", "lzf.h5ad,/X/data",
            "pbmc,/raw/X/data"})
    void rangeReadsEqualWholeRead(String file, String path) throws Exception {
        Path f = file(file);
        H5Files.withFile(f, ctx -> {
            Dataset ds = ctx.dataset(path);
            Object whole = H5Arrays.readFlat(ctx, ds, false, Integer.MAX_VALUE);
            int n = Array.getLength(whole);
            int[][] ranges = {{0, n}, {1, n - 2}, {n / 3, n / 3}, {n - 1, 1}, {n / 2, 0}, {7, Math.min(5, n - 7)}};
            for (int[] r : ranges) {
                Object part = H5Arrays.readRange(ctx, ds, r[0], r[1]);
                assertEquals(r[1], Array.getLength(part), "length of range " + r[0] + "+" + r[1]);
                for (int i = 0; i < r[1]; i++) {
                    assertEquals(Array.get(whole, r[0] + i), Array.get(part, i), "element " + (r[0] + i));
                }
            }
            return null;
        });
    }
}
