package org.autoinit.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.autoinit.datasets.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    private Path csv(String content) throws IOException {
        Path p = dir.resolve("adult.csv");
        Files.writeString(p, content);
        return p;
    }

    @Test
    void numericColumnsPassThroughCategoricalAreOneHotAndTargetIsIndexed() throws IOException {
        Path p = csv("""
                age, workclass ,hours,income
                39, State-gov, 40, <=50K
                50, Self-emp,  13, >50K
                38, Private,   40.5, <=50K

                53, Private,   40, <=50K
                """);
        Csv.Table t = Csv.load(p, "income", "adult");
        Dataset d = t.dataset();
        assertEquals(List.of("age", "workclass=Private", "workclass=Self-emp", "workclass=State-gov", "hours"), t.featureNames());
        assertEquals(List.of("<=50K", ">50K"), d.classNames());
        assertArrayEquals(new int[] {5}, d.sampleShape());
        assertArrayEquals(new int[] {0, 1, 0, 0}, d.labels());
        assertArrayEquals(new float[] {
            39, 0, 0, 1, 40,
            50, 0, 1, 0, 13,
            38, 1, 0, 0, 40.5f,
            53, 1, 0, 0, 40}, d.rawFeatures());
        assertEquals(List.of(), t.droppedRows());
    }

    @Test
    void numericTargetsSortNumericallyAndColumnsCanBeForcedCategoricalOrIgnored() throws IOException {
        Path p = csv("""
                id,sex,x,class
                1,1,0.5,10
                2,0,1.5,2
                3,1,2.5,9
                """);
        Csv.Table t = Csv.load(p, "class", "pmlb", Csv.Options.defaults().withCategorical("sex").withIgnored("id"));
        assertEquals(List.of("2", "9", "10"), t.dataset().classNames(), "10 after 9, not after 1");
        assertArrayEquals(new int[] {2, 0, 1}, t.dataset().labels());
        assertEquals(List.of("sex=0", "sex=1", "x"), t.featureNames());
        assertArrayEquals(new float[] {0, 1, 0.5f, 1, 0, 1.5f, 0, 1, 2.5f}, t.dataset().rawFeatures());
    }

    @Test
    void missingValueFailsNamingRowAndColumn() throws IOException {
        Path p = csv("""
                age,workclass,income
                39,State-gov,<=50K
                50,?,>50K
                38,Private,
                """);
        var e = assertThrows(DatasetFormatException.class, () -> Csv.load(p, "income", "adult"));
        assertEquals(p + ": row 2: missing value '?' in column 'workclass' (use Csv.Missing.DROP_ROWS to drop such rows,"
                + " or impute them first)", e.getMessage());
        assertEquals(2, e.row());
    }

    @Test
    void dropRowsReportsWhichRowsWereDropped() throws IOException {
        Path p = csv("""
                age,workclass,income
                39,State-gov,<=50K
                50,?,>50K
                NA,Private,<=50K
                41,Private,>50K
                38,Private,
                """);
        Csv.Table t = Csv.load(p, "income", "adult", Csv.Options.defaults().withMissing(Csv.Missing.DROP_ROWS));
        assertEquals(List.of(2, 3, 5), t.droppedRows());
        assertEquals(2, t.dataset().size());
        assertArrayEquals(new float[] {39, 0, 1, 41, 1, 0}, t.dataset().rawFeatures());
    }

    @Test
    void quotedFieldsMayHoldSeparatorsAndQuotes() throws IOException {
        Path p = csv("name,v,y\n\"Smith, J.\",1,a\n\"say \"\"hi\"\"\",2,b\n");
        Csv.Table t = Csv.load(p, "y", "q");
        assertEquals(List.of("name=Smith, J.", "name=say \"hi\"", "v"), t.featureNames());
    }

    @Test
    void malformedTablesAreReportedByRow() throws IOException {
        Path p = csv("a,b,y\n1,2,x\n1,2\n");
        var e = assertThrows(DatasetFormatException.class, () -> Csv.load(p, "y", "t"));
        assertEquals(p + ": row 2: has 2 fields but the header has 3", e.getMessage());
        Path q = csv("a,y\n\"open,1\n");
        var e2 = assertThrows(DatasetFormatException.class, () -> Csv.load(q, "y", "t"));
        assertTrue(e2.getMessage().startsWith(q + ": row 1: unterminated quoted field"), e2.getMessage());
        Path r = csv("a,y\n1,x\n");
        var e3 = assertThrows(IllegalArgumentException.class, () -> Csv.load(r, "income", "t"));
        assertEquals("Csv.load: " + r + " has no column 'income'; columns are [a, y]", e3.getMessage());
    }
}
