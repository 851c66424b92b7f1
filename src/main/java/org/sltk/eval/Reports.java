package org.sltk.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns evaluation results into plain maps for JSON files. */
public final class Reports {

    private Reports() {}

    /**
     * Returns a report as ordered key-value pairs.
     *
     * @param r the report
     * @return the map
     */
    public static Map<String, Object> toMap(EvalReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", r.dataset());
        m.put("images", r.images());
        m.put("targetAccuracy", r.targetAccuracy());
        m.put("ticketAccuracy", r.ticketAccuracy());
        m.put("accuracyDifference", r.ticketAccuracy() - r.targetAccuracy());
        m.put("agreement", r.agreement());
        m.put("maxLogitError", r.maxLogitError());
        m.put("meanLogitError", r.meanLogitError());
        m.put("relativeL2", r.relativeL2());
        m.put("guaranteedBoundOnData", r.boundOnData());
        m.put("guaranteedBoundOverInputBox", r.boundOverBox());
        Map<String, Object> box = new LinkedHashMap<>();
        box.put("low", r.boxLow());
        box.put("high", r.boxHigh());
        m.put("inputBox", box);
        m.put(
                "boundToErrorRatio",
                r.maxLogitError() > 0 ? r.boundOnData() / r.maxLogitError() : null);
        m.put("imagesChecked", r.imagesChecked());
        m.put("imagesViolated", r.imagesViolated());
        m.put("withinBound", r.withinBound());
        m.put("arithmetic", r.arithmetic());
        m.put("effectiveVsDenseMaxDiff", r.effectiveVsDense());
        m.put("compactVsDenseMaxDiff", r.compactVsDense());
        m.put("denseCheckedImages", r.denseCheckedImages());
        List<Object> layers = new ArrayList<>();
        for (EvalReport.LayerError l : r.layers()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("layer", l.layer() + 1);
            e.put("maxError", l.maxError());
            e.put("relativeL2", l.relativeL2());
            e.put("bound", l.bound());
            layers.add(e);
        }
        m.put("layers", layers);
        m.put("boundSeconds", r.boundSeconds());
        m.put("seconds", r.seconds());
        return m;
    }
}
