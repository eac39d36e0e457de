package org.autoinit.tensor.ops;

import static org.autoinit.tensor.testing.GradCheck.check;
import static org.autoinit.tensor.testing.GradCheck.param;

import java.util.stream.Stream;

import org.autoinit.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Float64 gradient checks of conv2d and conv1d for x, w and bias over strides, paddings, dilations and groups. */
class ConvGradTest {

    /** name, {N, C, H, W, O, kh, kw}, spec. Small shapes: every input element costs four forward passes. */
    static Stream<Arguments> conv2d() {
        return Stream.of(
                Arguments.of("stride 1 pad 0", new int[] {2, 3, 5, 6, 4, 3, 3}, Conv2dSpec.of(1, 0)),
                Arguments.of("stride 1 pad 1", new int[] {2, 3, 5, 6, 4, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("stride 2 pad 1", new int[] {2, 3, 6, 5, 4, 3, 3}, Conv2dSpec.of(2, 1)),
                Arguments.of("same k3 stride 1", new int[] {1, 2, 5, 6, 3, 3, 3}, Conv2dSpec.same(1)),
                Arguments.of("same k3 stride 2", new int[] {1, 2, 6, 7, 3, 3, 3}, Conv2dSpec.same(2)),
                Arguments.of("same k4 stride 1 (even)", new int[] {1, 2, 5, 6, 3, 4, 4}, Conv2dSpec.same(1)),
                Arguments.of("same k2 stride 2 (even)", new int[] {1, 2, 5, 6, 3, 2, 2}, Conv2dSpec.same(2)),
                Arguments.of("dilation 2", new int[] {1, 2, 7, 6, 3, 3, 3}, Conv2dSpec.of(1, 1).withDilation(2)),
                Arguments.of("groups 2", new int[] {2, 4, 5, 5, 6, 3, 3}, Conv2dSpec.of(1, 1).withGroups(2)),
                Arguments.of("depthwise", new int[] {2, 3, 5, 5, 3, 3, 3}, Conv2dSpec.of(1, 1).withGroups(3)),
                Arguments.of("depthwise x2 stride 2 same", new int[] {1, 3, 6, 5, 6, 3, 3}, Conv2dSpec.same(2).withGroups(3)),
                Arguments.of("1x1", new int[] {2, 3, 4, 5, 4, 1, 1}, Conv2dSpec.of(1, 0)),
                Arguments.of("1x1 stride 2 pad 1", new int[] {2, 3, 4, 5, 4, 1, 1}, Conv2dSpec.of(2, 1)),
                Arguments.of("non-square kernel 2x3, stride (2,1)", new int[] {2, 2, 5, 7, 3, 2, 3},
                        Conv2dSpec.of(1, 0).withStride(2, 1).withPadding(1, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conv2d")
    void conv2dGradients(String name, int[] d, Conv2dSpec spec) {
        Tensor x = param(1, d[0], d[1], d[2], d[3]).name("x");
        Tensor w = param(2, d[4], d[1] / spec.groups(), d[5], d[6]).name("w");
        Tensor b = param(3, d[4]).name("bias");
        check("conv2d " + name, in -> Conv.conv2d(in.get(0), in.get(1), in.get(2), spec), x, w, b);
        check("conv2d " + name + " without bias", in -> Conv.conv2d(in.get(0), in.get(1), null, spec), x, w);
    }

    /** name, {N, C, L, O, k}, spec. */
    static Stream<Arguments> conv1d() {
        return Stream.of(
                Arguments.of("stride 1 pad 0", new int[] {2, 3, 7, 4, 3}, Conv1dSpec.of(1, 0)),
                Arguments.of("stride 2 pad 1", new int[] {2, 3, 8, 4, 3}, Conv1dSpec.of(2, 1)),
                Arguments.of("same k4 stride 2", new int[] {2, 2, 7, 3, 4}, Conv1dSpec.same(2)),
                Arguments.of("same k3 stride 1", new int[] {2, 2, 6, 3, 3}, Conv1dSpec.same(1)),
                Arguments.of("dilation 2", new int[] {2, 2, 9, 3, 3}, Conv1dSpec.of(1, 1).withDilation(2)),
                Arguments.of("groups 2", new int[] {2, 4, 6, 2, 3}, Conv1dSpec.of(1, 1).withGroups(2)),
                Arguments.of("depthwise", new int[] {2, 3, 6, 3, 3}, Conv1dSpec.same(1).withGroups(3)),
                Arguments.of("k1", new int[] {2, 3, 5, 2, 1}, Conv1dSpec.of(1, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conv1d")
    void conv1dGradients(String name, int[] d, Conv1dSpec spec) {
        Tensor x = param(4, d[0], d[1], d[2]).name("x");
        Tensor w = param(5, d[3], d[1] / spec.groups(), d[4]).name("w");
        Tensor b = param(6, d[3]).name("bias");
        check("conv1d " + name, in -> Conv.conv1d(in.get(0), in.get(1), in.get(2), spec), x, w, b);
    }
}
