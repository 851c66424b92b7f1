package org.sltk.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** An independent float64 forward pass computed with ND4J, the reference of the tests. */
final class Nd4jReference {

    private Nd4jReference() {}

    /** Returns the logits (batch x out) of an MLP on inputs x (batch x in), in float64. */
    static double[][] forward(TargetNetwork net, double[][] x) {
        INDArray h = Nd4j.create(x).castTo(DataType.DOUBLE);
        for (int l = 0; l < net.parametricCount(); l++) {
            Layer.Parametric d = net.layer(l);
            float[] wf = net.weights(l);
            double[] w = new double[wf.length];
            for (int k = 0; k < w.length; k++) {
                w[k] = wf[k];
            }
            INDArray wm = Nd4j.create(w, new long[] {d.out(), d.in()}, DataType.DOUBLE);
            h = h.mmul(wm.transpose());
            if (d.bias()) {
                float[] bf = net.biases(l);
                double[] b = new double[bf.length];
                for (int k = 0; k < b.length; k++) {
                    b[k] = bf[k];
                }
                h = h.addRowVector(Nd4j.create(b, new long[] {1, d.out()}, DataType.DOUBLE));
            }
            if (l + 1 < net.parametricCount()) {
                h = Transforms.relu(h, true);
            }
        }
        return h.toDoubleMatrix();
    }
}
