package org.autoinit.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.autoinit.init.moments.ActivationMoments;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.io.Json;
import org.autoinit.tensor.ops.ActivationKind;

/** {@code ./autoinit moments --activation NAME [--alpha A] --mean M --var V}: moments of f(x) for x ~ N(M, V). */
final class MomentsCommand implements Command {
    @Override
    public String name() {
        return "moments";
    }

    @Override
    public String summary() {
        return "mean and second moment of an activation of a Gaussian, f(x) for x ~ N(mean, var)";
    }

    @Override
    public int run(String[] args) {
        ArgParser parser = new ArgParser(name(), summary() + ". Prints {\"activation\", \"mean\", \"secondMoment\", \"variance\"} as JSON.")
                .required("activation", "NAME", "relu, leaky_relu, elu, selu, gelu, gelu_tanh, swish, mish, tanh, sigmoid, hard_sigmoid, softplus, "
                        + "softsign, sin, exp, identity")
                .option("alpha", "A", "the activation's parameter (leaky slope, elu alpha; default the kind's)")
                .required("mean", "M", "mean of the Gaussian input")
                .required("var", "V", "variance of the Gaussian input (>= 0)");
        Args a = parser.parse(args);
        PrintStream out = System.out;
        if (a.help()) {
            out.print(parser.usage());
            return 0;
        }
        ActivationKind kind;
        try {
            kind = ActivationKind.fromId(a.getString("activation"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        double alpha = a.getDouble("alpha", kind.defaultAlpha());
        double var = a.getDouble("var");
        if (var < 0) {
            throw new UsageException(name() + ": --var must be >= 0, got " + var);
        }
        Moments m = ActivationMoments.of(kind, alpha, Moments.of(a.getDouble("mean"), var));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("activation", kind.id());
        if (kind.usesAlpha()) {
            json.put("alpha", alpha);
        }
        json.put("mean", m.mean());
        json.put("secondMoment", m.secondMoment());
        json.put("variance", m.variance());
        out.println(Json.write(json));
        return 0;
    }
}
