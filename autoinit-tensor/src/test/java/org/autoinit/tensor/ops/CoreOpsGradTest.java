package org.autoinit.tensor.ops;

import static org.autoinit.tensor.testing.GradCheck.check;
import static org.autoinit.tensor.testing.GradCheck.param;
import static org.autoinit.tensor.testing.GradCheck.uniform;

import java.util.List;

import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Float64 gradient checks of the core ops (elementwise with broadcasting, reductions, matmul, shape ops). */
class CoreOpsGradTest {

    @ParameterizedTest(name = "{0} {1} x {2}")
    @CsvSource({
        "add, 3x4, 3x4", "add, 3x1, 1x4", "add, 4, 2x3x4", "add, 1, 2x3",
        "sub, 2x3, 3", "sub, 2x1x4, 3x1",
        "mul, 3x4, 3x4", "mul, 3x1, 1x4", "mul, 2x3x4, 4",
        "div, 3x4, 3x4", "div, 2x3, 1x3",
        "pow, 3x4, 3x4", "maximum, 3x4, 3x4", "minimum, 2x3, 3"
    })
    void binaryOps(String op, String sa, String sb) {
        Tensor a = uniform(1, 0.5, 2.0, dims(sa)).name("a");
        Tensor b = uniform(2, 0.5, 2.0, dims(sb)).name("b");
        check(op + " " + sa + " " + sb, in -> switch (op) {
            case "add" -> in.get(0).add(in.get(1));
            case "sub" -> in.get(0).sub(in.get(1));
            case "mul" -> in.get(0).mul(in.get(1));
            case "div" -> in.get(0).div(in.get(1));
            case "pow" -> in.get(0).pow(in.get(1));
            case "maximum" -> in.get(0).maximum(in.get(1));
            case "minimum" -> in.get(0).minimum(in.get(1));
            default -> throw new IllegalArgumentException(op);
        }, a, b);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"neg", "exp", "log", "sqrt", "abs", "pow3", "clamp"})
    void unaryOps(String op) {
        Tensor x = uniform(3, 0.3, 2.0, 3, 5);
        if (op.equals("abs") || op.equals("neg") || op.equals("clamp")) {
            x = param(3, 3, 5); // kinks at 0 / +-0.8: randn values are almost surely away from them
        }
        check(op, in -> switch (op) {
            case "neg" -> in.get(0).neg();
            case "exp" -> in.get(0).exp();
            case "log" -> in.get(0).log();
            case "sqrt" -> in.get(0).sqrt();
            case "abs" -> in.get(0).abs();
            case "pow3" -> in.get(0).pow(3.0);
            case "clamp" -> in.get(0).clamp(-0.8, 0.8);
            default -> throw new IllegalArgumentException(op);
        }, x);
    }

    @Test
    void reductions() {
        Tensor x = param(4, 2, 3, 4).name("x");
        check("sum all", in -> in.get(0).sum(), x);
        check("sum axis 1", in -> in.get(0).sum(1), x);
        check("sum axes 0,2 keepdim", in -> in.get(0).sum(true, 0, 2), x);
        check("mean axis -1", in -> in.get(0).mean(-1), x);
        check("mean axes 0,2", in -> in.get(0).mean(true, 0, 2), x);
        check("max axis 1", in -> in.get(0).max(false, 1), x);
        check("min axes 0,2", in -> in.get(0).min(true, 0, 2), x);
        check("var axis 2", in -> in.get(0).var(false, 2), x);
        check("var all", in -> in.get(0).var(false), x);
    }

    @Test
    void matmulShapes() {
        check("2d", in -> in.get(0).matmul(in.get(1)), param(1, 3, 4), param(2, 4, 5));
        check("batched broadcast", in -> in.get(0).matmul(in.get(1)), param(1, 2, 1, 3, 4), param(2, 3, 4, 2));
        check("batched @ 2d", in -> in.get(0).matmul(in.get(1)), param(1, 2, 3, 4), param(2, 4, 5));
        check("vector @ matrix", in -> in.get(0).matmul(in.get(1)), param(1, 4), param(2, 4, 3));
        check("matrix @ vector", in -> in.get(0).matmul(in.get(1)), param(1, 3, 4), param(2, 4));
        check("2d @ batched", in -> in.get(0).matmul(in.get(1)), param(1, 3, 4), param(2, 2, 4, 5));
    }

    @Test
    void shapeOps() {
        Tensor x = param(5, 2, 3, 4);
        check("reshape", in -> in.get(0).reshape(4, -1).mul(in.get(0).reshape(4, 6)), x);
        check("permute", in -> in.get(0).permute(2, 0, 1).mul(param(9, 4, 2, 3)), x);
        check("transpose", in -> in.get(0).transpose(0, 2), x);
        check("narrow", in -> in.get(0).narrow(2, 1, 2), x);
        check("slice step 2", in -> ShapeOps.slice(in.get(0), 2, 0, 4, 2), x);
        check("concat", in -> ShapeOps.concat(1, in.get(0), in.get(1)), x, param(6, 2, 2, 4));
        check("stack", in -> ShapeOps.stack(0, in.get(0), in.get(1)), param(7, 3, 4), param(8, 3, 4));
        check("pad", in -> ShapeOps.pad(in.get(0), new int[] {0, 0, 1, 2, 2, 1}, 0.5), x);
        check("index_select repeated", in -> ShapeOps.indexSelect(in.get(0), 1, new int[] {2, 0, 2}), x);
        check("gather", in -> ShapeOps.gather(in.get(0), 1, new int[] {0, 2, 1, 1, 0, 0, 2, 2}, new int[] {2, 2, 2}), x);
        check("flatten", in -> in.get(0).flatten(1), x);
        check("where", in -> Elementwise.where(Tensor.of(new double[] {1, 0, 0, 1}, 4), in.get(0), in.get(1)),
                param(10, 3, 4), param(11, 4));
    }

    @Test
    void reusedTensorGetsSummedGradient() {
        Tensor x = param(12, 3, 2);
        check("x*x + x", in -> in.get(0).mul(in.get(0)).add(in.get(0)), x);
    }

    static int[] dims(String s) {
        String[] p = s.split("x");
        int[] d = new int[p.length];
        for (int i = 0; i < p.length; i++) d[i] = Integer.parseInt(p[i].trim());
        return d;
    }

    @SuppressWarnings("unused")
    private static List<Tensor> none() {
        return List.of();
    }
}
