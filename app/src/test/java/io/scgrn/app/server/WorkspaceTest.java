package io.scgrn.app.server;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkspaceTest {
    @TempDir
    Path dir;

    /** A cancel or a server stop interrupts the job's thread just before it records the job's last state. */
    @Test
    void anInterruptedThreadStillWritesItsJobRecord() throws Exception {
        Path f = dir.resolve("job.json");
        JsonObject job = new JsonObject().put("id", "j1").put("status", "cancelled");
        Thread.currentThread().interrupt();
        try {
            Workspace.writeJson(f, job);
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is left for the caller (and cleared here)");
        }
        assertEquals(job, new JsonObject(Files.readString(f)));
        assertFalse(Files.exists(dir.resolve(".job.json.tmp")));
    }
}
