package io.scgrn.anndata;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A multimodal dataset: named modalities (AnnData objects) plus global obs/var tables, as MuData models it. A 10x
 * {@code .h5} file is read as a MuData whose modalities are its feature types (Gene Expression, Peaks, …).
 *
 * @param source file it was read from
 * @param axis   0 when modalities share observations (the usual case), 1 when they share variables
 * @param obs    global obs (union of modality observations for axis 0)
 * @param var    global var
 * @param mod    modalities in file order
 * @param kind   what the file was: h5ad, h5mu, 10x-v3, 10x-v2
 */
public record MuData(Path source, int axis, DataFrame obs, DataFrame var, LinkedHashMap<String, AnnData> mod,
                     Map<String, Object> uns, String kind) {
    public int nObs() {
        return obs.nRows();
    }

    public int nVars() {
        return var.nRows();
    }
}
