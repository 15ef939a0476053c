/**
 * Neural GRN models on DJL: {@link io.scgrn.models.nn.SemModel} ({@code sem}, a DeepSEM-family structural-equation
 * VAE) and {@link io.scgrn.models.nn.GnnModel} ({@code gnn}, a graph auto-encoder over genes, with supervised link
 * prediction in {@link io.scgrn.models.nn.LinkPrediction}). Code compiles against the engine-neutral
 * {@code ai.djl:api}; the engine (PyTorch) is found at run time.
 *
 * <p>The networks are DJL blocks with declared parameters: {@code GcnLayer} (our graph convolution, {@code Â H W};
 * DJL has no graph layers), {@code GnnEncoder} (two GCN layers, {@code Linear} skip and bilinear decoder) and
 * {@code SemNetwork}. They are trained by a DJL {@code Model} + {@code Trainer} with DJL's Adam, losses
 * (sigmoid binary cross-entropy, L2) and initializers (Xavier, normal, constant); {@code NnSupport.fit} is the
 * shared loop. Data, adjacency and per-epoch plans are uploaded once and stay on the device; the loss is read back
 * every 10 epochs for progress. Every {@code NDManager}, {@code Model} and {@code Trainer} is closed by the method
 * that opens it.
 *
 * <p>Process-global engine state, and how the models live with it: PyTorch's default random generator is one per
 * process, and DJL's {@code PtGradientCollector} allows one collecting pass per process. The models hold one lock
 * ({@code NnSupport.ENGINE}) around every seeded draw (initial weights, {@code sem}'s noise, re-seeded per step
 * from the run's seed) and every forward/backward pass, so concurrent runs interleave step by step, draw the same
 * numbers as they would alone, and give the same networks. The engine's intra-op thread count is global too (set
 * once by {@code -Dai.djl.pytorch.num_threads}; with one thread CPU runs are identical byte for byte).
 */
package io.scgrn.models.nn;
