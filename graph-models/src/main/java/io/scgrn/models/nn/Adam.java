package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam on plain NDArrays (Kingma &amp; Ba 2015), updating parameters in place outside autograd. Our own rather
 * than DJL's {@code Optimizer} so that its moment buffers live in the caller's manager (not in a per-step scope)
 * and the update order is fixed, which keeps CPU runs byte-for-byte reproducible.
 */
final class Adam {
    private final List<NDArray> params;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final float lr;
    private final float beta1 = 0.9f;
    private final float beta2 = 0.999f;
    private final float eps = 1e-8f;
    private int t;

    /** @param params arrays with {@code setRequiresGradient(true)}, owned by {@code manager} */
    Adam(NDManager manager, List<NDArray> params, double lr) {
        this.params = List.copyOf(params);
        this.lr = (float) lr;
        for (NDArray p : params) {
            m.add(manager.zeros(p.getShape(), p.getDataType()));
            v.add(manager.zeros(p.getShape(), p.getDataType()));
        }
    }

    /** One step from the gradients left by the last backward pass; temporaries die in a local scope. */
    void step() {
        t++;
        float c1 = (float) (1 - Math.pow(beta1, t));
        float c2 = (float) (1 - Math.pow(beta2, t));
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (int i = 0; i < params.size(); i++) {
                NDArray p = params.get(i);
                NDArray g = p.getGradient();
                m.get(i).muli(beta1).addi(g.mul(1 - beta1));
                v.get(i).muli(beta2).addi(g.square().muli(1 - beta2));
                NDArray update = m.get(i).div(c1).divi(v.get(i).div(c2).sqrt().addi(eps)).muli(lr);
                p.subi(update);
                // DJL's PyTorch engine accumulates gradients across backward passes: clear them for the next step.
                g.muli(0);
            }
        }
    }
}
