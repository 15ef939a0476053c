package io.scgrn.anndata.read;

import io.jhdf.HdfFile;
import io.scgrn.anndata.AnnDataException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Function;

/** Opens HDF5 files for reading with checks that give one-line messages instead of jhdf stack traces. */
public final class H5Files {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private H5Files() {
    }

    /**
     * Opens {@code file}, applies {@code body} and closes the file. Every failure, including jhdf's, becomes an
     * {@link AnnDataException} naming the file.
     */
    public static <T> T withFile(Path file, Function<ReadContext, T> body) {
        checkHdf5(file);
        LzfFilter.install();
        DeflateFilter.install();
        try (HdfFile hdf = openChecked(file)) {
            ReadContext ctx = new ReadContext(file, hdf);
            try {
                return body.apply(ctx);
            } catch (AnnDataException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                throw ctx.wrap("/", e);
            }
        }
    }

    /** Opens a file for a caller that keeps it open (streaming); the caller closes the returned HdfFile. */
    public static HdfFile open(Path file) {
        checkHdf5(file);
        LzfFilter.install();
        DeflateFilter.install();
        return openChecked(file);
    }

    /**
     * Files up to 2 GiB are memory-mapped and handed to jhdf as a buffer: jhdf then slices the buffer for every
     * read, so a corrupt length field fails with an index error instead of jhdf allocating (and zero-filling) a
     * heap buffer of that forged size. Larger files are read through jhdf's FileChannel storage. The mapping
     * needs no explicit release: it is unmapped when the buffer is collected, and the channel is closed here.
     */
    private static HdfFile openChecked(Path file) {
        try {
            long size = Files.size(file);
            if (size <= Integer.MAX_VALUE) {
                MappedByteBuffer mb;
                try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
                    mb = fc.map(FileChannel.MapMode.READ_ONLY, 0, size);
                }
                return HdfFile.fromByteBuffer(mb);
            }
            return new HdfFile(file);
        } catch (IOException e) {
            throw new AnnDataException(file, null, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AnnDataException(file, null, "cannot open as HDF5: " + firstLine(e), e);
        }
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }

    /** True when the file starts (at 0, 512, 1024, … as HDF5 allows for a user block) with the HDF5 signature. */
    public static boolean isHdf5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            if (Arrays.equals(head, SIGNATURE)) {
                return true;
            }
            long pos = 8;
            for (long off = 512; off <= 1 << 16; off *= 2) {
                in.skipNBytes(off - pos);
                head = in.readNBytes(8);
                pos = off + head.length;
                if (head.length < 8) {
                    return false;
                }
                if (Arrays.equals(head, SIGNATURE)) {
                    return true;
                }
            }
            return false;
        } catch (EOFException e) {
            return false;
        } catch (IOException e) {
            throw new AnnDataException(file, null, "cannot read: " + e.getMessage(), e);
        }
    }

    private static void checkHdf5(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AnnDataException(file, null, Files.exists(file) ? "not a regular file" : "no such file");
        }
        if (!Files.isReadable(file)) {
            throw new AnnDataException(file, null, "not readable");
        }
        if (!isHdf5(file)) {
            throw new AnnDataException(file, null, "not an HDF5 file (no HDF5 signature)");
        }
    }
}
