package io.scgrn.app.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Identity of an input file's content: size, modification time and SHA-256. A resumed task is reused only when its
 * recorded fingerprint still matches the file; size and mtime are checked first so that an unchanged multi-GB input
 * is not re-hashed on every rerun.
 *
 * @param size        bytes
 * @param mtimeMillis last modification, epoch milliseconds
 * @param sha256      hex SHA-256 of the content
 */
public record InputFingerprint(long size, long mtimeMillis, String sha256) {

    /** Computes fingerprints at most once per file per batch run (tasks of one dataset share it). */
    public static final class Cache {
        private final Map<Path, InputFingerprint> byPath = new ConcurrentHashMap<>();

        /** The file's fingerprint, hashing it on first use. */
        public InputFingerprint of(Path file) throws IOException {
            try {
                return byPath.computeIfAbsent(file.toAbsolutePath().normalize(), f -> {
                    try {
                        return new InputFingerprint(Files.size(f), Files.getLastModifiedTime(f).toMillis(),
                                Hashes.sha256(f));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        /**
         * Whether {@code file} still has the content {@code recorded} describes: equal size and mtime are trusted,
         * otherwise the file is hashed and compared.
         */
        public boolean matches(Path file, InputFingerprint recorded) throws IOException {
            if (recorded == null || recorded.sha256() == null) {
                return false;
            }
            long size = Files.size(file);
            if (size != recorded.size()) {
                return false;
            }
            if (Files.getLastModifiedTime(file).toMillis() == recorded.mtimeMillis()) {
                return true;
            }
            return of(file).sha256().equals(recorded.sha256());
        }
    }
}
