/**
 * In-silico perturbation, CellOracle-style (Kamimoto et al., Nature 2023): per-group ridge models of each target on
 * its network regulators ({@link io.scgrn.models.perturb.RidgeGcv}, {@link io.scgrn.models.perturb.GroupModels}),
 * blended per target with a model pooled over the groups ({@link io.scgrn.models.perturb.PoolingChoice}),
 * propagation of a TF's change through them ({@link io.scgrn.models.perturb.Propagation}), and the predicted
 * shifts turned into cell-state transition vectors on a 2-D embedding ({@link io.scgrn.models.perturb.TransitionField},
 * neighbours from {@link io.scgrn.models.perturb.Knn2d}; memory linear in cells). Entry point:
 * {@link io.scgrn.models.perturb.InSilicoPerturbation}.
 */
package io.scgrn.models.perturb;
