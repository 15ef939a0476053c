package io.scgrn.anndata;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Writes a {@link MuData} (axis 0) as a MuData 0.1.0 {@code .h5mu}: the root carries {@code encoding-type}
 * "MuData" / {@code encoding-version} "0.1.0", global {@code /obs} and {@code /var}, and each modality is an
 * AnnData group {@code /mod/<name>} written by {@link H5adWriter}; {@code /mod} has a {@code mod-order}
 * attribute. Written to a temporary file and renamed, like {@link H5adWriter}.
 */
public final class H5muWriter {
    private H5muWriter() {
    }

    /**
     * @throws AnnDataException naming {@code target} and the element, on bad input or I/O failure
     */
    public static void write(Path target, MuData data) {
        Path abs = target.toAbsolutePath();
        if (data.mod().isEmpty()) {
            throw new AnnDataException(abs, "/mod", "a MuData needs at least one modality");
        }
        Path dir = abs.getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw new AnnDataException(abs, null, "cannot create a file in " + dir + ": " + e, e);
        }
        boolean done = false;
        try {
            try (WritableHdfFile file = HdfFile.write(tmp)) {
                // Global obs/var only: jhdf 0.13 writes a corrupt ninth link in a group, so the root keeps to
                // obs, var and mod (mudata reads a file without global obsm/varm/uns).
                AnnData global = new AnnData(null, "/", data.obs(), data.var(), null, Map.of(), Map.of(), Map.of(),
                        Map.of(), Map.of(), Map.of(), null);
                H5adWriter.of(global).writeFramesInto(abs, file);
                file.putAttribute("encoding-type", "MuData");
                file.putAttribute("encoding-version", "0.1.0");
                WritableGroup mod = file.putGroup("mod");
                mod.putAttribute("mod-order", data.mod().keySet().toArray(String[]::new));
                for (Map.Entry<String, AnnData> e : data.mod().entrySet()) {
                    WritableGroup g = mod.putGroup(e.getKey());
                    H5adWriter.of(e.getValue()).writeInto(abs, g);
                }
            } catch (HdfException | UncheckedIOException e) {
                throw new AnnDataException(abs, "/", "HDF5 write failed: " + e.getMessage(), e);
            }
            try {
                // createTempFile makes the file owner-only; the result is an ordinary data file.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(
                        "rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // non-POSIX file system: keep its defaults
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw new AnnDataException(abs, null, "cannot rename the temporary file: " + e, e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after the target
                }
            }
        }
    }
}
