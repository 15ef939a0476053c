package io.scgrn.models.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CopulaTransformTest {
    // 4 cells × 2 genes, row-major; gene 0 has two tied zeros, gene 1 a tie at 2 and a negative value
    private static final float[] X = {
        0, 2,
        0, -1,
        3, 5,
        1, 2};

    @Test
    void scaledRanksAverageTiesPerGene() {
        // gene 0 ranks 1.5, 1.5, 4, 3; gene 1 ranks 2.5, 1, 4, 2.5; divided by n + 1 = 5
        assertArrayEquals(new float[] {0.3f, 0.5f, 0.3f, 0.2f, 0.8f, 0.8f, 0.6f, 0.5f},
                CopulaTransform.scaledRanks(X, 4, 2), 1e-7f);
    }

    @Test
    void normalScoresAreTheStandardNormalQuantilesOfThoseRanks() {
        float a = -0.5244005127080407f; // Φ⁻¹(0.3)
        float b = 0.8416212335729143f;  // Φ⁻¹(0.8)
        float c = 0.2533471031357997f;  // Φ⁻¹(0.6)
        assertArrayEquals(new float[] {a, 0f, a, -b, b, b, c, 0f}, CopulaTransform.normalScores(X, 4, 2), 1e-6f);
    }

    @Test
    void rejectsAShapeThatDoesNotFit() {
        assertThrows(IllegalArgumentException.class, () -> CopulaTransform.normalScores(X, 3, 2));
    }
}
