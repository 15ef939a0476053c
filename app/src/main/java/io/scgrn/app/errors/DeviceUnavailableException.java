package io.scgrn.app.errors;

/**
 * {@code --device gpu} cannot be honoured: the model runs only on the CPU, or the engine sees no usable GPU (no
 * CUDA build of PyTorch on the class path, no driver, no device). Thrown before the input is read. The CLI maps it
 * to exit code 7 (see docs/gpu.md), the server to HTTP 400.
 */
public class DeviceUnavailableException extends BadRequestException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message, Throwable cause) {
        super("device", message, cause);
    }
}
