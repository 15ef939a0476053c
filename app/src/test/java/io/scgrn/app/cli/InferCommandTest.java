package io.scgrn.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.app.run.NetworkFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scgrn infer} end to end on a tiny fixture with the fast pearson model. */
class InferCommandTest {
    @TempDir
    Path tmp;

    /** SHA-256 of a file, computed here independently of the pipeline's streaming digest. */
    private static String sha256Hex(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void writesEveryOutputAndAManifest() throws IOException {
        Path out = tmp.resolve("out");
        Cli r = Cli.run("infer", Cli.TINY.toString(), "--model", "pearson", "--species", "human", "--seed", "7",
                "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r::toString);
        for (String f : List.of("network.tsv", "network.arrow", "regulons.tsv", "result.h5ad", "manifest.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), () -> f + " missing; " + r);
        }
        try (Stream<Path> s = Files.list(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")), "temporary folder left");
        }

        List<String> tsv = Files.readAllLines(out.resolve("network.tsv"));
        assertEquals("tf\ttarget\tscore\tsign\tstability\tq", tsv.get(0));
        assertTrue(tsv.size() > 100, "too few edges: " + tsv.size());
        double previous = Double.POSITIVE_INFINITY;
        for (String line : tsv.subList(1, tsv.size())) {
            String[] f = line.split("\t");
            assertEquals(6, f.length, line);
            double score = Double.parseDouble(f[2]);
            assertTrue(score <= previous, "not best first at " + line);
            previous = score;
            assertFalse(f[0].equals(f[1]), "self-loop " + line);
        }

        try (BufferAllocator alloc = new RootAllocator();
             ArrowFileReader reader = new ArrowFileReader(Files.newByteChannel(out.resolve("network.arrow")), alloc)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals(NetworkFiles.COLUMNS, root.getSchema().getFields().stream().map(f -> f.getName()).toList());
            long rows = 0;
            String firstTf = null;
            while (reader.loadNextBatch()) {
                if (firstTf == null) {
                    firstTf = root.getVector("tf").getObject(0).toString();
                }
                rows += root.getRowCount();
            }
            assertEquals(tsv.size() - 1, rows);
            assertEquals(tsv.get(1).split("\t")[0], firstTf);
        }

        JsonObject m = new JsonObject(Files.readString(out.resolve("manifest.json")));
        assertEquals("pearson", m.getString("model"));
        assertEquals("cpu", m.getString("device"));
        assertEquals(7L, m.getLong("seed"));
        assertEquals(sha256Hex(Cli.TINY), m.getJsonObject("input").getString("sha256"),
                "the manifest names the input's real SHA-256");
        assertEquals(120, m.getJsonObject("counts").getInteger("cells"));
        assertEquals(tsv.size() - 1, m.getJsonObject("counts").getInteger("edges"));
        assertTrue(m.getJsonObject("timings_ms").containsKey("infer"), m::encodePrettily);
        assertTrue(m.getJsonObject("preparation").getJsonArray("steps").size() > 0, m::encodePrettily);
        assertEquals("human", m.getJsonObject("request").getString("species"));

        List<String> regulons = Files.readAllLines(out.resolve("regulons.tsv"));
        assertEquals("regulon\ttf\tsign\tn_targets\ttargets", regulons.get(0));
        int nRegulons = regulons.size() - 1;
        assertTrue(nRegulons > 0, "no regulons");
        assertEquals(nRegulons, m.getJsonObject("counts").getInteger("regulons"));
        String[] first = regulons.get(1).split("\t");
        assertEquals(Integer.parseInt(first[3]), first[4].split(",").length, regulons.get(1));

        AnnData result = AnnDataFiles.readH5ad(out.resolve("result.h5ad"));
        assertEquals(120, result.nObs());
        assertEquals(m.getJsonObject("counts").getInteger("genes"), result.nVars());
        assertTrue(result.uns().containsKey("grn"), "uns.grn missing");
        assertTrue(result.obs().column("bulk_labels").isPresent());
        assertEquals(nRegulons, result.obsm().get("X_regulon_auc").nCols());
        // anndata itself must open it (CI installs python3-anndata): obs, AUC matrix, network table.
        String py = PythonCheck.run("import anndata, sys\n"
                + "a = anndata.read_h5ad(sys.argv[1])\n"
                + "print(a.n_obs, a.n_vars, a.obsm['X_regulon_auc'].shape[1], len(a.uns['grn']),"
                + " a.uns['grn']['tf'][0], a.varp['grn'].nnz)\n", out.resolve("result.h5ad").toString());
        String[] f = py.strip().split(" ");
        assertEquals("120", f[0], py);
        assertEquals(String.valueOf(result.nVars()), f[1], py);
        assertEquals(String.valueOf(nRegulons), f[2], py);
        assertEquals(String.valueOf(tsv.size() - 1), f[3], py);
        assertEquals(tsv.get(1).split("\t")[0], f[4], py);
    }

    @Test
    void groupbyWritesOneNetworkPerGroupAndTheirDifferences() throws IOException {
        Path out = tmp.resolve("groups");
        Cli r = Cli.run("infer", Cli.TINY.toString(), "--model", "pearson", "--groupby", "bulk_labels", "--out",
                out.toString(), "-q", "--no-h5ad");
        assertEquals(0, r.code(), r::toString);
        JsonObject m = new JsonObject(Files.readString(out.resolve("manifest.json")));
        JsonObject groups = m.getJsonObject("groups").getJsonObject("groups");
        assertFalse(groups.isEmpty(), m::encodePrettily);
        for (String g : groups.fieldNames()) {
            Path net = out.resolve(groups.getJsonObject(g).getString("folder")).resolve("network.tsv");
            assertTrue(Files.isRegularFile(net), () -> "no network for group " + g);
        }
        assertTrue(Files.isDirectory(out.resolve("groups/CD14_Monocyte")), "group folder names are made safe");
        List<String> diff = Files.readAllLines(out.resolve("network_diff.tsv"));
        assertTrue(diff.get(0).startsWith("group_a\tgroup_b\ttf\ttarget\tstatus"), diff.get(0));
        assertTrue(diff.size() > 1, "no differential edges between " + groups.fieldNames());
        assertFalse(Files.exists(out.resolve("result.h5ad")), "--no-h5ad");
    }

    @Test
    void unknownModelIsAUsageErrorAndWritesNothing() {
        Path out = tmp.resolve("x");
        Cli r = Cli.run("infer", Cli.TINY.toString(), "--model", "nosuchmodel", "--out", out.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("unknown model 'nosuchmodel'; available: pearson"), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownGroupbyColumnIsExit5ListingColumnsAndLeavesNoOutput() {
        Path out = tmp.resolve("a").resolve("b");
        Cli r = Cli.run("infer", Cli.TINY.toString(), "--model", "pearson", "--groupby", "celltype", "--out",
                out.toString(), "-q");
        assertEquals(5, r.code(), r::toString);
        assertTrue(r.err().contains("no obs column 'celltype'; available: bulk_labels, n_counts"), r::toString);
        assertFalse(Files.exists(tmp.resolve("a")), "output folders created by a failed run must be removed");
    }

    @Test
    void failedRunKeepsAnExistingOutputFolderAndItsFiles() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("keep"));
        Files.writeString(out.resolve("mine.txt"), "user file");
        Cli r = Cli.run("infer", Cli.TINY.toString(), "--groupby", "nope", "--out", out.toString(), "-q");
        assertEquals(5, r.code(), r::toString);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(out.resolve("mine.txt")), s.toList());
        }
    }

    @Test
    void nonHdf5InputIsExit4WithOneLine() throws IOException {
        Path bad = Files.writeString(tmp.resolve("cells.h5ad"), "col1,col2\n1,2\n");
        Cli r = Cli.run("infer", bad.toString(), "--out", tmp.resolve("o").toString(), "-q");
        assertEquals(4, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().contains(bad.toString()), r::toString);
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void missingTfFileIsExit4() {
        Cli r = Cli.run("infer", Cli.TINY.toString(), "--tfs", tmp.resolve("tfs.txt").toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(4, r.code(), r::toString);
        assertTrue(r.err().contains("tfs.txt: no such file"), r::toString);
    }

    @Test
    void tfListWithoutAnyTfInTheDataIsExit5() throws IOException {
        Path tfs = Files.writeString(tmp.resolve("tfs.txt"), "NOTAGENE1\nNOTAGENE2\n");
        Cli r = Cli.run("infer", Cli.TINY.toString(), "--tfs", tfs.toString(), "--out", tmp.resolve("o").toString(),
                "-q");
        assertEquals(5, r.code(), r::toString);
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void malformedParamIsAUsageError() {
        Cli r = Cli.run("infer", Cli.TINY.toString(), "--device", "tpu", "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("device: must be auto, cpu or gpu"), r::toString);
    }

    @Test
    void inferReadsThe10xFormat() throws IOException {
        Path out = tmp.resolve("tenx");
        Cli r = Cli.run("infer", Cli.TENX.toString(), "--model", "pearson", "--out", out.toString(), "-q",
                "--no-h5ad");
        assertEquals(0, r.code(), r::toString);
        JsonObject m = new JsonObject(Files.readString(out.resolve("manifest.json")));
        assertEquals("10x-v3", m.getJsonObject("input").getString("kind"));
        assertEquals(1107, m.getJsonObject("counts").getInteger("cells"));
        assertTrue(m.getJsonObject("preparation").getBoolean("raw_counts_detected"), m::encodePrettily);
    }

    @Test
    void multimodalFileWithoutAnExpressionModalityAsksForOne() {
        Cli r = Cli.run("infer", Cli.MUDATA.toString(), "--out", tmp.resolve("o").toString(), "-q");
        assertEquals(5, r.code(), r::toString);
        assertTrue(r.err().contains("choose one with --rna-mod: mod2, mod1"), r::toString);
        Cli bad = Cli.run("infer", Cli.MUDATA.toString(), "--rna-mod", "rna", "--out", tmp.resolve("o").toString());
        assertEquals(2, bad.code(), bad::toString);
        assertTrue(bad.err().contains("no modality 'rna'"), bad::toString);
    }
}
