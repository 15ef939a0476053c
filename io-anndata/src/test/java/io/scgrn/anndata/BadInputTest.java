package io.scgrn.anndata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per kind of bad input (files made by {@code scripts/make_fixtures.py}): each must be an
 * {@link AnnDataException} naming the file and the HDF5 path, with a one-line message.
 */
class BadInputTest {

    private static AnnDataException failsH5ad(String name, String h5Path, String fragment) {
        Path f = TestFiles.bad(name);
        AnnDataException e = assertThrows(AnnDataException.class, () -> AnnDataFiles.readH5ad(f));
        assertEquals(f, e.file(), "names the file");
        assertEquals(h5Path, e.h5Path(), "names the HDF5 path: " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void notHdf5() {
        failsH5ad("not_hdf5.h5ad", null, "not an HDF5 file");
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path f = dir.resolve("absent.h5ad");
        AnnDataException e = assertThrows(AnnDataException.class, () -> AnnDataFiles.readAny(f));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void emptyFile(@TempDir Path dir) throws IOException {
        Path f = Files.createFile(dir.resolve("empty.h5ad"));
        AnnDataException e = assertThrows(AnnDataException.class, () -> AnnDataFiles.readH5ad(f));
        assertTrue(e.getMessage().contains("not an HDF5 file"), e.getMessage());
    }

    @Test
    void truncated() {
        Path f = TestFiles.bad("truncated.h5ad");
        AnnDataException e = assertThrows(AnnDataException.class, () -> AnnDataFiles.readH5ad(f));
        assertEquals(f, e.file());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void noObsVar() {
        failsH5ad("no_obs_var.h5ad", "/", "no obs");
        Path f = TestFiles.bad("no_obs_var.h5ad");
        AnnDataException e = assertThrows(AnnDataException.class, () -> AnnDataFiles.readAny(f));
        assertTrue(e.getMessage().contains("not an AnnData, MuData or 10x file"), e.getMessage());
    }

    @Test
    void indptrNotMonotone() {
        failsH5ad("bad_indptr.h5ad", "/X/indptr", "decreases at 6");
    }

    @Test
    void indptrWrongLength() {
        failsH5ad("short_indptr.h5ad", "/X/indptr", "has 51 entries but shape 53 x 37 needs 54");
    }

    @Test
    void indicesOutOfRange() {
        failsH5ad("oob_indices.h5ad", "/X/indices", "index 37 at 3 is outside 0..36");
    }

    @Test
    void shapeAttributeDisagreesWithData() {
        // shape says 12 columns but the stored indices reach 36
        failsH5ad("wrong_shape.h5ad", "/X/indices", "outside 0..11");
    }

    @Test
    void unknownEncoding() {
        failsH5ad("unknown_encoding.h5ad", "/X", "unknown encoding 'blocked_sparse' version '0.1.0'");
    }

    @Test
    void forgedHugeShape() {
        failsH5ad("huge_shape.h5ad", "/X", "out of range");
    }

    @Test
    void forgedHugeDenseDataset() {
        // 23 x 10^11 floats declared, nothing stored: refused from the dimensions, nothing allocated
        failsH5ad("huge_dense.h5ad", "/X", "too large to load whole");
    }

    @Test
    void columnLongerOrShorterThanIndex() {
        failsH5ad("column_length.h5ad", "/obs/n_counts", "column has 5 rows, the index 23");
    }

    @Test
    void wrongEntryPointForKind() {
        Path f = TestFiles.fixture("tenx_multiome.h5");
        AnnDataException e = assertThrows(AnnDataException.class, () -> AnnDataFiles.readH5mu(f));
        assertTrue(e.getMessage().contains("/mod"), e.getMessage());
        Path g = TestFiles.fixture("dense_f32.h5ad");
        AnnDataException e2 = assertThrows(AnnDataException.class, () -> AnnDataFiles.read10x(g));
        assertTrue(e2.getMessage().contains("not a 10x file"), e2.getMessage());
    }
}
