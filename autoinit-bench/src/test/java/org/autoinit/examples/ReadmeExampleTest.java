package org.autoinit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.autoinit.nn.io.Safetensors;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Embedding in a JVM app" example is this module's ReadmeExample, verbatim, and it runs. */
class ReadmeExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/org/autoinit/examples/ReadmeExample.java");
    private static final Path README = Path.of("..", "README.md");

    /** The example as the README shows it: the file without its package line. */
    static String snippet() throws Exception {
        String src = Files.readString(SOURCE).replace("\r\n", "\n");
        return src.substring(src.indexOf("\n\n") + 2);
    }

    @Test
    void readmeShowsTheExampleVerbatim() throws Exception {
        String readme = Files.readString(README).replace("\r\n", "\n");
        assertTrue(readme.contains("```java\n" + snippet() + "```\n"), "README.md must contain ReadmeExample.java (without the package line) in a"
                + " ```java block; after editing the example, copy it into the README section \"Embedding in a JVM app\"");
        assertTrue(readme.contains("<artifactId>autoinit-init</artifactId>") && readme.contains("<version>0.1.0-SNAPSHOT</version>"),
                "Maven coordinates");
    }

    @Test
    void exampleRunsTrainsAndSaves(@TempDir Path tmp) throws Exception {
        Path weights = tmp.resolve("model.safetensors");
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            ReadmeExample.main(new String[] {weights.toString()});
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("AutoInit report"), out);
        Matcher m = Pattern.compile("(?m)^accuracy ([0-9.]+) \\(1000 examples\\)").matcher(out);
        assertTrue(m.find(), out);
        double acc = Double.parseDouble(m.group(1));
        assertTrue(acc > 0.6, "a 10-layer GELU net after AutoInit and 3 epochs should be well above chance (0.1), got " + acc);
        Map<String, Tensor> saved2 = Safetensors.read(weights).tensors();
        assertEquals(22, saved2.size(), "10 hidden + 1 output Dense, weight and bias each");
        assertEquals(784 * 256, saved2.get("fc1.weight").numel());
    }
}
