package io.scgrn.models.motif;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A set of motifs read from a JASPAR-format file ({@code >ID NAME} then four count rows {@code A [ … ]}) or a MEME
 * motif file ({@code MOTIF ID NAME}, {@code letter-probability matrix: … w= W nsites= N}, W rows of four
 * probabilities). The format is told from the content; {@code .gz} files are read decompressed.
 *
 * @param motifs the matrices, in file order
 * @param source where they came from (a path, or {@code bundled:JASPAR2024_CORE_vertebrates_non-redundant})
 * @param sha256 checksum of the file's bytes (keys the scan cache)
 */
public record MotifDatabase(List<MotifMatrix> motifs, String source, String sha256) {
    /** The bundled JASPAR 2024 CORE vertebrates non-redundant matrices (CC BY 4.0, see NOTICE next to it). */
    public static final String BUNDLED = "JASPAR2024_CORE_vertebrates_non-redundant_pfms.jaspar";
    private static final double MEME_DEFAULT_SITES = 20;
    private static final Pattern MEME_W = Pattern.compile("\\bw\\s*=\\s*(\\d+)");
    private static final Pattern MEME_NSITES = Pattern.compile("\\bnsites\\s*=\\s*([0-9.eE+-]+)");
    private static final Pattern MEME_ALENGTH = Pattern.compile("\\balength\\s*=\\s*(\\d+)");

