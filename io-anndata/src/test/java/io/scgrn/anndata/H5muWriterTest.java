package io.scgrn.anndata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class H5muWriterTest {
    @TempDir
    Path dir;

    private static AnnData modality(String path, List<String> cells, List<String> vars, float[] x) {
        DataFrame obs = new DataFrame("_index", cells, List.of(new Column.Categorical("cell_type",
                new int[] {0, 1, 0}, List.of("A", "B"), false, DType.STRING, "categorical")));
        DataFrame var = new DataFrame("_index", vars, List.of(new Column.Strings("interval",
                vars.stream().map(v -> "chr1:1-2").toArray(String[]::new), "string-array")));
        return new AnnData(null, path, obs, var, DenseMatrix.ofFloats(cells.size(), vars.size(), x), Map.of(),
                Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), null);
    }

    @Test
    void writesAMuDataThatOurReaderAndH5pyOpen() throws Exception {
        List<String> cells = List.of("c1", "c2", "c3");
        LinkedHashMap<String, AnnData> mod = new LinkedHashMap<>();
        mod.put("rna", modality("/mod/rna", cells, List.of("G1", "G2"), new float[] {1, 0, 2, 3, 0, 5}));
        mod.put("atac", modality("/mod/atac", cells, List.of("chr1:1-2", "chr1:5-9"), new float[] {1, 1, 0, 1, 1,
            0}));
        MuData md = new MuData(null, 0, mod.get("rna").obs(), DataFrame.empty(List.of("G1", "G2", "chr1:1-2",
                "chr1:5-9")), mod, Map.of(), "h5mu");
        Path file = dir.resolve("x.h5mu");
        H5muWriter.write(file, md);

        MuData back = AnnDataFiles.readH5mu(file);
        assertEquals(List.of("rna", "atac"), List.copyOf(back.mod().keySet()));
        assertEquals(5.0, back.mod().get("rna").x().get(2, 1));
        assertEquals(List.of("chr1:1-2", "chr1:5-9"), back.mod().get("atac").var().index());
        assertEquals(3, back.nObs());

        // h5py must be able to visit every object (jhdf 0.13 can write a corrupt link that only shows there).
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import h5py,sys; f=h5py.File(sys.argv[1]); "
                + "f.visit(lambda n: f[n]); print(f.attrs['encoding-type'], list(f['mod'].attrs['mod-order']))",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "/usr/bin/python3 with h5py is required: " + out);
        assertTrue(out.contains("MuData") && out.contains("rna") && out.contains("atac"), out);
    }
}
