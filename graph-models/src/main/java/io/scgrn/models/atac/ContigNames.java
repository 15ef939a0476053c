package io.scgrn.models.atac;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Matches the peaks' chromosome names to a genome's contig names across the two common conventions: UCSC
 * ({@code chr1}, {@code chrX}, {@code chrM}) and Ensembl/NCBI ({@code 1}, {@code X}, {@code MT}), and letter case.
 */
public final class ContigNames {
    private ContigNames() {
    }

    /**
     * The genome contig for each peak chromosome that has one: the same name, else the name with {@code chr} added
     * or removed (and M ↔ MT), else a case-insensitive match of any of these.
     */
    public static Map<String, String> map(Collection<String> peakChroms, Collection<String> genomeContigs) {
        Map<String, String> exact = new HashMap<>();
        Map<String, String> lower = new HashMap<>();
        for (String g : genomeContigs) {
            exact.putIfAbsent(g, g);
            lower.putIfAbsent(g.toLowerCase(Locale.ROOT), g);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : peakChroms) {
            String hit = null;
            for (String cand : candidates(c)) {
                hit = exact.get(cand);
                if (hit != null) {
                    break;
                }
            }
            if (hit == null) {
                for (String cand : candidates(c)) {
                    hit = lower.get(cand.toLowerCase(Locale.ROOT));
                    if (hit != null) {
                        break;
                    }
                }
            }
            if (hit != null) {
                out.put(c, hit);
            }
        }
        return out;
    }

    private static List<String> candidates(String c) {
        List<String> out = new ArrayList<>();
        out.add(c);
        boolean chr = c.regionMatches(true, 0, "chr", 0, 3);
        String bare = chr ? c.substring(3) : c;
        out.add(chr ? bare : "chr" + c);
        if (bare.equalsIgnoreCase("M") || bare.equalsIgnoreCase("MT")) {
            String other = bare.equalsIgnoreCase("M") ? "MT" : "M";
            out.add(other);
            out.add("chr" + other);
        }
        return out;
    }
}
