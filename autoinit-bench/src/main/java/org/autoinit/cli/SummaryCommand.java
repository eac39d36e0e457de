package org.autoinit.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.io.Json;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;

/** {@code ./autoinit summary --model NAME [--json]}: the layers of a zoo model with output shapes and parameter counts. */
final class SummaryCommand implements Command {
    @Override
    public String name() {
        return "summary";
    }

    @Override
    public String summary() {
        return "layers of a zoo model: output shapes and parameter counts";
    }

    @Override
    public int run(String[] args) {
        ArgParser parser = new ArgParser(name(), summary() + ". JSON: {\"model\", \"params\", \"layers\": [{\"name\", \"type\", \"outputShape\", \"params\"}]}.")
                .required("model", "NAME", String.join(", ", Zoo.names()))
                .flag("json", "print JSON instead of a table");
        Args a = parser.parse(args);
        PrintStream out = System.out;
        if (a.help()) {
            out.print(parser.usage());
            return 0;
        }
        Model m = TraceCommand.build(name(), a.getString("model"), ZooOptions.builder().build());
        if (!a.flag("json")) {
            out.print(m.summary());
            return 0;
        }
        List<Object> layers = new ArrayList<>();
        for (Node n : m.nodes()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", n.name());
            l.put("type", n.isInput() ? "Input" : n.layer().type());
            List<Object> shape = new ArrayList<>();
            for (int d : n.shape()) {
                shape.add(d);
            }
            l.put("outputShape", shape);
            long params = 0;
            if (!n.isInput() && n.layer().parameters() != null && firstUse(m, n)) {
                for (Parameter p : n.layer().parameters()) {
                    if (p.kind() != ParamKind.BUFFER) {
                        params += p.numel();
                    }
                }
            }
            l.put("params", params);
            layers.add(l);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", a.getString("model"));
        json.put("params", m.parameterCount(false));
        json.put("layers", layers);
        out.println(Json.write(json));
        return 0;
    }

    /** A shared layer's parameters are counted at its first node only. */
    private static boolean firstUse(Model m, Node n) {
        for (Node o : m.nodes()) {
            if (o.layer() == n.layer()) {
                return o == n;
            }
        }
        return true;
    }
}
