package io.scgrn.models.perturb;

import io.scgrn.models.ModelException;

import java.util.Locale;

/**
 * One gene set to a level in every cell: a knock-out (level 0) or a chosen level, in the units of the prepared
 * expression (log-normalised).
 *
 * @param gene      the regulator
 * @param value     the level every cell is set to
 * @param knockOut  whether this is a knock-out (value 0)
 */
public record Perturbation(String gene, double value, boolean knockOut) {
    public Perturbation {
        if (gene == null || gene.isBlank()) {
            throw new ModelException("perturbation", "gene name is empty");
        }
        if (!Double.isFinite(value) || value < 0) {
            throw new ModelException("perturbation", gene + ": level must be a finite number ≥ 0, not " + value);
        }
    }

    public static Perturbation ko(String gene) {
        return new Perturbation(gene, 0, true);
    }

    public static Perturbation set(String gene, double value) {
        return new Perturbation(gene, value, false);
    }

    /**
     * Parses {@code TF=VALUE} (VALUE a number, or "ko"/"0" for a knock-out).
     *
     * @throws ModelException (field "perturbation") on a malformed text
     */
    public static Perturbation parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new ModelException("perturbation", "'" + text + "' is not TF=VALUE");
        }
        String gene = text.substring(0, eq).trim();
        String v = text.substring(eq + 1).trim();
        if (v.equalsIgnoreCase("ko")) {
            return ko(gene);
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ModelException("perturbation", "'" + text + "': VALUE '" + v + "' is not a number");
        }
        return d == 0 ? ko(gene) : set(gene, d);
    }

    /** A short label: {@code GATA1-ko} or {@code GATA1=2.5}. */
    public String label() {
        return knockOut ? gene + "-ko" : gene + "=" + String.format(Locale.ROOT, "%g", value).replaceAll("\\.?0+$", "");
    }
}
