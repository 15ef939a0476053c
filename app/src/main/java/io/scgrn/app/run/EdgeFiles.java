package io.scgrn.app.run;

import io.scgrn.app.errors.InputFileException;
import io.scgrn.models.Edge;
import io.scgrn.models.table.TableReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads edge lists given to a run: prior edges ({@code --prior}). */
public final class EdgeFiles {
    private static final String[] TF_NAMES = new String[] {"tf", "source", "regulator", "gene1", "from"};
    private static final String[] TARGET_NAMES = new String[] {"target", "gene2", "to"};
    private static final String[] SCORE_NAMES = {"score", "weight", "importance", "confidence",
        "edgeweight"};

    private EdgeFiles() {
    }

    /**
     * Reads prior TF → target edges: tab-, comma- or whitespace-separated (quoted fields, {@code #} comment lines;
     * gzip detected by content), with or without a header naming the columns (tf|source|regulator|Gene1, target|Gene2, optional score|weight). Without
     * a header the columns are tf, target[, score]. A missing score is 1; scores must be in 0..1 (the prior's
     * confidence, see {@link io.scgrn.models.InferenceOptions}).
     *
     * @throws InputFileException naming the file and line on anything it cannot parse, or when it has no edges
     */
    public static List<Edge> readPrior(Path file) {
        List<Edge> out = new ArrayList<>();
        try (TableReader r = TableReader.open(file, TableReader.Options.sniffed().withHashComments())) {
            int tf = 0;
            int target = 1;
            int score = -1;
            boolean first = true;
            for (TableReader.Row row; (row = r.next()) != null; ) {
                long lineNo = row.line();
                List<String> f = row.fields();
                if (first) {
                    first = false;
                    int h = TableReader.column(f, TF_NAMES);
                    if (h >= 0) {
                        tf = h;
                        target = TableReader.column(f, TARGET_NAMES);
                        score = TableReader.column(f, SCORE_NAMES);
                        if (target < 0) {
                            throw new InputFileException(file, "line " + lineNo + ": header names no target column "
                                    + "(target or Gene2)");
                        }
                        continue;
                    }
                    score = f.size() > 2 ? 2 : -1;
                }
                int need = Math.max(tf, Math.max(target, score)) + 1;
                if (f.size() < need) {
                    throw new InputFileException(file, "line " + lineNo + ": expected " + need + " fields, got "
                            + f.size());
                }
                double s = 1.0;
                if (score >= 0) {
                    try {
                        s = Double.parseDouble(f.get(score));
                    } catch (NumberFormatException e) {
                        throw new InputFileException(file, "line " + lineNo + ": score '" + f.get(score)
                                + "' is not a number");
                    }
                    if (!(s >= 0 && s <= 1)) {
                        throw new InputFileException(file, "line " + lineNo + ": prior score " + f.get(score)
                                + " is not in 0..1");
                    }
                }
                String a = f.get(tf);
                String b = f.get(target);
                if (a.isEmpty() || b.isEmpty()) {
                    throw new InputFileException(file, "line " + lineNo + ": empty TF or target name");
                }
                out.add(new Edge(a, b, s, 0, Double.NaN));
            }
        } catch (IOException e) {
            throw new InputFileException(file, "cannot read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new InputFileException(file, "no edges");
        }
        return out;
    }
}
