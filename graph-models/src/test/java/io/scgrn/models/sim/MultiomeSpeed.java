package io.scgrn.models.sim;

import com.sun.management.OperatingSystemMXBean;
import io.scgrn.anndata.AnnDataFiles;
import io.scgrn.anndata.MuData;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.atac.AtacAnalysis;
import io.scgrn.models.atac.AtacInformedModel;
import io.scgrn.models.atac.AtacResult;
import io.scgrn.models.atac.AtacSettings;
import io.scgrn.models.atac.MotifTable;
import io.scgrn.models.atac.MultiomeData;
import io.scgrn.models.atac.MultiomeInputs;
import io.scgrn.models.prep.PrepOptions;
import io.scgrn.models.prep.Preparation;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Multiome speed per stage (not a test): {@code MultiomeSpeed DIR} reads DIR/data.h5mu, DIR/tfs.txt and
 * DIR/motifs.tsv (as written by {@code scgrn simulate}), runs the multiome path of {@code scgrn infer} with the
 * default model and prints wall time and process CPU time per stage plus the peak heap.
 */
public final class MultiomeSpeed {
    private MultiomeSpeed() {
    }

    private static long wall0;
    private static long cpu0;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        start();
        MuData md = AnnDataFiles.readH5mu(dir.resolve("data.h5mu"));
        lap("read .h5mu");
        MultiomeData data = MultiomeInputs.fromMuData(md, null, null, null);
        lap("pair RNA + ATAC");
        List<String> tfs = Files.readAllLines(dir.resolve("tfs.txt"));
        MotifTable motifs = MotifTable.read(dir.resolve("motifs.tsv"), data.peakNames(), data.peaks());
        lap("read motifs");
        var prepared = Preparation.prepare(md.mod().get("rna"), tfs, PrepOptions.defaults());
        ExpressionMatrix x = prepared.matrix();
        lap("prepare RNA (" + x.nCells() + " x " + x.nGenes() + ")");
        AtacSettings s = AtacSettings.defaults(0);
        AtacResult res = AtacAnalysis.run(data, tfs, motifs, s, Progress.NONE);
        lap("ATAC analysis total");
        res.timingsMs().forEach((k, v) -> System.out.printf(Locale.ROOT, "    atac %-12s %8.1f s wall%n", k,
                v / 1000.0));
        InferenceOptions o = new InferenceOptions(0, "cpu", Map.of(), List.of());
        Network rna = Models.byName(Models.DEFAULT_NAME).infer(x, prepared.tfs(), o, Progress.NONE);
        lap("model " + Models.DEFAULT_NAME);
        Network multi = AtacInformedModel.combine(rna, res.prior(), res.informativeTargets(),
                s.effectiveFloor(true).getAsDouble());
        lap("combine (" + multi.size() + " edges)");
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "cells %d, genes %d, peaks %d; links %d (%d significant), triplets %d%n",
                data.nCells(), data.nGenes(), data.nPeaks(), res.links().size(), res.significantLinks(),
                res.triplets().size());
        System.out.printf(Locale.ROOT, "peak heap (sum of pool peaks) %.2f GiB%n", peak / (double) (1L << 30));
    }

    private static long cpu() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void start() {
        wall0 = System.nanoTime();
        cpu0 = cpu();
    }

    private static void lap(String stage) {
        long w = System.nanoTime();
        long c = cpu();
        System.out.printf(Locale.ROOT, "%-34s %8.1f s wall %8.1f s CPU%n", stage, (w - wall0) / 1e9, (c - cpu0) / 1e9);
        System.out.flush();
        wall0 = w;
        cpu0 = c;
    }
}
