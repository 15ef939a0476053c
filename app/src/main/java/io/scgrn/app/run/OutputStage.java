package io.scgrn.app.run;

import io.scgrn.app.errors.BadRequestException;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An output folder written all-or-nothing: files are written into {@code outDir/.tmp-<id>/} and moved into
 * {@code outDir} by {@link #commit()} (the manifest last, so a folder with a manifest is complete). Closing without
 * commit removes the temporary folder and any folders this stage created, so a failed or interrupted run leaves no
 * partial output.
 */
final class OutputStage implements AutoCloseable {
    private final Path outDir;
    private final Path tmp;
    private final List<Path> created = new ArrayList<>();
    private final Map<String, Path> files = new LinkedHashMap<>();
    private boolean committed;

    OutputStage(Path outDir) {
        this.outDir = outDir.toAbsolutePath().normalize();
        try {
            if (Files.exists(this.outDir) && !Files.isDirectory(this.outDir)) {
                throw new BadRequestException("out", this.outDir + " exists and is not a folder");
            }
            // Remember which folders we make, so that a failed run can remove exactly those.
            Path p = this.outDir;
            List<Path> missing = new ArrayList<>();
            while (p != null && !Files.exists(p)) {
                missing.add(0, p);
                p = p.getParent();
            }
            for (Path m : missing) {
                try {
                    Files.createDirectory(m);
                    created.add(0, m);
                } catch (FileAlreadyExistsException e) {
                    // another run created it at the same moment: not ours to remove
                }
            }
            this.tmp = Files.createDirectory(this.outDir.resolve(".tmp-" + UUID.randomUUID().toString()
                    .substring(0, 8)));
        } catch (IOException e) {
            close();
            throw new BadRequestException("out", "cannot create output folder " + this.outDir + ": " + e, e);
        }
    }

    /** The final output folder. */
    Path outDir() {
        return outDir;
    }

    /**
     * The temporary path to write {@code name} (relative, '/'-separated) to; its parent folders are created. The
     * file is recorded and moved to {@code outDir/name} on commit.
     */
    Path file(String name) {
        Path p = tmp.resolve(name).normalize();
        if (!p.startsWith(tmp)) {
            throw new IllegalArgumentException("output name escapes the output folder: " + name);
        }
        try {
            Files.createDirectories(p.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p.getParent(), e);
        }
        files.put(name, p);
        return p;
    }

    /** Final locations of the files recorded so far, by name. */
    Map<String, Path> finalPaths() {
        Map<String, Path> m = new LinkedHashMap<>();
        files.keySet().forEach(n -> m.put(n, outDir.resolve(n)));
        return m;
    }

    /**
     * Moves every recorded file into place, {@code lastName} (the manifest) last, and removes the temporary folder.
     * Stale sub-folders of an earlier run that this run also writes (groups/) are replaced as a whole.
     */
    void commit(String lastName) throws IOException {
        for (String top : topFolders()) {
            FileTrees.delete(outDir.resolve(top));
        }
        List<String> order = new ArrayList<>(files.keySet());
        if (order.remove(lastName)) {
            order.add(lastName);
        }
        for (String name : order) {
            Path from = files.get(name);
            if (!Files.exists(from)) {
                throw new NoSuchFileException(from.toString(), null, "output was recorded but not written");
            }
            Path to = outDir.resolve(name);
            Files.createDirectories(to.getParent());
            try {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        committed = true;
        FileTrees.delete(tmp);
    }

    private List<String> topFolders() {
        List<String> tops = new ArrayList<>();
        for (String name : files.keySet()) {
            int slash = name.indexOf('/');
            if (slash > 0 && !tops.contains(name.substring(0, slash))) {
                tops.add(name.substring(0, slash));
            }
        }
        return tops;
    }

    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            if (tmp != null) {
                FileTrees.delete(tmp);
            }
            for (Path c : created) {
                if (isEmptyDir(c)) {
                    Files.deleteIfExists(c);
                }
            }
        } catch (IOException e) {
            // Best effort: the original failure matters more than a leftover temporary folder.
            LoggerFactory.getLogger(OutputStage.class).warn("could not clean up {}: {}", tmp, e.toString());
        }
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
            return !s.iterator().hasNext();
        }
    }
}