    /** The bundled JASPAR 2024 CORE vertebrates non-redundant database (879 motifs). */
    public static MotifDatabase bundled() {
        try (InputStream in = MotifDatabase.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("bundled motif database " + BUNDLED + " missing from the jar");
            }
            return parse(in.readAllBytes(), "bundled:" + BUNDLED);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled " + BUNDLED, e);
        }
    }

    /**
     * Reads a JASPAR or MEME motif file.
     *
     * @throws MotifInputException naming the file and line when it is malformed or holds no motif
     */
    public static MotifDatabase read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
            if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = in.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new MotifInputException("motif-db", file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses JASPAR or MEME text; {@code source} names it in error messages. */
    public static MotifDatabase parse(byte[] bytes, String source) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                lines.add(l);
            }
        } catch (IOException e) {
            throw new MotifInputException("motif-db", source + ": cannot read: " + e.getMessage(), e);
        }
        String first = lines.stream().map(String::strip).filter(s -> !s.isEmpty()).findFirst().orElse("");
        List<MotifMatrix> motifs = first.startsWith("MEME version") ? parseMeme(lines, source)
                : first.startsWith(">") ? parseJaspar(lines, source) : null;
        if (motifs == null) {
            throw new MotifInputException("motif-db", source + " line " + (firstNonBlank(lines) + 1)
                    + ": not a JASPAR ('>ID NAME' then A/C/G/T count rows) or MEME ('MEME version 4') motif file");
        }
        if (motifs.isEmpty()) {
            throw new MotifInputException("motif-db", source + ": no motifs");
        }
        return new MotifDatabase(List.copyOf(motifs), source, sha256(bytes));
    }

    private static int firstNonBlank(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                return i;
            }
        }
        return 0;
    }

    private static List<MotifMatrix> parseJaspar(List<String> lines, String src) {
        List<MotifMatrix> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) {
                i++;
                continue;
            }
            if (!l.startsWith(">")) {
                throw err(src, i, "expected a '>ID NAME' header, found '" + abbreviate(l) + "'");
            }
            String[] head = l.substring(1).strip().split("\\s+", 2);
            if (head[0].isEmpty()) {
                throw err(src, i, "header has no motif ID");
            }
            String id = head[0];
            String name = head.length > 1 ? head[1].strip() : id;
            int headerLine = i;
            double[][] rows = new double[4][];
            boolean[] seen = new boolean[4];
            int width = -1;
            for (int r = 0; r < 4; r++) {
                i++;
                while (i < lines.size() && lines.get(i).isBlank()) {
                    i++;
                }
                if (i >= lines.size() || lines.get(i).strip().startsWith(">")) {
                    throw err(src, Math.min(i, lines.size() - 1), "motif " + id + " (line " + (headerLine + 1)
                            + ") has " + r + " count rows, needs 4 (A, C, G, T)");
                }
                String row = lines.get(i).strip();
                int base = r;
                char c0 = Character.toUpperCase(row.charAt(0));
                if ("ACGT".indexOf(c0) >= 0 && (row.length() == 1 || !Character.isDigit(row.charAt(1)))) {
                    base = "ACGT".indexOf(c0);
                    row = row.substring(1);
                }
                if (seen[base]) {
                    throw err(src, i, "motif " + id + " has two " + "ACGT".charAt(base) + " rows");
                }
                seen[base] = true;
                row = row.replace('[', ' ').replace(']', ' ').strip();
                rows[base] = numbers(row, src, i, id);
                if (rows[base].length == 0) {
                    throw err(src, i, "motif " + id + " has an empty " + "ACGT".charAt(base) + " row");
                }
                if (r > 0 && rows[base].length != width) {
                    throw err(src, i, "motif " + id + ": row " + "ACGT".charAt(base) + " has " + rows[base].length
                            + " columns, the first row has " + width);
                }
                width = rows[base].length;
            }
            int w = rows[0].length;
            double[][] counts = new double[w][4];
            for (int p = 0; p < w; p++) {
                double n = 0;
                for (int b = 0; b < 4; b++) {
                    counts[p][b] = rows[b][p];
                    n += rows[b][p];
                }
                if (n <= 0) {
                    throw err(src, headerLine, "motif " + id + " column " + (p + 1) + " has no counts");
                }
            }
            out.add(new MotifMatrix(id, name, counts));
            i++;
        }
        return out;
    }

    private static List<MotifMatrix> parseMeme(List<String> lines, String src) {
        List<MotifMatrix> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i).strip();
            if (l.startsWith("ALPHABET")) {
                String alpha = l.substring(l.indexOf('=') + 1).strip();
                if (!alpha.toUpperCase(Locale.ROOT).startsWith("ACGT")) {
                    throw err(src, i, "only the DNA alphabet ACGT is supported, found '" + abbreviate(alpha) + "'");
                }
            }
            if (!l.startsWith("MOTIF")) {
                i++;
                continue;
            }
            String[] head = l.substring(5).strip().split("\\s+", 2);
            if (head[0].isEmpty()) {
                throw err(src, i, "MOTIF line has no identifier");
            }
            String id = head[0];
            String name = head.length > 1 ? head[1].strip() : id;
            int motifLine = i;
            i++;
            while (i < lines.size() && !lines.get(i).strip().startsWith("letter-probability matrix")) {
                if (lines.get(i).strip().startsWith("MOTIF")) {
                    throw err(src, motifLine, "motif " + id + " has no 'letter-probability matrix' line");
                }
                i++;
            }
            if (i >= lines.size()) {
                throw err(src, motifLine, "motif " + id + " has no 'letter-probability matrix' line");
            }
            String spec = lines.get(i);
            Matcher alen = MEME_ALENGTH.matcher(spec);
            if (alen.find() && Integer.parseInt(alen.group(1)) != 4) {
                throw err(src, i, "motif " + id + ": alength must be 4 (ACGT), found " + alen.group(1));
            }
            Matcher wm = MEME_W.matcher(spec);
            Matcher nm = MEME_NSITES.matcher(spec);
            double sites = MEME_DEFAULT_SITES;
            if (nm.find()) {
                try {
                    sites = Double.parseDouble(nm.group(1));
                } catch (NumberFormatException e) {
                    throw err(src, i, "motif " + id + ": nsites '" + nm.group(1) + "' is not a number");
                }
                if (!(sites > 0)) {
                    sites = MEME_DEFAULT_SITES;
                }
            }
            int w = wm.find() ? Integer.parseInt(wm.group(1)) : -1;
            List<double[]> rows = new ArrayList<>();
            i++;
            while (i < lines.size()) {
                String row = lines.get(i).strip();
                if (row.isEmpty()) {
                    if (!rows.isEmpty() && w < 0) {
                        break;
                    }
                    i++;
                    continue;
                }
                if (!Character.isDigit(row.charAt(0)) && row.charAt(0) != '.') {
                    break;
                }
                double[] v = numbers(row, src, i, id);
                if (v.length != 4) {
                    throw err(src, i, "motif " + id + ": a matrix row needs 4 probabilities (A C G T), found "
                            + v.length);
                }
                double sum = v[0] + v[1] + v[2] + v[3];
                if (Math.abs(sum - 1) > 0.1) {
                    throw err(src, i, "motif " + id + ": probabilities sum to " + sum + ", not 1");
                }
                rows.add(v);
                i++;
                if (rows.size() == w) {
                    break;
                }
            }
            if (rows.isEmpty() || (w >= 0 && rows.size() != w)) {
                throw err(src, Math.min(i, lines.size() - 1), "motif " + id + " (line " + (motifLine + 1)
                        + ") has " + rows.size() + " matrix rows, " + (w >= 0 ? "w= says " + w : "needs at least 1"));
            }
            double[][] counts = new double[rows.size()][4];
            for (int p = 0; p < rows.size(); p++) {
                for (int b = 0; b < 4; b++) {
                    counts[p][b] = rows.get(p)[b] * sites;
                }
            }
            out.add(new MotifMatrix(id, name, counts));
        }
        return out;
    }

    private static double[] numbers(String row, String src, int line, String id) {
        String s = row.strip();
        if (s.isEmpty()) {
            return new double[0];
        }
        String[] f = s.split("\\s+");
        double[] v = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            try {
                v[k] = Double.parseDouble(f[k]);
            } catch (NumberFormatException e) {
                throw err(src, line, "motif " + id + ": '" + abbreviate(f[k]) + "' is not a number");
            }
            if (!(v[k] >= 0) || Double.isInfinite(v[k])) {
                throw err(src, line, "motif " + id + ": '" + f[k] + "' is not a non-negative number");
            }
        }
        return v;
    }

    private static MotifInputException err(String src, int line0, String msg) {
        return new MotifInputException("motif-db", src + " line " + (line0 + 1) + ": " + msg);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
