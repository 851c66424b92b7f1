package org.sltk.bridge;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.sltk.util.Engines;

/**
 * Child-JVM probe for {@link MissingNativeTest}: with the bridge in place, runs a tensor operation,
 * a libtorch error, and a native the bridge does not implement ({@code torchExp}), printing one
 * line for each. Exit 3 when the missing native gave the clear error.
 */
public final class BridgeProbe {

    private BridgeProbe() {}

    public static void main(String[] args) {
        Engines.engine();
        System.out.println(
                "JNI "
                        + Engines.loadedLibrary("djl_torch").orElse(null)
                        + " own="
                        + Engines.loadedLibrary("djl_torch")
                                .map(Engines::isOwnBridge)
                                .orElse(false));
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            System.out.println("MATMUL " + Arrays.toString(a.matMul(a).toFloatArray()));
            try {
                a.matMul(m.ones(new Shape(3, 3)));
                System.out.println("NO ENGINE EXCEPTION");
            } catch (EngineException e) {
                System.out.println(
                        "ENGINE EXCEPTION " + e.getMessage().lines().findFirst().orElse(""));
            }
            try {
                a.exp();
                System.out.println(
                        "EXP RAN (the bridge implements torchExp now: pick another native)");
                System.exit(0);
            } catch (UnsatisfiedLinkError e) {
                System.out.println("LINE sltk: " + Engines.linkErrorLine(e));
                System.exit(3);
            }
        }
    }
}
