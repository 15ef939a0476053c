package io.scgrn.app.run;

import io.scgrn.models.Edge;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Reads edge lists given to a run: prior edges ({@code --prior}). */
public final class EdgeFiles {
    private static final List<String> TF_NAMES = List.of("tf", "source", "regulator", "gene1", "from");
    private static final List<String> TARGET_NAMES = List.of("target", "gene2", "to");
    private static final List<String> SCORE_NAMES = List.of("score", "weight", "importance", "confidence",
            "edgeweight");

    private EdgeFiles() {
    }

    /**
     * Reads prior TF → target edges: tab-, comma- or whitespace-separated (gzip detected by content), with or
     * without a header naming the columns (tf|source|regulator|Gene1, target|Gene2, optional score|weight). Without
     * a header the columns are tf, target[, score]. A missing score is 1; scores must be in 0..1 (the prior's
     * confidence, see {@link io.scgrn.models.InferenceOptions}).
     *
     * @throws InputFileException naming the file and line on anything it cannot parse, or when it has no edges
     */
    public static List<Edge> readPrior(Path file) {
        List<Edge> out = new ArrayList<>();
        try (BufferedReader r = open(file)) {
            String line;
            int lineNo = 0;
            int tf = 0;
            int target = 1;
            int score = -1;
            boolean first = true;
            String sep = null;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (sep == null) {
                    sep = line.contains("\t") ? "\t" : line.contains(",") ? "," : "\\s+";
                }
                String[] f = line.strip().split(sep, -1);
                if (first) {
                    first = false;
                    int h = indexOf(f, TF_NAMES);
                    if (h >= 0) {
                        tf = h;
                        target = indexOf(f, TARGET_NAMES);
                        score = indexOf(f, SCORE_NAMES);
                        if (target < 0) {
                            throw new InputFileException(file, "line 1: header names no target column (target or "
                                    + "Gene2)");
                        }
                        continue;
                    }
                    score = f.length > 2 ? 2 : -1;
                }
                int need = Math.max(tf, Math.max(target, score)) + 1;
                if (f.length < need) {
                    throw new InputFileException(file, "line " + lineNo + ": expected " + need + " fields, got "
                            + f.length);
                }
                double s = 1.0;
                if (score >= 0) {
                    try {
                        s = Double.parseDouble(f[score].strip());
                    } catch (NumberFormatException e) {
                        throw new InputFileException(file, "line " + lineNo + ": score '" + f[score]
                                + "' is not a number");
                    }
                    if (!(s >= 0 && s <= 1)) {
                        throw new InputFileException(file, "line " + lineNo + ": prior score " + f[score]
                                + " is not in 0..1");
                    }
                }
                String a = unquote(f[tf]);
                String b = unquote(f[target]);
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

    private static int indexOf(String[] header, List<String> names) {
        for (int i = 0; i < header.length; i++) {
            if (names.contains(unquote(header[i]).toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    private static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static BufferedReader open(Path file) throws IOException {
        PushbackInputStream in = new PushbackInputStream(Files.newInputStream(file), 2);
        byte[] magic = in.readNBytes(2);
        if (magic.length > 0) {
            in.unread(magic);
        }
        InputStream s = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b
                ? new GZIPInputStream(in) : in;
        return new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8));
    }
}
