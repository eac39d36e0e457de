package org.autoinit.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.autoinit.nn.io.Json;
import org.autoinit.tensor.blas.BlasInfo;
import org.autoinit.tensor.parallel.Parallel;

/** {@code ./autoinit info [--json]}: the runtime this machine gives the library, and its measured GEMM speed. */
final class InfoCommand implements Command {
    static final int DEFAULT_SIZE = 1024;
    private final int size;

    InfoCommand() {
        this(DEFAULT_SIZE);
    }

    /** Test hook: measure with n x n matrices of this size instead of 1024 (keeps tests fast). */
    InfoCommand(int size) {
        this.size = size;
    }

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "Java version, BLAS backend, OpenBLAS core type, threads, measured sgemm GFLOP/s";
    }

    @Override
    public int run(String[] args) {
        ArgParser parser = new ArgParser(name(), summary() + " (float32 " + size + "x" + size + " matmul through the Tensor API).")
                .flag("json", "print one JSON object with keys java, backend, openblasCore, threads, sgemmGflops");
        Args a = parser.parse(args);
        PrintStream out = System.out;
        if (a.help()) {
            out.print(parser.usage());
            return 0;
        }
        String backend = BlasInfo.backendName();
        String core = BlasInfo.openblasCoreType();
        double gflops = BlasInfo.measureSgemmGflops(size);
        if (a.flag("json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("java", System.getProperty("java.version"));
            json.put("backend", backend);
            json.put("openblasCore", core);
            json.put("threads", Parallel.threads());
            json.put("sgemmGflops", Math.round(gflops * 10) / 10.0);
            out.println(Json.write(json));
            return 0;
        }
        out.println("java           " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")");
        out.println("blas backend   " + BlasInfo.backendDescription());
        out.println("openblas core  " + core);
        BlasInfo.recommendedCoreType().filter(r -> backend.equals("jblas") && core.equals("unset")).ifPresent(r ->
                out.println("               export OPENBLAS_CORETYPE=" + r + " before starting the JVM for ~3x faster GEMM"
                        + " (./autoinit does this)"));
        out.println("threads        " + Parallel.threads());
        out.printf("sgemm          %.1f GFLOP/s (float32 %dx%d matmul through Tensor API, best of 10 after a 1.5 s warm-up)%n", gflops, size, size);
        return 0;
    }
}
