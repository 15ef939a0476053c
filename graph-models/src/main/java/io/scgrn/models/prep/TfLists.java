package io.scgrn.models.prep;

import io.scgrn.models.ModelException;
import io.scgrn.models.table.TextFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Candidate regulator lists: the bundled human (Lambert et al. 2018, 1,639 TFs) and mouse (MGI GO, 1,721 TFs)
 * lists (sources in {@code io/scgrn/models/tfs/NOTICE}), user files, and species detection from gene-name case.
 */
public final class TfLists {
    /** Species names accepted by {@link #forSpecies}. */
    public static final List<String> SPECIES = List.of("human", "mouse");

    private static final Set<String> HEADERS = Set.of("tf", "tfs", "gene", "genes", "symbol", "regulator",
            "regulators", "gene1", "source", "name");

    private TfLists() {
    }

    /**
     * The bundled list for {@code species} ("human" or "mouse"), in file order.
     *
     * @throws ModelException (field "species") for any other name
     */
    public static List<String> forSpecies(String species) {
        String s = species == null ? "" : species.toLowerCase(Locale.ROOT);
        if (!SPECIES.contains(s)) {
            throw new ModelException("species", "unknown species '" + species + "'; bundled TF lists: "
                    + String.join(", ", SPECIES));
        }
        String resource = "/io/scgrn/models/tfs/" + s + ".txt";
        try (InputStream in = TfLists.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + resource + " is missing from the jar");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled resource " + resource, e);
        }
    }

    /**
     * Reads a TF list: one name per line, or a CSV/TSV whose first column is the TF. Blank lines, {@code #}
     * comments and a header line (TF, gene, symbol, regulator…) are skipped; duplicates are dropped. The file may be
     * gzipped and start with a byte-order mark ({@link TextFiles#open}).
     *
     * @throws ModelException naming the file when it cannot be read or holds no names
     */
    public static List<String> read(Path file) {
        try (Reader r = TextFiles.open(file)) {
            List<String> out = parse(r, file.toString());
            if (out.isEmpty()) {
                throw new ModelException(file.toString(), "TF list is empty");
            }
            return out;
        } catch (IOException e) {
            throw new ModelException(file.toString(), "cannot read TF list: " + e.getMessage(), e);
        }
    }

    private static List<String> parse(Reader reader, String source) throws IOException {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        BufferedReader r = new BufferedReader(reader);
        String line;
        boolean first = true;
        while ((line = r.readLine()) != null) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int cut = firstSeparator(t);
            String name = (cut < 0 ? t : t.substring(0, cut)).strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            if (first && HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                first = false;
                continue;
            }
            first = false;
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return new ArrayList<>(out);
    }

    private static int firstSeparator(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '\t' || c == ';' || c == ' ') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Guesses the species from gene-name case: human symbols are upper-case (GATA1), mouse symbols capitalised
     * (Gata1). Names without letters, and Ensembl-like or mixed names, do not vote.
     *
     * @return "human" or "mouse"
     * @throws ModelException (field "species") when fewer than 10 names vote or neither case has a 80 % majority
     */
    public static String detectSpecies(List<String> genes) {
        int upper = 0;
        int capitalised = 0;
        for (String g : genes) {
            switch (caseOf(g)) {
                case 1 -> upper++;
                case 2 -> capitalised++;
                default -> {
                }
            }
        }
        int votes = upper + capitalised;
        if (votes >= 10 && upper >= 0.8 * votes) {
            return "human";
        }
        if (votes >= 10 && capitalised >= 0.8 * votes) {
            return "mouse";
        }
        throw new ModelException("species", "cannot tell the species from the gene names (" + upper
                + " upper-case, " + capitalised + " capitalised of " + genes.size() + "); give --species or --tfs");
    }

    /** 1 = upper-case symbol, 2 = capitalised symbol, 0 = does not vote. */
    private static int caseOf(String g) {
        if (g.isEmpty() || !Character.isLetter(g.charAt(0)) || g.startsWith("ENS")) {
            return 0;
        }
        boolean hasLower = false;
        boolean restUpper = true;
        int letters = 0;
        for (int i = 1; i < g.length(); i++) {
            char c = g.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isLowerCase(c)) {
                    hasLower = true;
                    restUpper = false;
                }
            }
        }
        if (!Character.isUpperCase(g.charAt(0))) {
            return 0;
        }
        if (letters == 0) {
            return 0; // "H2" or "C1": both species write it so
        }
        if (restUpper) {
            return 1;
        }
        return hasLower ? 2 : 0;
    }

    /**
     * The bundled list for {@code species}, or for the species detected from {@code genes} when it is null or
     * "auto".
     */
    public static List<String> forData(List<String> genes, String species) {
        String s = species == null || species.equalsIgnoreCase("auto") ? detectSpecies(genes) : species;
        return forSpecies(s);
    }
}
