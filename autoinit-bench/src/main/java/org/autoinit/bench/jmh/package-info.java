/**
 * JMH benchmarks, packaged in the shaded {@code autoinit-bench/target/autoinit.jar} (built by {@code ./autoinit}
 * or {@code mvn -DskipTests package}); not part of the unit tests. Run them on an otherwise idle machine:
 * <pre>
 *   OPENBLAS_CORETYPE=SKYLAKEX java --add-modules jdk.incubator.vector -cp autoinit-bench/target/autoinit.jar \
 *       org.openjdk.jmh.Main 'org.autoinit.bench.jmh.*'            # everything (long)
 *   ... org.openjdk.jmh.Main TrainingStepBench -p workload=mlp -p threads=1
 *   ... org.openjdk.jmh.Main WorkloadGemmBench ConvBench InitOverheadBench
 *   ... org.openjdk.jmh.Main 'AutoInitAnalysisBench|InitOverheadBench' -p model=resnet50 -p scheme=autoinit,he-normal
 * </pre>
 * The forks inherit the environment ({@code OPENBLAS_CORETYPE} must be exported before the host JVM starts,
 * {@code HASWELL} on AVX2-only CPUs) and get {@code --add-modules jdk.incubator.vector} (the float32 Vector API
 * kernels) from each benchmark's {@code @Fork}.
 */
package org.autoinit.bench.jmh;
