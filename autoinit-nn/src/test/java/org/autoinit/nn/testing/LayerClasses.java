package org.autoinit.nn.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.autoinit.nn.Layer;

/** Scans the compiled autoinit-nn classes, so tests can demand that every layer type is covered. */
public final class LayerClasses {
    private LayerClasses() {}

    /** Every concrete Layer class compiled into autoinit-nn (main classes, not tests). */
    public static List<String> concrete() throws IOException, URISyntaxException {
        Path root = Path.of(Layer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isDirectory(root)) {
            throw new AssertionError("expected the compiled classes directory, got " + root);
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".class")).toList()) {
                String rel = root.relativize(p).toString();
                String name = rel.substring(0, rel.length() - ".class".length()).replace(p.getFileSystem().getSeparator(), ".");
                try {
                    Class<?> c = Class.forName(name, false, Layer.class.getClassLoader());
                    if (Layer.class.isAssignableFrom(c) && !java.lang.reflect.Modifier.isAbstract(c.getModifiers())) {
                        out.add(c.getName());
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new AssertionError("cannot load " + name, e);
                }
            }
        }
        out.sort(null);
        return out;
    }

}
