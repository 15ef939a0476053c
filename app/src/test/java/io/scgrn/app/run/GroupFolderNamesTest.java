package io.scgrn.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hostile category names (issue 11): every group gets a folder the file system and the server can use. */
class GroupFolderNamesTest {
    @Test
    void longAndReservedGroupNamesGetUsableFolders() {
        String longName = "T cell ".repeat(43); // 301 characters: one folder name may have at most 255 bytes
        Map<String, String> dirs = InferPipeline.safeNames(List.of("all", longName, "ALL", "B", longName + "x"));
        assertEquals("all-2", dirs.get("all"), "'all' names the network over all cells");
        assertTrue(dirs.get(longName).length() <= InferPipeline.MAX_GROUP_DIR, dirs.get(longName));
        assertFalse(dirs.get("ALL").equalsIgnoreCase("all"));
        assertEquals("B", dirs.get("B"));
        assertTrue(!dirs.get(longName).equals(dirs.get(longName + "x")), "truncated names stay distinct");
    }
}
