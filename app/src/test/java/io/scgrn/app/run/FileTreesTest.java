package io.scgrn.app.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path dir;

    @Test
    void deletesANestedTreeAndIgnoresAMissingOne() throws IOException {
        Path root = dir.resolve("job");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/network.tsv"), "tf\ttarget\n");
        Files.writeString(root.resolve("a/manifest.json"), "{}");
        FileTrees.delete(root);
        assertFalse(Files.exists(root));
        FileTrees.delete(root);
        assertTrue(FileTrees.deleteQuietly(root));
        assertTrue(Files.exists(dir), "the parent is left alone");
    }

    @Test
    void aLinkInsideTheTreeIsRemovedNotFollowed() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("keep"));
        Files.write(outside.resolve("data.h5ad"), new byte[] {1, 2, 3});
        Path root = Files.createDirectories(dir.resolve("job"));
        try {
            Files.createSymbolicLink(root.resolve("link"), outside);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symbolic links on this file system");
        }
        FileTrees.delete(root);
        assertFalse(Files.exists(root));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(outside.resolve("data.h5ad")));
    }
}
