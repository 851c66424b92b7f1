package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sltk.data.InputDomain;
import org.sltk.nn.Layer;
import org.sltk.nn.TargetModel;
import org.sltk.nn.TargetNetwork;
import org.sltk.prune.ErrorBound;
import org.sltk.prune.LayerStats;
import org.sltk.prune.TicketBound;
import org.sltk.util.CounterRandom;
import org.sltk.util.Engines;
import org.sltk.util.InputException;
import org.sltk.workflow.Pruner;
import org.sltk.workflow.Ticket;

/**
 * Imports of TorchScript CNNs made by real PyTorch 1.13 ({@code
 * scripts/make-torchscript-cnn-fixtures.py}): logits against torch's own, saved beside each
 * fixture; batch norm folding; every refusal's exact line; the shipped CIFAR-10 target; and an
 * imported BN CNN pruned through the workflow API.
 */
class CnnImportTest {

    static Path fixture(String name) throws Exception {
        return Path.of(CnnImportTest.class.getResource("cnn/" + name).toURI());
    }

    /** The largest |sltk - torch| over the logits torch saved for the inputs it saved. */
    static double maxDifference(TargetNetwork net, Path npz) throws Exception {
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                InputStream in = Files.newInputStream(npz)) {
            NDList l = NDList.decode(m, in);
            NDArray x = l.get("x");
            float[] want = l.get("logits").toFloatArray();
            float[] got = net.forward(x).toFloatArray();
            assertEquals(want.length, got.length);
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - want[i]));
            }
            return worst;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bn_script", "bn_trace"})
    void bnCnnWithNormalisationReproducesTorchsLogits(String name) throws Exception {
        TorchScriptImport.Result r = TorchScriptImport.importFile(fixture(name + ".pt"));
        TargetNetwork net = r.network();
        assertEquals(
                "3x16x16 normalize(3)-conv3x3(3->4)-relu-maxpool2-conv3x3(4->6,s2,p1)-relu"
                        + "-conv3x3(6->6,p2,d2)-relu-avgpool2-flatten-dense(24->16)-relu-dense(16->5),"
                        + " bias",
                net.describe());
        Layer.Normalize n =
                assertInstanceOf(Layer.Normalize.class, net.architecture().layers().get(0));
        assertEquals(Arrays.toString(new float[] {0.49f, 0.48f, 0.45f}), Arrays.toString(n.mean()));
        assertEquals(Arrays.toString(new float[] {0.25f, 0.24f, 0.26f}), Arrays.toString(n.std()));
        assertEquals(2, r.foldedBatchNorms());
        assertTrue(r.foldingError() > 0 && r.foldingError() < 1e-5, "error " + r.foldingError());
        assertTrue(r.log().contains("2 BatchNorm2d folded"), r.log());
        double d = maxDifference(net, fixture(name + ".npz"));
        assertTrue(d <= 1e-5, name + ": max |sltk - torch| " + d);
    }

    @ParameterizedTest
    @ValueSource(strings = {"seq_script", "seq_trace"})
    void sequentialCnnReproducesTorchsLogits(String name) throws Exception {
        TorchScriptImport.Result r = TorchScriptImport.importFile(fixture(name + ".pt"));
        assertEquals(
                "1x8x8 conv3x3(1->3)-relu-avgpool2-flatten-dense(27->4), bias",
                r.network().describe());
        assertEquals(1, r.foldedBatchNorms());
        double d = maxDifference(r.network(), fixture(name + ".npz"));
        assertTrue(d <= 1e-5, name + ": max |sltk - torch| " + d);
    }

    @Test
    void theFoldingErrorIsThatOfTheFoldedFloat32Weights() throws Exception {
        // conv + BN in float64 against the folded float32 conv in float64: the error is the
        // rounding of the folded weights, tiny but not zero; an unfolded import reports 0
        TorchScriptImport.Result r = TorchScriptImport.importFile(fixture("bn_trace.pt"));
        System.out.println(r.log());
        assertTrue(r.foldingError() > 0 && r.foldingError() < 1e-5, r.log());
        assertTrue(
                r.log()
                        .endsWith(
                                String.format(
                                        java.util.Locale.ROOT,
                                        "folding error %.3g (max |logit| difference to conv +"
                                                + " batch norm, float64, on 16 random inputs)",
                                        r.foldingError())),
                r.log());
        TorchScriptImport.Result mlp =
                TorchScriptImport.importFile(TargetImportTest.fixture("mlp_relu.pt"));
        assertEquals(0, mlp.foldedBatchNorms());
        assertEquals(0.0, mlp.foldingError());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "neg_residual|forward of 'Residual' calls torch.add (\"_1 = (flatten).forward(torch.add(x, y), )\"), a residual add",
                "neg_tanh|layer '1' is Tanh",
                "neg_tanh_trace|layer '1' is Tanh",
                "neg_gelu|layer '1' is GELU",
                "neg_sigmoid|layer '1' is Sigmoid",
                "neg_unknown_module|layer '0' is ZeroPad2d",
                "neg_unknown_op|forward of 'CatNet' calls torch.cat (\"_0 = torch.cat([(conv).forward(x, ), x], 1)\")",
            })
    void unsupportedOpsAndModulesAreRefusedInOneLine(String name, String message) throws Exception {
        InputException e =
                assertThrows(
                        InputException.class,
                        () -> TorchScriptImport.importFile(fixture(name + ".pt")));
        assertEquals(
                name
                        + ".pt: "
                        + message
                        + "; sltk imports only sequential networks of "
                        + TorchScriptImport.MODULES,
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "neg_groups|layer '0' is Conv2d with groups 2; sltk takes groups 1 only",
                "neg_reflect|layer '0' is Conv2d with padding_mode 'reflect'; sltk takes padding_mode 'zeros' only",
                "neg_nonsquare|layer '0' is Conv2d with kernel 3x1; sltk takes square kernels only",
                "neg_stride|layer '0' is Conv2d with stride (1, 2); sltk takes the same stride in both directions only",
                "neg_pool_overlap|layer '1' is MaxPool2d with kernel_size 3, stride 1, padding 0; sltk pools non-overlapping windows only (stride = kernel_size, padding 0, dilation 1, ceil_mode False)",
                "neg_bn_after_relu|layer '2' is BatchNorm2d after ReLU '1'; sltk folds a BatchNorm2d only into the Conv2d right before it",
                "neg_bn_first|layer '0' is BatchNorm2d after the input; sltk folds a BatchNorm2d only into the Conv2d right before it",
                "neg_bn_training|layer '1' is BatchNorm2d in training mode; call model.eval() before torch.jit.script or trace",
            })
    void unsupportedLayerSettingsAreRefusedInOneLine(String name, String message) throws Exception {
        InputException e =
                assertThrows(
                        InputException.class,
                        () -> TorchScriptImport.importFile(fixture(name + ".pt")));
        assertEquals(name + ".pt: " + message, e.getMessage());
    }

    @Test
    void theShippedCifarTargetImportsWithTorchsLogits() throws Exception {
        Path dir = Path.of("models/vgg-24-48-96-cifar10");
        TorchScriptImport.Result r = TorchScriptImport.importFile(dir.resolve("model.pt"));
        assertEquals(
                "3x32x32 normalize(3)-conv3x3(3->24,p1)-relu-conv3x3(24->24,p1)-relu-maxpool2"
                        + "-conv3x3(24->48,p1)-relu-conv3x3(48->48,p1)-relu-maxpool2"
                        + "-conv3x3(48->96,p1)-relu-conv3x3(96->96,p1)-relu-maxpool2"
                        + "-flatten-dense(1536->10), bias",
                r.network().describe());
        assertEquals(6, r.foldedBatchNorms());
        assertTrue(r.foldingError() < 1e-4, r.log());
        double d = maxDifference(r.network(), dir.resolve("expected-logits.npz"));
        System.out.println(r.log() + "; max |sltk - torch| on the 4 saved images " + d);
        assertTrue(d <= 1e-5, "max |sltk - torch| " + d);
        TargetModel m = TargetModels.load(dir.resolve("model.pt"));
        assertEquals(r.log(), m.importLog());
    }

    @Test
    void anImportedBnCnnPrunesOnNormalisedSignedInputsWithinItsBound() throws Exception {
        TargetModel target = TargetModels.load(fixture("bn_script.pt"));
        Ticket t =
                Pruner.builder()
                        .setDensity(0.25)
                        .optEps(1e-3)
                        .optSeed(3)
                        .optInputDomain(InputDomain.PIXELS, "test: raw pixels in [0, 1]")
                        .build()
                        .prune(target);
        // raw pixels are non-negative, but the first pair sees (x - mean) / std: both signs
        LayerStats first = t.result().layers().get(0);
        assertTrue(first.signed(), "the pair after the normalisation prunes both signs");
        TargetNetwork net = target.network();
        ErrorBound bound = new ErrorBound(net, t.network(), true);
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            int n = 8;
            int d = net.inputSize();
            CounterRandom rng = new CounterRandom(9);
            float[] x = new float[n * d];
            for (int q = 0; q < x.length; q++) {
                x[q] = rng.uniformFloat(0, q);
            }
            NDArray in = m.create(x, new ai.djl.ndarray.types.Shape(n, 3, 16, 16));
            float[] ticket = t.network().forwardCompact(in).toFloatArray();
            float[] target32 = net.forward(in).toFloatArray();
            int k = net.outputSize();
            double worst = 0;
            for (int i = 0; i < n; i++) {
                double[] xi = new double[d];
                for (int j = 0; j < d; j++) {
                    xi[j] = x[i * d + j];
                }
                TicketBound.Enclosure e = bound.forInput(xi);
                for (int o = 0; o < k; o++) {
                    double diff = ticket[i * k + o] - target32[i * k + o];
                    worst = Math.max(worst, Math.abs(diff));
                    assertTrue(
                            e.lower()[o] <= diff && diff <= e.upper()[o],
                            "image " + i + " logit " + o + ": " + diff + " outside bound");
                }
            }
            assertTrue(worst < 0.5, "ticket close to the target: " + worst);
        }
    }
}
