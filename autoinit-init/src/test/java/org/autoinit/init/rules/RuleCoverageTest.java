package org.autoinit.init.rules;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.autoinit.nn.Block;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.AvgPool2d;
import org.autoinit.nn.layers.Average;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.Concatenate;
import org.autoinit.nn.layers.Conv1d;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.Dropout;
import org.autoinit.nn.layers.Embedding;
import org.autoinit.nn.layers.Flatten;
import org.autoinit.nn.layers.GlobalAvgPool;
import org.autoinit.nn.layers.GlobalMaxPool;
import org.autoinit.nn.layers.GroupNorm;
import org.autoinit.nn.layers.LayerNorm;
import org.autoinit.nn.layers.MaxPool2d;
import org.autoinit.nn.layers.MultiHeadAttention;
import org.autoinit.nn.layers.Multiply;
import org.autoinit.nn.layers.PatchEmbedding;
import org.autoinit.nn.layers.Permute;
import org.autoinit.nn.layers.PositionalEmbedding;
import org.autoinit.nn.layers.Reshape;
import org.autoinit.nn.layers.SpatialDropout;
import org.autoinit.nn.layers.Subtract;
import org.autoinit.nn.layers.TokenMean;
import org.autoinit.nn.layers.WeightedSum;
import org.autoinit.nn.layers.ZeroPadding2d;
import org.junit.jupiter.api.Test;

/**
 * Every rule registered in {@link BuiltInRules} has a Monte Carlo test on the real layer (this package's
 * {@code *RulesTest} classes, >= 1e5 samples, 4 standard errors or the rule's stated relative accuracy). A new
 * built-in rule without an entry here fails this test.
 */
class RuleCoverageTest {

    /** Layer type -> its Monte Carlo tests ({@code Class#method} in this package). */
    static final Map<Class<?>, List<String>> MONTE_CARLO = Map.ofEntries(
            entry(Dense.class, List.of("WeightedRulesTest#denseAndConvolutions", "RealizedRulesTest#weightedLayersPredictTheirActualWeightsExactly",
                    "RealizedRulesTest#exactOutputVarianceHoldsForOneDraw")),
            entry(Conv1d.class, List.of("WeightedRulesTest#denseAndConvolutions", "RealizedRulesTest#weightedLayersPredictTheirActualWeightsExactly",
                    "RealizedRulesTest#paddedConvolutionsPredictTheirActualWeights", "RealizedRulesTest#exactOutputVarianceHoldsForOneDraw")),
            entry(Conv2d.class, List.of("WeightedRulesTest#denseAndConvolutions", "RealizedRulesTest#weightedLayersPredictTheirActualWeightsExactly",
                    "RealizedRulesTest#paddedConvolutionsPredictTheirActualWeights", "RealizedRulesTest#exactOutputVarianceHoldsForOneDraw")),
            entry(Embedding.class, List.of("WeightedRulesTest#patchEmbeddingAndEmbedding")),
            entry(PatchEmbedding.class, List.of("WeightedRulesTest#patchEmbeddingAndEmbedding",
                    "RealizedRulesTest#weightedLayersPredictTheirActualWeightsExactly")),
            entry(MultiHeadAttention.class, List.of("WeightedRulesTest#attentionRestoresTheTargetAtItsOutput", "RealizedRulesTest#attentionPredictionOfOneDraw")),
            entry(PositionalEmbedding.class, List.of("ElementwiseRulesTest#positionalEmbeddingAddsItsActualTable")),
            entry(Activation.class, List.of("ElementwiseRulesTest#everyActivationOnSeveralGaussians", "ElementwiseRulesTest#leakyReluAndEluWithTheirAlpha",
                    "ElementwiseRulesTest#centredActivationsMapAUnitGaussianToMeanZero", "ElementwiseRulesTest#userFunctionActivation")),
            entry(Dropout.class, List.of("ElementwiseRulesTest#dropoutIncludingItsMeanTerm")),
            entry(SpatialDropout.class, List.of("ElementwiseRulesTest#dropoutIncludingItsMeanTerm")),
            entry(BatchNorm.class, List.of("NormRulesTest#batchNormWithActualAffineAndLargeEps", "NormRulesTest#batchNormPerChannelWithDifferentChannelMeans")),
            entry(LayerNorm.class, List.of("NormRulesTest#layerNormOverTokensPooledAndPerFeature")),
            entry(GroupNorm.class, List.of("NormRulesTest#groupNormPerChannel")),
            entry(Add.class, List.of("MergeRulesTest#addSubtractAverage")),
            entry(Subtract.class, List.of("MergeRulesTest#addSubtractAverage")),
            entry(Average.class, List.of("MergeRulesTest#addSubtractAverage")),
            entry(Multiply.class, List.of("MergeRulesTest#multiplyOfIndependentInputs")),
            entry(Concatenate.class, List.of("MergeRulesTest#concatenateIsASizeWeightedMixture")),
            entry(WeightedSum.class, List.of("MergeRulesTest#weightedSumWithItsOwnCoefficients", "RealizedRulesTest#weightedSumWithCoefficientsChosenByAutoInit")),
            entry(Flatten.class, List.of("ElementwiseRulesTest#shapeLayersAreTheIdentity")),
            entry(Reshape.class, List.of("ElementwiseRulesTest#shapeLayersAreTheIdentity")),
            entry(Permute.class, List.of("ElementwiseRulesTest#shapeLayersAreTheIdentity")),
            entry(ZeroPadding2d.class, List.of("ElementwiseRulesTest#zeroPaddingIsAMixtureWithZeros")),
            entry(MaxPool2d.class, List.of("PoolRulesTest#maxPoolAfterReluUsesThePreActivationGaussian",
                    "PoolRulesTest#maxPoolOfGaussianWithPaddingAndOfMonotoneActivations", "PoolRulesTest#maxPoolAfterGeluTakesTheMaxWhereGeluIncreases")),
            entry(AvgPool2d.class, List.of("PoolRulesTest#averagePoolCountsPaddingInTheDivisor")),
            entry(GlobalAvgPool.class, List.of("PoolRulesTest#globalPoolsAndTokenMean")),
            entry(GlobalMaxPool.class, List.of("PoolRulesTest#globalPoolsAndTokenMean", "RealizedRulesTest#globalMaxPoolOfAGaussianMap")),
            entry(TokenMean.class, List.of("PoolRulesTest#globalPoolsAndTokenMean")),
            entry(Block.class, List.of("RealizedRulesTest#transformerEncoderBlock")));

    @Test
    void everyBuiltInRuleHasAMonteCarloTest() throws Exception {
        Set<Class<?>> registered = new HashSet<>(RuleRegistry.builtIns().types());
        assertEquals(registered, MONTE_CARLO.keySet(), "built-in rules vs the Monte Carlo tests listed here");
        for (Map.Entry<Class<?>, List<String>> e : MONTE_CARLO.entrySet()) {
            for (String ref : e.getValue()) {
                String[] cm = ref.split("#");
                Class<?> c = Class.forName(RuleCoverageTest.class.getPackageName() + "." + cm[0]);
                Method m = c.getDeclaredMethod(cm[1]);
                assertNotNull(m.getAnnotation(Test.class), ref + " is not a @Test");
                assertTrue(cm[0].endsWith("RulesTest"), ref);
            }
        }
    }
}
