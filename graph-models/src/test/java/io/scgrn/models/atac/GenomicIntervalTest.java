package io.scgrn.models.atac;

import io.scgrn.models.ModelException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenomicIntervalTest {
    @Test
    void parsesAllThreeNameFormats() {
        GenomicInterval expected = new GenomicInterval("chr1", 100, 200);
        assertEquals(expected, GenomicInterval.tryParse("chr1:100-200"));
        assertEquals(expected, GenomicInterval.tryParse("chr1-100-200"));
        assertEquals(expected, GenomicInterval.tryParse("chr1_100_200"));
        assertEquals(new GenomicInterval("chr1", 1000, 2000), GenomicInterval.tryParse("chr1:1,000-2,000"));
        // Chromosome names that themselves contain separators.
        assertEquals(new GenomicInterval("chrUn_KI270742v1", 5, 9), GenomicInterval.tryParse("chrUn_KI270742v1:5-9"));
        assertEquals(new GenomicInterval("GL000194.1", 5, 9), GenomicInterval.tryParse("GL000194.1-5-9"));
    }

    @Test
    void rejectsNamesWithoutCoordinates() {
        assertNull(GenomicInterval.tryParse("CD4"));
        assertNull(GenomicInterval.tryParse("chr1:200-100"));
        assertNull(GenomicInterval.tryParse("chr1:abc-def"));
        assertNull(GenomicInterval.tryParse(""));
        ModelException e = assertThrows(ModelException.class, () -> GenomicInterval.parse("peak_7", "atac var"));
        assertTrue(e.getMessage().contains("peak_7") && e.getMessage().startsWith("atac var"), e.getMessage());
    }

    @Test
    void distancesToTss() {
        GeneLocus plus = new GeneLocus("A", "chr1", 1000, 5000, 1);
        GeneLocus minus = new GeneLocus("B", "chr1", 1000, 5000, -1);
        GenomicInterval peak = new GenomicInterval("chr1", 6000, 6100);
        assertEquals(5000, plus.distanceTo(peak)); // TSS at 1000: peak starts 5,000 bases after it
        assertEquals(1001, minus.distanceTo(peak)); // TSS at 4999
        assertEquals(0, plus.distanceTo(new GenomicInterval("chr1", 900, 1001)));
        assertEquals(-1, plus.distanceTo(new GenomicInterval("chr2", 900, 1001)));
        GeneLocus unknown = new GeneLocus("C", "chr1", 1000, 5000, 0);
        assertEquals(0, unknown.distanceTo(new GenomicInterval("chr1", 3000, 3100)));
    }
}
