package io.scgrn.app.cli;

import io.scgrn.anndata.AnnData;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.Matrix;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code scgrn simulate --perturb} and {@code scgrn perturb} on a small simulation, good and bad input. */
class PerturbCommandTest {
    @TempDir
    static Path dir;

    static Path data;
    static Path net;
    static String hub;

    @BeforeAll
    static void simulateAndInfer() throws Exception {
        data = dir.resolve("sim/data.h5mu");
        // the hub TF is only known after the simulation: simulate once to find it, then with --perturb
        Cli c = Cli.run("simulate", "--out", data.toString(), "--cells", "300", "--genes", "80", "--peaks", "900",
                "--tfs", "10", "--cell-types", "3", "--seed", "5");
        assertEquals(0, c.code(), c.toString());
        Map<String, Integer> targets = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("sim/truth.csv")).subList(1, Files.readAllLines(
                dir.resolve("sim/truth.csv")).size())) {
            targets.merge(line.split(",")[0], 1, Integer::sum);
        }
        hub = targets.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        c = Cli.run("simulate", "--out", data.toString(), "--cells", "300", "--genes", "80", "--peaks", "900",
                "--tfs", "10", "--cell-types", "3", "--seed", "5", "--perturb", hub + "=0");
        assertEquals(0, c.code(), c.toString());
        assertTrue(c.out().contains("counterfactual.h5ad"), c.toString());
        net = dir.resolve("net");
        c = Cli.run("infer", data.toString(), "--tfs", dir.resolve("sim/tfs.txt").toString(), "--model", "pearson",
                "--atac", "off", "-q", "-o", net.toString());
        assertEquals(0, c.code(), c.toString());
    }

    @Test
    void simulateWritesTheSameCellsCounterfactual() throws Exception {
        AnnData cf = AnnDataFiles.readH5ad(dir.resolve("sim/counterfactual.h5ad"));
        AnnData orig = AnnDataFiles.readH5mu(data).mod().get("rna");
        assertEquals(orig.obs().index(), cf.obs().index());
        assertEquals(orig.var().index(), cf.var().index());
        int tf = cf.var().index().indexOf(hub);
        double tfSum = 0;
        double origTfSum = 0;
        for (int c = 0; c < cf.nObs(); c++) {
            tfSum += cf.x().get(c, tf);
            origTfSum += orig.x().get(c, tf);
        }
        assertEquals(0, tfSum, 0.0, "knocked-out TF has no counts");
        assertTrue(origTfSum > 0);
        List<String> truth = Files.readAllLines(dir.resolve("sim/counterfactual_truth.tsv"));
        assertEquals("gene\taffected\tmean_latent_change\tlog2_expected_ratio", truth.get(0));
        assertEquals(81, truth.size());
        assertTrue(truth.stream().anyMatch(l -> l.startsWith(hub + "\ttrue")));
        assertTrue(truth.stream().anyMatch(l -> l.contains("\tfalse\t")));
    }

    @Test
    void perturbWritesAllOutputs() throws Exception {
        Path out = dir.resolve("pert");
        Cli c = Cli.run("perturb", data.toString(), "--network", net.toString(), "--ko", hub, "--groupby",
                "cell_type", "-q", "-o", out.toString());
        assertEquals(0, c.code(), c.toString());
        assertTrue(c.out().contains("X_pca (computed)"), "says the embedding was computed: " + c.out());
        for (String f : List.of("perturb.h5ad", "genes.tsv", "groups.tsv", "arrows.tsv", "cells.tsv",
                "manifest.json")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        AnnData a = AnnDataFiles.readH5ad(out.resolve("perturb.h5ad"));
        assertEquals(300, a.nObs());
        Matrix delta = a.layers().get("delta_X");
        assertEquals(a.nVars(), delta.nCols());
        int tf = a.var().index().indexOf(hub);
        for (int cell = 0; cell < a.nObs(); cell++) {
            assertEquals(-a.x().get(cell, tf), delta.get(cell, tf), 1e-6, "knock-out sets the TF to 0");
        }
        assertEquals(2, a.obsm().get("X_perturb_vectors").nCols());
        assertTrue(a.obsm().containsKey("X_pca"));
        List<String> genes = Files.readAllLines(out.resolve("genes.tsv"));
        assertTrue(genes.get(0).startsWith("gene\trole\tmean_x\tmean_delta\tmean_abs_delta\tlog2fc\tdelta:type"));
        assertTrue(genes.get(1).startsWith(hub + "\tperturbed"), genes.get(1));
        List<String> groups = Files.readAllLines(out.resolve("groups.tsv"));
        assertEquals(4, groups.size(), "header + 3 cell types");
        assertTrue(Files.readAllLines(out.resolve("arrows.tsv")).size() > 10);
        // anndata itself opens it (CI installs python3-anndata): layer, vectors, roles
        String py = PythonCheck.run("import anndata, sys\n"
                + "a = anndata.read_h5ad(sys.argv[1])\n"
                + "print(a.n_obs, a.layers['delta_X'].shape[1], a.obsm['X_perturb_vectors'].shape[1],"
                + " int((a.var['perturb_role'] == 'perturbed').sum()), a.uns['perturbation']['perturbations'][0])\n",
                out.resolve("perturb.h5ad").toString());
        assertEquals("300 " + a.nVars() + " 2 1 " + hub + "-ko", py.strip(), py);
        JsonObject m = new JsonObject(Files.readString(out.resolve("manifest.json")));
        assertEquals(List.of(hub + "-ko"), m.getJsonArray("perturbations").getList());
        assertEquals("cell_type", m.getString("groupby"));
        assertEquals("ridge", m.getString("regression"));
        assertEquals(0.0, m.getDouble("pooling"), 0.0);
        assertEquals("blend", m.getString("pooling_rule"));
    }

    @Test
    void severalPerturbationsAtOnceAreReproducible() throws Exception {
        String other = hub.equals("TF01") ? "TF02" : "TF01";
        Path a = dir.resolve("two-a");
        Path b = dir.resolve("two-b");
        for (Path out : List.of(a, b)) {
            Cli c = Cli.run("perturb", data.toString(), "--network", net.toString(), "--ko", hub, "--set",
                    other + "=0.5", "--seed", "7", "-q", "-o", out.toString());
            assertEquals(0, c.code(), c.toString());
        }
        assertEquals(Files.readString(a.resolve("genes.tsv")), Files.readString(b.resolve("genes.tsv")));
        assertEquals(Files.readString(a.resolve("arrows.tsv")), Files.readString(b.resolve("arrows.tsv")));
        assertTrue(Files.readString(a.resolve("manifest.json")).contains(other + "=0.5"));
    }

    @Test
    void aTfOutsideTheNetworkIsAUsageError() {
        Path out = dir.resolve("bad-tf");
        Cli c = Cli.run("perturb", data.toString(), "--network", net.toString(), "--ko", "NOPE", "-q", "-o",
                out.toString());
        assertEquals(2, c.code(), c.toString());
        assertTrue(c.err().contains("NOPE is not a regulator in the network"), c.err());
        assertEquals(1, c.err().strip().lines().count(), "one line: " + c.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aLevelOutsideTheObservedRangeIsRefused() {
        Cli c = Cli.run("perturb", data.toString(), "--network", net.toString(), "--set", hub + "=99", "-q", "-o",
                dir.resolve("bad-level").toString());
        assertEquals(2, c.code(), c.toString());
        assertTrue(c.err().contains("outside " + hub + "'s observed range"), c.err());
        c = Cli.run("perturb", data.toString(), "--network", net.toString(), "--set", hub + "=abc", "-q");
        assertEquals(2, c.code(), c.toString());
    }

    @Test
    void aTfThatIsNotExpressedIsUnsuitableData() {
        // in the counterfactual file the hub TF was knocked out: zero in every cell
        Cli c = Cli.run("perturb", dir.resolve("sim/counterfactual.h5ad").toString(), "--network", net.toString(),
                "--ko", hub, "-q", "-o", dir.resolve("bad-expr").toString());
        assertEquals(5, c.code(), c.toString());
        assertTrue(c.err().contains("is not expressed"), c.err());
    }

    @Test
    void aMissingEmbeddingIsNamedAndAMissingNetworkIsAnInputError() throws Exception {
        Cli c = Cli.run("perturb", data.toString(), "--network", net.toString(), "--ko", hub, "--embedding",
                "X_umap", "-q", "-o", dir.resolve("bad-emb").toString());
        assertEquals(2, c.code(), c.toString());
        assertTrue(c.err().contains("no 2-D embedding 'X_umap'"), c.err());
        Path empty = Files.createDirectories(dir.resolve("empty-net"));
        c = Cli.run("perturb", data.toString(), "--network", empty.toString(), "--ko", hub, "-q");
        assertEquals(4, c.code(), c.toString());
        assertTrue(c.err().contains("no network.tsv"), c.err());
    }

    @Test
    void aNetworkFromAnotherDatasetIsUnsuitable() throws Exception {
        Path foreign = dir.resolve("foreign.tsv");
        Files.writeString(foreign, "tf\ttarget\tscore\nGATA1\tHBB\t1\nGATA1\tKLF1\t0.5\nSPI1\tCD14\t0.4\n");
        Cli c = Cli.run("perturb", data.toString(), "--network", foreign.toString(), "--ko", "GATA1", "-q");
        assertEquals(5, c.code(), c.toString());
        assertTrue(c.err().contains("only 0 of the network's 5 genes"), c.err());
        c = Cli.run("perturb", data.toString(), "--network", net.toString(), "--ko", hub, "--groupby", "nope", "-q",
                "-o", dir.resolve("bad-group").toString());
        assertEquals(5, c.code(), c.toString());
        assertTrue(c.err().contains("no obs column 'nope'"), c.err());
    }
}
