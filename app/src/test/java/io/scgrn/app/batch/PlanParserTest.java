package io.scgrn.app.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanParserTest {
    @TempDir
    Path dir;

    private final PlanParser parser = new PlanParser(List.of("pearson", "spearman", "grnboost", "sem"));

    @BeforeEach
    void fixture() throws IOException {
        Fixtures.copyTiny(dir);
    }

    private PlanException problems(String yaml) throws IOException {
        Path plan = Fixtures.write(dir.resolve("plan.yaml"), yaml);
        return assertThrows(PlanException.class, () -> parser.parse(plan));
    }

    @Test
    void keyTypoGivesLineAndNearestKey() throws IOException {
        PlanException e = problems("""
                datasets:
                  - path: tiny.h5ad
                    gropby: cell_type
                models: [pearson]
                """);
        assertEquals(1, e.problems().size(), e.getMessage());
        PlanProblem p = e.problems().get(0);
        assertEquals(3, p.line());
        assertTrue(p.message().contains("unknown key 'gropby'") && p.message().contains("did you mean 'groupby'"),
                p.message());
        assertTrue(e.lines().get(0).endsWith("plan.yaml:3: " + p.message()), e.lines().get(0));
    }

    @Test
    void everyProblemIsReportedWithItsLine() throws IOException {
        PlanException e = problems("""
                name: broken
                seed: -1
                device: tpu
                datasets:
                  - missing.h5ad
                  - path: "nothing/*.h5ad"
                  - path: tiny.h5ad
                    species: martian
                    truth: nope.csv
                models:
                  - name: pearsn
                  - name: sem
                    params: {epochs: [100, 100]}
                modles: []
                """);
        List<Integer> lines = e.problems().stream().map(PlanProblem::line).toList();
        assertEquals(List.of(2, 3, 5, 6, 8, 9, 11, 13, 14), lines, e.getMessage());
        String all = String.join("\n", e.lines());
        assertTrue(all.contains("'seed' must be a non-negative integer"), all);
        assertTrue(all.contains("'device' must be one of auto, cpu, gpu, not 'tpu'"), all);
        assertTrue(all.contains("dataset file not found"), all);
        assertTrue(all.contains("glob 'nothing/*.h5ad' matches no file"), all);
        assertTrue(all.contains("'species' must be one of human, mouse"), all);
        assertTrue(all.contains("'truth' file not found"), all);
        assertTrue(all.contains("unknown model 'pearsn' (did you mean 'pearson'?)"), all);
        assertTrue(all.contains("value '100' of parameter 'epochs' is listed twice"), all);
        assertTrue(all.contains("unknown key 'modles' in plan (did you mean 'models'?)"), all);
    }

    @Test
    void invalidYamlAndWrongShapes() throws IOException {
        PlanException e = problems("datasets: [tiny.h5ad\nmodels: [pearson]\n");
        assertTrue(e.problems().get(0).message().startsWith("invalid YAML"), e.getMessage());
        assertTrue(e.problems().get(0).line() > 0, e.getMessage());
        e = problems("- just\n- a list\n");
        assertTrue(e.getMessage().contains("a plan is a mapping"), e.getMessage());
        e = problems("datasets: tiny.h5ad\n");
        Set<String> msgs = e.problems().stream().map(PlanProblem::message).collect(Collectors.toSet());
        assertTrue(msgs.stream().anyMatch(m -> m.contains("'datasets' must be a non-empty list")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.contains("missing key 'models'")), msgs.toString());
        e = problems("");
        assertTrue(e.getMessage().contains("plan is empty"), e.getMessage());
    }

    @Test
    void globsAndGridsExpandToTasksWithStableIds() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.copy(dir.resolve("tiny.h5ad"), dir.resolve("data/a.h5ad"));
        Files.copy(dir.resolve("tiny.h5ad"), dir.resolve("data/b.h5ad"));
        Path plan = Fixtures.write(dir.resolve("plan.yaml"), """
                seeds: [0, 1]
                tfs: tfs.txt
                datasets:
                  - data/*.h5ad
                  - {path: tiny.h5ad, groupby: cell_type, truth: truth.csv, prep: {n-top-genes: 20}}
                models:
                  - pearson
                  - name: sem
                    params: {epochs: [100, 200], lr: 0.01}
                    device: cpu
                """);
        BatchPlan p = parser.parse(plan);
        assertEquals(List.of("a", "b", "tiny"), p.datasets().stream().map(BatchPlan.DatasetSpec::name).toList());
        assertEquals(dir.resolve("tfs.txt"), p.datasets().get(0).tfs());
        List<TaskSpec> tasks = TaskSpec.expand(p, null);
        assertEquals(3 * (1 + 2) * 2, tasks.size());
        assertEquals(tasks.size(), tasks.stream().map(TaskSpec::id).distinct().count(), "ids are unique");
        TaskSpec sem = tasks.stream().filter(t -> t.model().equals("sem")).findFirst().orElseThrow();
        assertEquals("epochs=100,lr=0.01", sem.paramsLabel());
        assertEquals("cpu", sem.device());
        assertEquals("auto", tasks.get(0).device());

        List<String> again = TaskSpec.expand(parser.parse(plan), null).stream().map(TaskSpec::id).toList();
        assertEquals(tasks.stream().map(TaskSpec::id).toList(), again, "same plan, same ids");
        // A different parameter, seed or TF list content changes the id; so does a --device override.
        List<String> gpu = TaskSpec.expand(p, "gpu").stream().map(TaskSpec::id).toList();
        assertNotEquals(tasks.get(0).id(), gpu.get(0));
        assertEquals(sem.id(), TaskSpec.expand(p, "gpu").stream().filter(t -> t.model().equals("sem")).findFirst()
                .orElseThrow().id(), "a model entry's own device wins over --device");
        Files.writeString(dir.resolve("tfs.txt"), "SPI1\n");
        assertNotEquals(tasks.get(0).id(), TaskSpec.expand(parser.parse(plan), null).get(0).id());
    }

    @Test
    void duplicateNamesAndTooManyTasksAreRefused() throws IOException {
        PlanException e = problems("""
                datasets:
                  - tiny.h5ad
                  - path: tiny.h5ad
                models: [pearson]
                """);
        assertEquals(3, e.problems().get(0).line());
        assertTrue(e.getMessage().contains("dataset name 'tiny' is already used on line 2"), e.getMessage());
        e = problems("""
                datasets: [tiny.h5ad]
                models:
                  - name: pearson
                    params: {a: [1,2,3,4,5,6,7,8,9,10], b: [1,2,3,4,5,6,7,8,9,10], c: [1,2,3,4,5,6,7,8,9,10],
                             d: [1,2,3,4,5,6,7,8,9,10, 11]}
                """);
        assertTrue(e.getMessage().contains("expands to 11000 tasks"), e.getMessage());
    }

    @Test
    void datasetModelFilterRestrictsItsTasks() throws IOException {
        Path plan = Fixtures.write(dir.resolve("plan.yaml"), """
                datasets:
                  - {path: tiny.h5ad, name: small, models: [pearson, sem]}
                  - {path: tiny.h5ad, name: big, models: pearson}
                models:
                  - pearson
                  - {name: sem, params: {steps: [10, 20]}}
                """);
        List<TaskSpec> tasks = TaskSpec.expand(parser.parse(plan), null);
        assertEquals(List.of("small pearson", "small sem", "small sem", "big pearson"),
                tasks.stream().map(t -> t.dataset().name() + " " + t.model()).toList());
        PlanException e = problems("""
                datasets:
                  - {path: tiny.h5ad, models: [pearsn]}
                models: [pearson]
                """);
        assertEquals(2, e.problems().get(0).line());
        assertTrue(e.getMessage().contains("lists model 'pearsn', which is not in the plan's models (did you mean "
                + "'pearson'?)"), e.getMessage());
    }

    @Test
    void nearestKeyOnlyForCloseWords() {
        assertEquals("groupby", PlanParser.nearest("gropuby", PlanParser.DATASET_KEYS));
        assertEquals("datasets", PlanParser.nearest("dataset", PlanParser.TOP_KEYS));
        assertEquals(null, PlanParser.nearest("xyzzy", PlanParser.TOP_KEYS));
    }

    @Test
    void cliPrintsOneLinePerProblemAndExits2() throws IOException {
        Path plan = Fixtures.write(dir.resolve("plan.yaml"), """
                datasets:
                  - path: tiny.h5ad
                    gropby: cell_type
                models: [pearson]
                """);
        Fixtures.Run r = Fixtures.batch(plan.toString(), "--out", dir.resolve("out").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("plan.yaml:3: unknown key 'gropby' in dataset (did you mean 'groupby'?)"),
                r.err());
        assertTrue(!Files.exists(dir.resolve("out")), "nothing runs when the plan is invalid");
    }

    @Test
    void dryRunListsTasks() throws IOException {
        Path plan = Fixtures.write(dir.resolve("plan.yaml"), """
                datasets: [tiny.h5ad]
                models: [{name: pearson, params: {x: [1, 2]}}]
                """);
        Fixtures.Run r = Fixtures.batch(plan.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("-> 2 task(s)"), r.out());
        assertTrue(r.out().contains("tiny\tpearson\tx=1\t0\tauto\ttiny-pearson-"), r.out());
    }
}
