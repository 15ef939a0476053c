package io.scgrn.app.cli;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code scgrn simulate --genome-out} and {@code scgrn infer --genome}: motif scanning end to end, and bad input. */
class MotifScanCommandTest {
    @TempDir
    static Path dir;

    static Path data;
    static Path sim;
    static Path genome;

    @BeforeAll
    static void simulate() {
        sim = dir.resolve("sim");
        data = sim.resolve("data.h5mu");
        genome = sim.resolve("genome.fa.gz");
        Cli c = Cli.run("simulate", "--out", data.toString(), "--genome-out", genome.toString(), "--cells", "300",
                "--genes", "80", "--peaks", "900", "--tfs", "10", "--cell-types", "3", "--seed", "5");
        assertEquals(0, c.code(), c.toString());
        assertTrue(c.out().contains("planted motif sites"), c.toString());
    }

    private static String[] infer(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("infer", data.toString(), "--tfs",
                sim.resolve("tfs.txt").toString(), "--truth", sim.resolve("truth.csv").toString(), "--model",
                "pearson", "-q", "-o", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void inferScansTheGenomeAndCachesTheScan() throws Exception {
        assertTrue(Files.readAllLines(sim.resolve("planted_sites.tsv")).size() > 100);
        Path out = dir.resolve("runs/out-genome");
        Cli c = Cli.run(infer(out, "--genome", genome.toString()));
        assertEquals(0, c.code(), c.toString());
        JsonObject atac = new JsonObject(Files.readString(out.resolve("manifest.json"))).getJsonObject("atac");
        assertTrue(atac.getString("tf_peak_evidence").startsWith("genome:"), atac.encode());
        assertTrue(atac.getBoolean("prior_applied"));
        JsonObject scan = atac.getJsonObject("motif_scan");
        assertEquals(879, scan.getInteger("motifs"));
        assertTrue(scan.getInteger("motifs_scanned") >= 10, scan.encode());
        assertTrue(scan.getInteger("tfs_with_motif") >= 8, scan.encode());
        assertFalse(scan.getBoolean("from_cache"));
        Path cache = Path.of(scan.getString("cache_file"));
        assertEquals(dir.resolve("runs/.scgrn-cache").toAbsolutePath(), cache.getParent());
        assertTrue(Files.exists(cache));
        assertTrue(Files.exists(Path.of(genome + ".fai")) && Files.exists(Path.of(genome + ".gzi")));
        List<String> triplets = Files.readAllLines(out.resolve("triplets.tsv"));
        assertTrue(triplets.size() > 10 && triplets.get(1).contains("\tmotif\t"), triplets.get(1));

        Path again = dir.resolve("runs/out-genome-2");
        c = Cli.run(infer(again, "--genome", genome.toString()));
        assertEquals(0, c.code(), c.toString());
        JsonObject scan2 = new JsonObject(Files.readString(again.resolve("manifest.json"))).getJsonObject("atac")
                .getJsonObject("motif_scan");
        assertTrue(scan2.getBoolean("from_cache"), scan2.encode());
        assertEquals(Files.readString(out.resolve("network.tsv")), Files.readString(again.resolve("network.tsv")));

        // scan-compete=1 (round 10b): the same cached scan, paralogs' shared hits competed for; recorded
        Path compete = dir.resolve("runs/out-genome-compete");
        c = Cli.run(infer(compete, "--genome", genome.toString(), "--atac-param", "scan-compete=1"));
        assertEquals(0, c.code(), c.toString());
        JsonObject atac3 = new JsonObject(Files.readString(compete.resolve("manifest.json"))).getJsonObject("atac");
        assertTrue(atac3.getJsonObject("settings").getBoolean("scan-compete"), atac3.encode());
        assertFalse(atac.getJsonObject("settings").getBoolean("scan-compete"));
        assertTrue(atac3.getJsonObject("motif_scan").getBoolean("from_cache"));
        assertTrue(atac3.getJsonObject("motif_scan").getInteger("peak_tf_hits") <= scan.getInteger("peak_tf_hits"));

        // paralog-split=1 (round 11): the same cached scan and hits, relatives' shared hits split by coupling; recorded
        Path split = dir.resolve("runs/out-genome-split");
        c = Cli.run(infer(split, "--genome", genome.toString(), "--atac-param", "paralog-split=1"));
        assertEquals(0, c.code(), c.toString());
        JsonObject atac4 = new JsonObject(Files.readString(split.resolve("manifest.json"))).getJsonObject("atac");
        assertTrue(atac4.getJsonObject("settings").getBoolean("paralog-split"), atac4.encode());
        assertFalse(atac.getJsonObject("settings").getBoolean("paralog-split"));
        assertTrue(atac4.getJsonObject("motif_scan").getBoolean("from_cache"));
        assertEquals(scan.getInteger("peak_tf_hits"), atac4.getJsonObject("motif_scan").getInteger("peak_tf_hits"));

        // state-share-motifs=chromatin (round 11b): the within-state share set from the chromatin with motifs too;
        // recorded, fixed (0.3) by default; a bad value names the field
        Path chrom = dir.resolve("runs/out-genome-chromatin");
        c = Cli.run(infer(chrom, "--genome", genome.toString(), "--atac-param", "state-share-motifs=chromatin"));
        assertEquals(0, c.code(), c.toString());
        JsonObject atac5 = new JsonObject(Files.readString(chrom.resolve("manifest.json"))).getJsonObject("atac");
        assertEquals("chromatin", atac5.getJsonObject("settings").getString("state-share-motifs"), atac5.encode());
        assertEquals("fixed", atac.getJsonObject("settings").getString("state-share-motifs"));
        assertEquals(0.3, atac.getDouble("state_share_applied"), 1e-12);
        double share = atac5.getDouble("state_share_applied");
        assertTrue(share >= 0 && share <= 0.6, "share set from the chromatin: " + share);
        c = Cli.run(infer(dir.resolve("runs/out-genome-bad"), "--genome", genome.toString(), "--atac-param",
                "state-share-motifs=confounding"));
        assertEquals(5, c.code(), c.toString());
        assertTrue(c.err().contains("state-share-motifs"), c.err());
    }

    @Test
    void badGenomesAndMotifFilesGiveOneLineErrors() throws Exception {
        Path other = dir.resolve("other.fa");
        Files.writeString(other, ">chrZ\n" + "ACGT".repeat(50) + "\n");
        Cli c = Cli.run(infer(dir.resolve("o1"), "--genome", other.toString()));
        assertEquals(4, c.code(), c.toString());
        assertTrue(c.err().contains("has no contig for") && c.err().contains("its contigs: chrZ"), c.err());
        assertEquals(1, c.err().strip().lines().count(), c.err());

        StringBuilder tiny = new StringBuilder();
        for (String chrom : Files.readAllLines(sim.resolve("genes.bed")).stream().map(l -> l.split("\t")[0])
                .distinct().toList()) {
            tiny.append('>').append(chrom.replace("chr", "")).append('\n').append("acgtn".repeat(20)).append('\n');
        }
        Path shortGenome = dir.resolve("short.fa");
        Files.writeString(shortGenome, tiny.toString());
        c = Cli.run(infer(dir.resolve("o2"), "--genome", shortGenome.toString()));
        assertEquals(4, c.code(), c.toString());
        assertTrue(c.err().contains("starts beyond the end of contig"), c.err());

        Path badDb = dir.resolve("bad.jaspar");
        Files.writeString(badDb, ">MA1 X\nA [ 1 2 ]\nC [ 1 2 ]\nG [ 1 two ]\nT [ 1 2 ]\n");
        c = Cli.run(infer(dir.resolve("o3"), "--genome", genome.toString(), "--motif-db", badDb.toString()));
        assertEquals(4, c.code(), c.toString());
        assertTrue(c.err().contains("bad.jaspar line 4") && c.err().contains("'two' is not a number"), c.err());

        Path foreign = dir.resolve("foreign.meme");
        Files.writeString(foreign, "MEME version 4\n\nMOTIF M1 NOTATF\nletter-probability matrix: alength= 4 w= 2\n"
                + "1 0 0 0\n0 1 0 0\n");
        c = Cli.run(infer(dir.resolve("o4"), "--genome", genome.toString(), "--motif-db", foreign.toString()));
        assertEquals(5, c.code(), c.toString());
        assertTrue(c.err().contains("names one of the") && c.err().contains("NOTATF"), c.err());

        c = Cli.run(infer(dir.resolve("o5"), "--motif-db", foreign.toString()));
        assertEquals(2, c.code(), c.toString());
        c = Cli.run(infer(dir.resolve("o6"), "--genome", genome.toString(), "--motifs",
                sim.resolve("motifs.tsv").toString()));
        assertEquals(2, c.code(), c.toString());
        c = Cli.run(infer(dir.resolve("o7"), "--genome", genome.toString(), "--motif-p", "2"));
        assertEquals(2, c.code(), c.toString());
        c = Cli.run(infer(dir.resolve("o8"), "--genome", dir.resolve("missing.fa").toString()));
        assertEquals(2, c.code(), c.toString());
        assertTrue(c.err().contains("missing.fa"), c.err());
        for (String o : List.of("o1", "o2", "o3", "o4")) {
            assertFalse(Files.exists(dir.resolve(o).resolve("network.tsv")), "no half-written output in " + o);
        }
    }
}
