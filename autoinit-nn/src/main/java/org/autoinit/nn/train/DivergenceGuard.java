package org.autoinit.nn.train;

import java.util.List;

import org.autoinit.nn.Layer;
import org.autoinit.nn.Node;
import org.autoinit.nn.NodeObserver;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * Stops a run at the first non-finite value, naming where it appeared: the loss, then parameter gradients. As the
 * observer of a forward pass it checks node outputs as they are produced (the first bad node is the origin); the
 * {@link Trainer} attaches it only to re-run a step whose loss was not finite.
 * Gradients flow from the loss back to the inputs, so the origin of a bad gradient is the bad layer
 * closest to the output: layers are scanned in reverse model order.
 */
final class DivergenceGuard implements NodeObserver {
    private final TrainingRun run;

    DivergenceGuard(TrainingRun run) {
        this.run = run;
    }

    @Override
    public void onOutput(Node node, Tensor output) {
        int bad = countNonFinite(output);
        if (bad > 0) {
            String what = node.isInput() ? "input '" + node.name() + "'" : "the output of node '" + node.name() + "' (" + node.layer().type() + ")";
            throw diverged(node.name(), what + " has " + bad + " non-finite value(s) out of " + output.numel()
                    + " (first: " + firstNonFinite(output) + "); every earlier node's output was finite");
        }
    }

    void checkLoss(Tensor loss) {
        double v = loss.item();
        if (!Double.isFinite(v)) {
            throw diverged("loss", "the loss is " + v + " although every node output was finite (check the loss function and labels)");
        }
    }

    /** Called with the global gradient norm; a non-finite norm is traced to the layer closest to the output. */
    void checkGradients(double globalNorm) {
        if (Double.isFinite(globalNorm)) {
            return;
        }
        List<Layer> layers = run.model().layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            for (Parameter p : layers.get(i).parameters()) {
                Tensor g = p.value().grad();
                int bad = g == null ? 0 : countNonFinite(g);
                if (bad > 0) {
                    throw diverged(p.qualifiedName(), "the gradient of '" + p.qualifiedName() + "' (layer '" + layers.get(i).name() + "', "
                            + layers.get(i).type() + ") has " + bad + " non-finite value(s) out of " + g.numel() + " (first: "
                            + firstNonFinite(g) + "); the layers after it have finite gradients");
                }
            }
        }
        throw diverged("gradients", "the gradient norm is " + globalNorm + " (parameters outside the model's layers)");
    }

    private TrainingDivergedException diverged(String where, String detail) {
        String msg = "training diverged at step " + run.step() + " (epoch " + run.epoch() + ", batch " + run.batchInEpoch() + "): " + detail;
        return new TrainingDivergedException(run.step(), run.epoch(), where, msg);
    }

    static int countNonFinite(Tensor t) {
        int bad = 0;
        if (t.dtype() == DType.FLOAT32) {
            for (float v : t.floatData()) if (!Float.isFinite(v)) bad++;
        } else {
            for (double v : t.doubleData()) if (!Double.isFinite(v)) bad++;
        }
        return bad;
    }

    private static String firstNonFinite(Tensor t) {
        for (int i = 0; i < t.numel(); i++) {
            double v = t.getFlat(i);
            if (!Double.isFinite(v)) return v + " at flat index " + i;
        }
        return "none";
    }
}
