package io.scgrn.models.table;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers for text tables, written as {@code String.format(Locale.ROOT, "%.6g", v)} writes them, without the
 * formatter: a triplet table of a genome-wide TF list holds millions of numbers, and the format string's parsing and
 * the {@code Formatter} per call were half of writing it.
 */
public final class TextNumbers {
    private static final MathContext SIX = new MathContext(6, RoundingMode.HALF_UP);

    private TextNumbers() {
    }

    /**
     * {@code v} with six significant digits, exactly as {@code String.format(Locale.ROOT, "%.6g", v)}: the shortest
     * decimal digits that identify the double ({@link Double#toString}'s, which the formatter rounds too) rounded
     * half-up to six; decimal notation from 10⁻⁴ up to 10⁶ (after rounding), else {@code d.ddddde±XX}; NaN and the
     * infinities by name.
     */
    public static String g6(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        boolean negative = v < 0 || v == 0 && 1 / v < 0;
        StringBuilder out = new StringBuilder(16);
        if (negative) {
            out.append('-');
        }
        if (v == 0) {
            return out.append("0.00000").toString();
        }
        BigDecimal r = new BigDecimal(Double.toString(Math.abs(v))).round(SIX);
        // the power of ten of the leading digit
        int exponent = r.precision() - r.scale() - 1;
        if (exponent >= -4 && exponent < 6) {
            return out.append(r.setScale(5 - exponent, RoundingMode.UNNECESSARY).toPlainString()).toString();
        }
        String digits = r.unscaledValue().toString();
        out.append(digits.charAt(0)).append('.');
        out.append(digits, 1, Math.min(6, digits.length()));
        for (int i = digits.length(); i < 6; i++) {
            out.append('0');
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        int a = Math.abs(exponent);
        if (a < 10) {
            out.append('0');
        }
        return out.append(a).toString();
    }
}
