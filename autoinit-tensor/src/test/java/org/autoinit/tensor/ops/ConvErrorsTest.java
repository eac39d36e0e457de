package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Convolution and pooling reject bad arguments with messages in the user's terms. */
class ConvErrorsTest {

    private static Tensor f32(int... shape) {
        return Tensor.zeros(DType.FLOAT32, shape);
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void conv2dShapes() {
        assertMessage("conv2d: input of shape [8, 3, 32] must have rank 4 (N, C, H, W)",
                () -> Conv.conv2d(f32(8, 3, 32), f32(16, 3, 3, 3), null, Conv2dSpec.of(1, 1)));
        assertMessage("conv2d: weight of shape [16, 3, 3] must have rank 4 (O, C/groups, kH, kW)",
                () -> Conv.conv2d(f32(8, 3, 32, 32), f32(16, 3, 3), null, Conv2dSpec.of(1, 1)));
        assertMessage("conv2d: expected input [N, 3, H, W] to have 3 channels (weight [16, 3, 3, 3], groups 1), but got 5 channels",
                () -> Conv.conv2d(f32(8, 5, 32, 32), f32(16, 3, 3, 3), null, Conv2dSpec.of(1, 1)));
        assertMessage("conv2d: expected input [N, 6, H, W] to have 6 channels (weight [4, 3, 3, 3], groups 2), but got 4 channels",
                () -> Conv.conv2d(f32(1, 4, 8, 8), f32(4, 3, 3, 3), null, Conv2dSpec.of(1, 1).withGroups(2)));
        assertMessage("conv2d: groups 2 must divide the input channels 5 (input [1, 5, 8, 8])",
                () -> Conv.conv2d(f32(1, 5, 8, 8), f32(4, 2, 3, 3), null, Conv2dSpec.of(1, 1).withGroups(2)));
        assertMessage("conv2d: groups 2 must divide the output channels 3 (weight [3, 2, 3, 3])",
                () -> Conv.conv2d(f32(1, 4, 8, 8), f32(3, 2, 3, 3), null, Conv2dSpec.of(1, 1).withGroups(2)));
        assertMessage("conv2d: bias of shape [8] must have shape [16] (one value per output channel of weight [16, 3, 3, 3])",
                () -> Conv.conv2d(f32(2, 3, 8, 8), f32(16, 3, 3, 3), f32(8), Conv2dSpec.of(1, 1)));
    }

    @Test
    void conv2dSizes() {
        assertMessage("conv2d: kernel 3x3 is larger than the padded input 2x2 (input 2x2, padding (0, 0))",
                () -> Conv.conv2d(f32(1, 1, 2, 2), f32(1, 1, 3, 3), null, Conv2dSpec.of(1, 0)));
        assertMessage("conv2d: kernel 3x3 with dilation (2, 2) spans 5x5, which is larger than the padded input 4x6 (input 4x6, padding (0, 0))",
                () -> Conv.conv2d(f32(1, 1, 4, 6), f32(1, 1, 3, 3), null, Conv2dSpec.of(1, 0).withDilation(2)));
        assertMessage("conv2d: kernel 1x5 is larger than the padded input 4x4 (input 2x2, padding (1, 1))",
                () -> Conv2dSpec.of(1, 1).outputSize(2, 2, 1, 5));
        assertMessage("conv2d: input spatial size must be positive, got 0x4",
                () -> Conv.conv2d(f32(1, 1, 0, 4), f32(1, 1, 1, 1), null, Conv2dSpec.of(1, 0)));
    }

    @Test
    void specValidation() {
        assertMessage("Conv2dSpec: stride must be positive, got (0, 0)", () -> Conv2dSpec.of(0, 1));
        assertMessage("Conv2dSpec: stride must be positive, got (2, -1)", () -> Conv2dSpec.of(1, 1).withStride(2, -1));
        assertMessage("Conv2dSpec: padding must be non-negative, got (-1, -1)", () -> Conv2dSpec.of(1, -1));
        assertMessage("Conv2dSpec: dilation must be positive, got (0, 0)", () -> Conv2dSpec.of(1, 1).withDilation(0));
        assertMessage("Conv2dSpec: groups must be positive, got 0", () -> Conv2dSpec.of(1, 1).withGroups(0));
        assertMessage("Conv1dSpec: stride must be positive, got 0", () -> Conv1dSpec.same(0));
        assertMessage("Conv1dSpec: dilation must be positive, got -2", () -> Conv1dSpec.of(1, 0).withDilation(-2));
    }

    @Test
    void dtypeMismatch() {
        assertMessage("conv2d: input is float32 but weight is float64; convert one with to()",
                () -> Conv.conv2d(f32(1, 1, 4, 4), Tensor.zeros(DType.FLOAT64, 1, 1, 3, 3), null, Conv2dSpec.of(1, 0)));
        assertMessage("conv2d: input is float32 but bias is float64; convert one with to()",
                () -> Conv.conv2d(f32(1, 1, 4, 4), f32(2, 1, 3, 3), Tensor.zeros(DType.FLOAT64, 2), Conv2dSpec.of(1, 0)));
    }

    @Test
    void conv1dErrors() {
        assertMessage("conv1d: input of shape [2, 3, 8, 8] must have rank 3 (N, C, L)",
                () -> Conv.conv1d(f32(2, 3, 8, 8), f32(4, 3, 3), null, Conv1dSpec.of(1, 0)));
        assertMessage("conv1d: expected input [N, 3, L] to have 3 channels (weight [16, 3, 5], groups 1), but got 5 channels",
                () -> Conv.conv1d(f32(2, 5, 8), f32(16, 3, 5), null, Conv1dSpec.of(1, 0)));
        assertMessage("conv1d: kernel 5 is larger than the padded input 4 (input 4, padding 0)",
                () -> Conv.conv1d(f32(2, 3, 4), f32(4, 3, 5), null, Conv1dSpec.of(1, 0)));
        assertMessage("conv1d: kernel 3 with dilation 3 spans 7, which is larger than the padded input 6 (input 4, padding 1)",
                () -> Conv1dSpec.of(1, 1).withDilation(3).outputLength(4, 3));
    }

    @Test
    void poolErrors() {
        assertMessage("maxPool2d: input of shape [3, 32, 32] must have rank 4 (N, C, H, W)",
                () -> Pool.maxPool2d(f32(3, 32, 32), 2, 2, 2, 2, 0, 0));
        assertMessage("avgPool2d: padding (2, 0) must be non-negative and at most half the kernel size 3x3",
                () -> Pool.avgPool2d(f32(1, 1, 8, 8), 3, 3, 1, 1, 2, 0));
        assertMessage("maxPool2d: stride must be positive, got (0, 2)",
                () -> Pool.maxPool2d(f32(1, 1, 8, 8), 2, 2, 0, 2, 0, 0));
        assertMessage("maxPool2d: kernel size must be positive, got 0x2",
                () -> Pool.maxPool2d(f32(1, 1, 8, 8), 0, 2, 1, 1, 0, 0));
        assertMessage("maxPool2d: kernel 3x3 is larger than the padded input 2x2 (input 2x2, padding (0, 0))",
                () -> Pool.maxPool2d(f32(1, 1, 2, 2), 3, 3, 1, 1, 0, 0));
        assertMessage("globalAvgPool: input of shape [4, 16] must have rank 4 (N, C, H, W)", () -> Pool.globalAvgPool(f32(4, 16)));
        assertMessage("globalMaxPool: input of shape [4, 16, 1] must have rank 4 (N, C, H, W)", () -> Pool.globalMaxPool(f32(4, 16, 1)));
    }
}
