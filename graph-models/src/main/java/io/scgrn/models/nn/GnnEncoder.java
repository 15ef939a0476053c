package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scgrn.models.ModelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The trainable part of {@link GnnModel}: a two-layer graph convolution over genes and a directed bilinear
 * decoder. DJL has no graph layers and no scatter-add, so message passing is a dense product with the normalised
 * adjacency.
 * <pre>
 *   H1 = relu(Â H0 W1)        Â [g, g], H0 [g, f], W1 [f, h]  → [g, h]
 *   E  = Â H1 W2 + H0 W0      W2 [h, d], W0 [f, d]             → [g, d]   (skip: the decoder also sees
 *                                                                         each gene's own profile)
 *   logit(i → j) = (E_i Ws) · (E_j Wt)    Ws, Wt [d, d]: separate regulator and target roles give direction
 * </pre>
 * Weights are arrays of the manager given at construction; {@link #save}/{@link #load} round-trip them through
 * DJL's NDList encoding.
 */
final class GnnEncoder {
    private static final String[] NAMES = {"w1", "w2", "w0", "ws", "wt"};
    private final NDArray w1;
    private final NDArray w2;
    private final NDArray w0;
    private final NDArray ws;
    private final NDArray wt;

    GnnEncoder(NDArray w1, NDArray w2, NDArray w0, NDArray ws, NDArray wt) {
        this.w1 = w1;
        this.w2 = w2;
        this.w0 = w0;
        this.ws = ws;
        this.wt = wt;
    }

    /** Glorot-uniform initialisation from {@code rnd}, so a seed fixes the start. */
    static GnnEncoder init(NDManager manager, int features, int hidden, int dim, Random rnd) {
        return new GnnEncoder(glorot(manager, features, hidden, rnd), glorot(manager, hidden, dim, rnd),
                glorot(manager, features, dim, rnd), glorot(manager, dim, dim, rnd), glorot(manager, dim, dim, rnd));
    }

    private static NDArray glorot(NDManager manager, int in, int out, Random rnd) {
        double lim = Math.sqrt(6.0 / (in + out));
        float[] v = new float[in * out];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * lim);
        }
        return manager.create(v, new Shape(in, out));
    }

    List<NDArray> parameters() {
        return List.of(w1, w2, w0, ws, wt);
    }

    /** One graph convolution {@code Â H W} (no activation). */
    static NDArray propagate(NDArray adjNorm, NDArray h, NDArray w) {
        return adjNorm.matMul(h.matMul(w));
    }

    /**
     * @param adjNorm [g, g] normalised adjacency
     * @param h0      [g, f] node features
     * @return embeddings [g, d]
     */
    NDArray embed(NDArray adjNorm, NDArray h0) {
        NDArray h1 = propagate(adjNorm, h0, w1).maximum(0f);
        return propagate(adjNorm, h1, w2).add(h0.matMul(w0));
    }

    /**
     * @param e   [g, d] embeddings
     * @param src [m] regulator indices (int32)
     * @param dst [m] target indices (int32)
     * @return [m] logits
     */
    NDArray logits(NDArray e, NDArray src, NDArray dst) {
        NDArray s = e.get(src).matMul(ws);
        NDArray t = e.get(dst).matMul(wt);
        return s.mul(t).sum(new int[] {1});
    }

    /** All regulator → gene logits: [nT, g] for regulator rows {@code tfs} (int32 [nT]). */
    NDArray allLogits(NDArray e, NDArray tfs) {
        return e.get(tfs).matMul(ws).matMul(e.matMul(wt).transpose());
    }

    void save(Path file) {
        NDList list = new NDList(w1, w2, w0, ws, wt);
        for (int i = 0; i < NAMES.length; i++) {
            list.get(i).setName(NAMES[i]);
        }
        try {
            Files.write(file, list.encode());
        } catch (IOException e) {
            throw new ModelException(file.toString(), "cannot write weights: " + e.getMessage(), e);
        }
    }

    static GnnEncoder load(NDManager manager, Path file) {
        NDList list;
        try {
            list = NDList.decode(manager, Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            throw new ModelException(file.toString(), "cannot read weights: " + e.getMessage(), e);
        }
        if (list.size() != NAMES.length) {
            throw new ModelException(file.toString(), "expected " + NAMES.length + " weight arrays, found "
                    + list.size());
        }
        return new GnnEncoder(list.get(0), list.get(1), list.get(2), list.get(3), list.get(4));
    }

    /** BCE with logits, numerically stable: {@code max(l,0) - l y + log(1 + e^-|l|)}, averaged. */
    static NDArray bce(NDArray logits, NDArray labels) {
        return logits.maximum(0f).sub(logits.mul(labels)).add(logits.abs().neg().exp().add(1).log()).mean();
    }
}
