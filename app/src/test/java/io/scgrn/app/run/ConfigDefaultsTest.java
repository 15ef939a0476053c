package io.scgrn.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.app.errors.BadRequestException;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.prep.PrepOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * configs/scgrn-defaults.yaml is embedded in the jar and its values are passed to the models: they must be exactly
 * the models' built-in defaults, or a CLI run would silently differ from the benchmarked model.
 */
class ConfigDefaultsTest {
    @TempDir
    Path tmp;

    @Test
    void everyRegisteredModelHasASectionAndNoSectionIsStale() {
        Map<String, Object> models = ScgrnConfig.embedded().section("models");
        assertEquals(Models.names().stream().sorted().toList(), models.keySet().stream().sorted().toList(),
                "configs/scgrn-defaults.yaml models: must list exactly the registered models");
    }

    /**
     * Training length of the DJL models, overridden on both sides to keep this test fast (full training takes
     * minutes here): every other YAML value is compared with the built-in default; these three are not.
     */
    private static final Map<String, Map<String, String>> SHORT = Map.of("sem", Map.of("steps", "2"), "gnn",
            Map.of("epochs", "2"), "regdiff", Map.of("steps", "2"));

    @Test
    void yamlModelParametersGiveTheSameNetworkAsTheModelsOwnDefaults() {
        ExpressionMatrix data = synthetic();
        List<String> tfs = List.of("TF0", "TF1", "TF2");
        ScgrnConfig cfg = ScgrnConfig.embedded();
        for (String name : Models.names()) {
            Map<String, String> shortRun = SHORT.getOrDefault(name, Map.of());
            Map<String, String> yaml = cfg.modelParams(name, shortRun);
            Network withYaml = Models.byName(name).infer(data, tfs, new InferenceOptions(3, "cpu", yaml, List.of()),
                    Progress.NONE);
            Network builtIn = Models.byName(name).infer(data, tfs, new InferenceOptions(3, "cpu", shortRun,
                    List.of()), Progress.NONE);
            assertEquals(builtIn.edges(), withYaml.edges(), () -> "configs/scgrn-defaults.yaml models." + name
                    + " " + yaml + " is out of sync with the model's built-in defaults: update the YAML");
        }
    }

    @Test
    void yamlPreparationDefaultsAreTheBuiltInOnes() {
        assertEquals(PrepOptions.defaults().withSeed(5),
                PrepOptions.fromParams(null, 5, ScgrnConfig.embedded().prepParams(Map.of())));
    }

    @Test
    void userFileOverridesOnlyTheKeysItNames() throws IOException {
        Path f = Files.writeString(tmp.resolve("my.yaml"), "models:\n  grnboost:\n    max-trees: 10\nserver:\n"
                + "  port: 9999\n");
        ScgrnConfig c = ScgrnConfig.load(f);
        assertEquals("10", c.modelParams("grnboost", Map.of()).get("max-trees"));
        assertEquals("0.01", c.modelParams("grnboost", Map.of()).get("learning-rate"));
        assertEquals("20", c.modelParams("grnboost", Map.of("max-trees", "20")).get("max-trees"));
        assertEquals("9999", c.get("server.port", null));
        assertEquals("127.0.0.1", c.get("server.host", null));
    }

    @Test
    void badUserFilesAreUsageErrorsNamingTheFile() throws IOException {
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), "modles:\n  sem: {}\n");
        BadRequestException e = assertThrows(BadRequestException.class, () -> ScgrnConfig.load(typo));
        assertTrue(e.getMessage().contains("typo.yaml: unknown section 'modles'"), e.getMessage());
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "infer: [unclosed\n");
        e = assertThrows(BadRequestException.class, () -> ScgrnConfig.load(broken));
        assertTrue(e.getMessage().contains("broken.yaml"), e.getMessage());
        assertThrows(BadRequestException.class, () -> ScgrnConfig.load(tmp.resolve("absent.yaml")));
    }

    /** 80 cells × 14 genes: three TFs, each driving three targets, plus two noise genes; seeded. */
    static ExpressionMatrix synthetic() {
        Random r = new Random(42);
        int n = 80;
        int g = 14;
        float[] v = new float[n * g];
        for (int c = 0; c < n; c++) {
            for (int t = 0; t < 3; t++) {
                double tf = Math.abs(r.nextGaussian()) * 2;
                v[c * g + t] = (float) tf;
                for (int k = 0; k < 3; k++) {
                    v[c * g + 3 + t * 3 + k] = (float) Math.max(0, tf * (k + 1) / 3 + r.nextGaussian() * 0.3);
                }
            }
            for (int j = 12; j < g; j++) {
                v[c * g + j] = (float) Math.abs(r.nextGaussian());
            }
        }
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            cells.add("c" + c);
        }
        List<String> genes = new ArrayList<>(List.of("TF0", "TF1", "TF2"));
        for (int j = 3; j < g; j++) {
            genes.add("G" + j);
        }
        return new ExpressionMatrix(v, cells, genes);
    }
}
