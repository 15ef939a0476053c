package io.scgrn.models.atac;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Gene TSS read straight from a GTF, and Ensembl-named GTF chromosomes matched to UCSC-named peaks. */
class GtfTssTest {
    @TempDir
    Path dir;

    @Test
    void gtfGivesStrandAwareTssAndChromosomesFollowThePeaks() throws Exception {
        Path gtf = dir.resolve("genes.gtf");
        Files.writeString(gtf, String.join("\n",
                "#!genome-build GRCh38",
                "1\tensembl\tgene\t1001\t5000\t.\t+\t.\tgene_id \"ENSG1\"; gene_name \"PLUS\";",
                "1\tensembl\texon\t1001\t1200\t.\t+\t.\tgene_id \"ENSG1\"; gene_name \"PLUS\";",
                "X\tensembl\ttranscript\t20001\t30000\t.\t-\t.\tgene_id \"ENSG2\"; gene_name \"MINUS\";",
                "X\tensembl\ttranscript\t21001\t32000\t.\t-\t.\tgene_id \"ENSG2\"; gene_name \"MINUS\";",
                "MT\tensembl\tgene\t1\t100\t.\t+\t.\tgene_id \"ENSG3\";", ""));
        Map<String, GeneLocus> loci = GeneAnnotations.read(gtf);
        assertEquals(new GenomicInterval("1", 1000, 1001), loci.get("PLUS").tssRegion());
        assertEquals(new GenomicInterval("X", 31999, 32000), loci.get("MINUS").tssRegion());
        assertEquals("MT", loci.get("ENSG3").chrom());
        Map<String, GeneLocus> renamed = MultiomeInputs.sameNaming(loci, List.of(new GenomicInterval("chr1", 0, 10),
                new GenomicInterval("chrX", 0, 10), new GenomicInterval("chrM", 0, 10)));
        assertEquals("chr1", renamed.get("PLUS").chrom());
        assertEquals("chrX", renamed.get("MINUS").chrom());
        assertEquals("chrM", renamed.get("ENSG3").chrom());
        assertEquals(loci, MultiomeInputs.sameNaming(loci, List.of(new GenomicInterval("1", 0, 10))));
    }
}
