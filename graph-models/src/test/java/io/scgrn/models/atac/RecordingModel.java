package io.scgrn.models.atac;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;

import java.util.List;

/** A model for the ATAC step's tests: records the expression and outside cell states it was given, no edges. */
final class RecordingModel implements GrnModel {
    /** The expression of the last call, or null. */
    ExpressionMatrix data;
    /** The outside cell states of the last call ({@link InferenceOptions#cellStates}), or null. */
    int[] cellStates;
    boolean called;

    @Override
    public String name() {
        return "recorder";
    }

    @Override
    public Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
        called = true;
        this.data = data;
        cellStates = options.cellStates();
        return new Network(List.of());
    }
}
