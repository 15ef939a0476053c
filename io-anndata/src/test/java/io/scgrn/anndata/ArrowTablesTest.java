package io.scgrn.anndata;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** obs as Arrow: values, nulls and dictionaries; the allocator is closed in the test, so a leak fails it. */
class ArrowTablesTest {

    @Test
    void obsWithEveryColumnKind() {
        AnnData a = AnnDataFiles.readH5ad(TestFiles.fixture("nullable.h5ad"));
        DataFrame obs = a.obs();
        try (BufferAllocator alloc = new RootAllocator();
             ArrowTables.Table t = ArrowTables.toArrow(obs, alloc)) {
            assertEquals(obs.nRows(), t.root().getRowCount());
            assertEquals(obs.columns().size() + 1, t.root().getFieldVectors().size());
            VarCharVector index = (VarCharVector) t.root().getVector(0);
            assertEquals(obs.index().get(5), index.getObject(5).toString());

            // categorical: dictionary-encoded, ordered flag kept, labels recoverable
            Column.Categorical cat = (Column.Categorical) obs.column("cat_ordered").orElseThrow();
            IntVector codes = (IntVector) t.root().getVector("cat_ordered");
            DictionaryEncoding enc = codes.getField().getDictionary();
            assertNotNull(enc);
            assertTrue(enc.isOrdered());
            Dictionary dict = t.dictionaries().lookup(enc.getId());
            VarCharVector labels = (VarCharVector) dict.getVector();
            for (int i = 0; i < obs.nRows(); i++) {
                assertEquals(cat.label(i), labels.getObject(codes.get(i)).toString());
            }

            // nullable integer: nulls where the mask was set
            Column.Numeric nint = (Column.Numeric) obs.column("nint").orElseThrow();
            FieldVector nv = t.root().getVector("nint");
            for (int i = 0; i < obs.nRows(); i++) {
                assertEquals(!nint.valid()[i], nv.isNull(i), "row " + i);
            }
            assertTrue(nv.isNull(1));
            assertEquals(3 * 7, ((IntVector) nv).get(7), "values written as 3 * row");

            // nullable bool and string
            BitVector nb = (BitVector) t.root().getVector("nbool");
            assertTrue(nb.isNull(2));
            VarCharVector ns = (VarCharVector) t.root().getVector("nstr");
            assertTrue(ns.isNull(3));
            assertEquals("s0", ns.getObject(0).toString());

            // numeric types by stored dtype
            assertTrue(t.root().getVector("n_counts") instanceof Float4Vector);
            BigIntVector genes = (BigIntVector) t.root().getVector("n_genes");
            Column.Numeric ng = (Column.Numeric) obs.column("n_genes").orElseThrow();
            assertEquals((long) ng.values().get(7), genes.get(7));
            assertFalse(t.root().getVector("flag").isNull(0));
        }
    }
}
