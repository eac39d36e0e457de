package org.autoinit.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.autoinit.nn.Model;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

class ExperimentPartsTest {
    @Test
    void gridCellsShowMeanAndHalfRangeAndCountDivergence() {
        Grid g = new Grid("init", List.of("a", "b", "c"), List.of("x"));
        g.add("a", "x", new Trial.Outcome(0.8, false, "", 1));
        g.add("a", "x", new Trial.Outcome(0.9, false, "", 1));
        g.add("b", "x", new Trial.Outcome(0.7, false, "", 1));
        g.add("b", "x", new Trial.Outcome(Double.NaN, true, "boom", 1));
        g.add("c", "x", new Trial.Outcome(Double.NaN, true, "boom", 1));
        g.add("c", "x", new Trial.Outcome(Double.NaN, true, "boom", 1));
        assertEquals("0.8500 ± 0.0500", g.cell("a", "x"));
        assertEquals("0.7000 (1/2 diverged)", g.cell("b", "x"));
        assertEquals("diverged (2/2)", g.cell("c", "x"));
        assertEquals(3, g.totalDiverged());
        assertEquals(6, g.totalRuns());
        assertEquals("| init | x |\n| --- | ---: |\n| a | 0.8500 ± 0.0500 |\n| b | 0.7000 (1/2 diverged) |\n| c | diverged (2/2) |\n",
                g.summary().markdown());
    }

    @Test
    void convNetAtThePapersWidthsIsTheZoosAllCnnC() {
        Model ours = ConvExperiment.allCnnC(new int[] {3, 32, 32}, 10, 96, 192, ActivationKind.RELU);
        Model zoo = Zoo.build("allcnnc");
        assertEquals(zoo.parameterCount(true), ours.parameterCount(true));
        assertEquals(1_369_738, ours.parameterCount(true));
        assertEquals(zoo.nodes().size(), ours.nodes().size());
    }

    @Test
    void vitWithLayerNormIsTheZoosVitAndWithoutItLacksOnlyTheNorms() {
        Model ours = TransformerExperiment.vit(new int[] {1, 28, 28}, 10, 128, 4, true);
        assertEquals(Zoo.build("vit").parameterCount(true), ours.parameterCount(true));
        Model bare = TransformerExperiment.vit(new int[] {1, 28, 28}, 10, 128, 4, false);
        // 2 LayerNorms per block and a final one, each gamma and beta of width 128
        assertEquals(ours.parameterCount(true) - 9 * 2 * 128, bare.parameterCount(true));
    }

    @Test
    void centredColumnUsesAutoInitOnActivationsShiftedByTheirGaussianMean() {
        Model m = ActivationsExperiment.centredDeepMlp("softplus", new int[] {1, 28, 28}, 10);
        assertEquals(24, m.layers().stream().filter(l -> l instanceof org.autoinit.nn.layers.Activation).count());
        // E[softplus(z)], z ~ N(0, 1) = 0.80605... (mpmath); every activation subtracts it
        for (var l : m.layers()) {
            if (l instanceof org.autoinit.nn.layers.Activation a) {
                assertEquals(0.806059, a.shift(), 1e-5);
            }
        }
        org.autoinit.init.InitReport r = org.autoinit.init.AutoInit.builder().seed(3).build().initialize(m);
        assertEquals(25, r.weightedEntries().size());
        // the drawn fc1 gives about (0, 1), so the centred softplus after it has mean about 0 (uncentred: 0.806)
        assertEquals(0.0, r.entry("act1").output().mean(), 1e-3);
    }
}
