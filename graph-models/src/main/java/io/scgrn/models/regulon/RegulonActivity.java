package io.scgrn.models.regulon;

import java.util.List;

/**
 * Per-cell regulon activity (AUCell AUC in 0..1).
 *
 * @param cells    cell names, length nCells
 * @param regulons regulon names ({@link Regulon#name()}), length nRegulons
 * @param values   cells × regulons, row-major: {@code values[cell * nRegulons + regulon]}
 */
public record RegulonActivity(List<String> cells, List<String> regulons, float[] values) {
    public RegulonActivity {
        cells = List.copyOf(cells);
        regulons = List.copyOf(regulons);
        if ((long) cells.size() * regulons.size() != values.length) {
            throw new IllegalArgumentException(values.length + " values for " + cells.size() + " cells x "
                    + regulons.size() + " regulons");
        }
    }

    public float get(int cell, int regulon) {
        return values[cell * regulons.size() + regulon];
    }
}
