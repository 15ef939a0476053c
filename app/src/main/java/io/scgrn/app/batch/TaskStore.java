package io.scgrn.app.batch;

import io.scgrn.app.run.FileTrees;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file operations that make a task's results appear all at once: files are written into a temporary folder,
 * which is renamed onto the task folder at the end. A process killed at any point leaves either the previous task
 * folder or the new one, never a mix; leftover temporary folders are removed by the next run. Methods are
 * overridable so tests can inject write failures (disk full).
 */
public class TaskStore {
    /** Prefix of temporary folders under {@code tasks/}. */
    public static final String TMP_PREFIX = ".tmp-";
    private static final String OLD_PREFIX = ".old-";

    /** Writes {@code bytes} to {@code file} (inside a temporary task folder). */
    public void write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
    }

    /**
     * Makes {@code tmp} the task folder {@code target}, replacing an earlier one. The old folder is first renamed
     * aside, so the target is never half-replaced.
     */
    public void commit(Path tmp, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling(OLD_PREFIX + target.getFileName() + "-" + System.nanoTime());
            move(target, old);
        }
        try {
            move(tmp, target);
        } catch (IOException e) {
            if (old != null) {
                move(old, target); // put the previous result back
            }
            throw e;
        }
        if (old != null) {
            FileTrees.delete(old);
        }
    }

    /** Removes temporary folders left by a killed run. */
    public void cleanStale(Path tasksDir) throws IOException {
        if (!Files.isDirectory(tasksDir)) {
            return;
        }
        try (var s = Files.list(tasksDir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(TMP_PREFIX) || n.startsWith(OLD_PREFIX)) {
                    FileTrees.delete(p);
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
