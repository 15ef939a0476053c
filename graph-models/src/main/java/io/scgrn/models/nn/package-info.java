/**
 * Neural GRN models on DJL: {@link io.scgrn.models.nn.SemModel} ({@code sem}, a DeepSEM-family structural-equation
 * VAE) and {@link io.scgrn.models.nn.GnnModel} ({@code gnn}, a graph auto-encoder over genes, with supervised link
 * prediction in {@link io.scgrn.models.nn.LinkPrediction}). Code compiles against the engine-neutral
 * {@code ai.djl:api}; the engine (PyTorch) is found at run time. Every {@code NDManager} is opened and closed by the
 * method that needs it.
 */
package io.scgrn.models.nn;
