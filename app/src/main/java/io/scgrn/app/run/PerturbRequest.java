package io.scgrn.app.run;

import io.scgrn.models.perturb.Perturbation;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code scgrn perturb} (and the server's perturb job) asks for.
 *
 * @param input         the cells: .h5ad, .h5mu or 10x .h5
 * @param network       an infer output folder (its network.tsv) or a network TSV (tf, target, score)
 * @param perturbations genes and levels, applied together
 * @param groupby       obs column whose categories get their own models, or null (one model for all cells)
 * @param layer         matrix to use (null: X; "raw": raw.X; else a layer)
 * @param rnaMod        expression modality of a .h5mu, or null to detect it
 * @param embedding     obsm key of the 2-D embedding, or null for the first of X_umap, X_tsne, X_draw_graph_fa,
 *                      X_pca (else a PCA is computed)
 * @param steps         propagation steps
 * @param maxRegulators most regulators per target
 * @param neighbours    embedding neighbours per cell
 * @param seed          seed (of the computed embedding)
 * @param outDir        output folder, or null for scgrn-out/&lt;input stem&gt;/perturb-&lt;label&gt;
 */
public record PerturbRequest(Path input, Path network, List<Perturbation> perturbations, String groupby, String layer,
                             String rnaMod, String embedding, int steps, int maxRegulators, int neighbours, long seed,
                             Path outDir) {
    public PerturbRequest {
        perturbations = List.copyOf(perturbations);
    }

    /** {@code GATA1-ko+SPI1=2}: the perturbations' labels joined, for folder names. */
    public String label() {
        return String.join("+", perturbations.stream().map(Perturbation::label).toList());
    }
}
