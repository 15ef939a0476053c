package io.scgrn.models.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** {@link TextNumbers#g6} writes what {@code String.format("%.6g")} writes, for every kind of double. */
class TextNumbersTest {

    private static void same(double v) {
        assertEquals(String.format(Locale.ROOT, "%.6g", v), TextNumbers.g6(v), "value " + v);
    }

    @Test
    void edgesOfTheNotationsAndTheRounding() {
        double[] edges = {0.0, -0.0, 1, -1, 0.5, 1e-4, 9.99999e-5, 9.999995e-5, 9.9999949e-5, 0.0001000005, 999999.0,
            999999.5, 999999.4, 999998.5, 1e6, 1e5, 123456.5, 0.1234565, 0.1234575, 2.5e-7, 1e-300, 4.9e-324,
            Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1e100, 1.0000005, 0.30000000000000004, 12.0,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e21, 1e-21, 7e22, 3.14159265358979,
            99999.95, 9999.995, 0.99999951, 0.00099999951};
        for (double v : edges) {
            same(v);
            same(-v);
        }
    }

    @Test
    void randomValuesOverEveryMagnitude() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            // random mantissa and exponent; a share rounded to few digits, where ties of the rounding live
            double m = rnd.nextDouble(1, 10);
            if (i % 3 == 0) {
                m = Math.round(m * 1e6) / 1e6 + (i % 2 == 0 ? 5e-6 : 0);
            }
            double v = m * Math.pow(10, rnd.nextInt(-30, 30));
            same(rnd.nextBoolean() ? v : -v);
            same(Double.longBitsToDouble(rnd.nextLong()));
            same((float) rnd.nextDouble(-3, 3));
        }
    }
}
