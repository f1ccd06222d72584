#!/usr/bin/env python3
"""bench.py — filastack's benchmark (issue 7): prints JSON on stdout.

Run through `bash tests/bench/run.sh` (or the `bench` target of a build),
which builds the release preset and passes the programs:

    bench.py --filastack F --refcal R --synth S --shared DIR --work DIR
             [--runs N] [--ref-runs N] [--quick] [--only CASE,...]

Every program runs as its own process; its wall time is measured here and
its peak memory is the child's getrusage ru_maxrss (os.wait4). Per case the
JSON holds medians over the runs: whole-process wall time, the report's
per-stage timings_ms, peak memory, triangles and bytes written, and the
ratios against the program it is compared with, measured in the same run.
The program compared with runs between filastack's runs of the case (djpeg
after each, the reference pipeline after runs spread evenly over the
ladybird runs), so that a machine whose speed drifts during the benchmark
moves both sides of a ratio alike:

  ladybird_rgb, ladybird_de2000  ../shared/bench/ladybird_640x480.png with
      the reference calibration (fsk_refcal), 170 mm at 0.265625 mm pixels,
      0.08 mm layers, --metric rgb (the reference's own metric) and the
      default de2000; next to `node reference_pipeline.js` on the same input.
  photo_0.2mm         a 6000x4000 synthetic photo JPEG (fsk_synth_photo), 200 mm
      at 0.2 mm pixels, default printer and calibration; next to `djpeg`.
  photo_0.1mm_dither  the same at 0.1 mm with --dither floyd-steinberg.
  grid_1000           `filastack calibrate grid` of 1000 patches (4 filaments in
      5 layers on the Prusa XL): wall time, peak memory, triangles of its STLs
      and bytes written.

and the growth of time and memory with pixels, layers and filaments, with
fitted exponents (log-log least squares of cost above a fixed overhead).
Timings are measurements, never pass/fail: nothing here asserts a speed.
"""
import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

STAGES = ["decode_resample", "palette", "match", "simplify", "cleanup", "stacks", "preview", "expand",
          "mesh", "write_stl", "write_3mf", "write_preview"]


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def measure(argv, cwd=None):
    """One run of argv as a child: wall ms, peak RSS kB, stdout bytes."""
    import tempfile
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # The files the last run wrote or removed are flushed first, so that
        # writing them back does not run on the cores beside this run.
        os.sync()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall_ms = (time.perf_counter() - start) * 1e3
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s" % (
            " ".join(argv), proc.returncode, stderr.decode(errors="replace").strip()))
    return {"wall_ms": wall_ms, "maxrss_kb": usage.ru_maxrss, "stdout": stdout}


def median(values):
    return statistics.median(values) if values else None


def r3(v):
    return None if v is None else round(v, 3)


def filastack_runs(fsk, argv, out_dir, stem, runs, between=None):
    """Runs `filastack convert ARGV -o OUT --name STEM` runs times, calling
    between(i) after run i when given (the program compared with)."""
    walls, rss, stages = [], [], {s: [] for s in STAGES + ["total"]}
    report = None
    for i in range(runs):
        shutil.rmtree(out_dir, ignore_errors=True)
        os.makedirs(out_dir)
        m = measure([fsk, "-q", "convert"] + argv + ["-o", out_dir, "--name", stem])
        walls.append(m["wall_ms"])
        rss.append(m["maxrss_kb"])
        with open(os.path.join(out_dir, stem + "_report.json")) as f:
            report = json.load(f)
        for s in stages:
            stages[s].append(report["timings_ms"].get(s, 0.0))
        if between:
            between(i)
    return {
        "runs": runs,
        "wall_ms": r3(median(walls)),
        "wall_ms_min": r3(min(walls)),
        "wall_ms_max": r3(max(walls)),
        "stages_ms": {s: r3(median(v)) for s, v in stages.items()},
        "peak_rss_mb": r3(median(rss) / 1024.0),
        "grid_px": report["print"]["grid_px"],
        "layers": report["print"]["layers"],
        "input_px": report.get("input_px"),
        "decoded_px": report.get("decoded_px"),
        "triangles": report["totals"]["triangles"],
        "bytes_written": report["totals"]["bytes_written"],
        "files": len(report["totals"]["files"]),
        "matching": report.get("matching"),
        "color_error_de2000": report.get("color_error_de2000"),
    }


class ProgramRuns:
    """Runs of one program, made one at a time (between filastack's);
    command is how the JSON shows it."""

    def __init__(self, argv, command):
        self.argv, self.command = argv, command
        self.walls, self.rss, self.outs = [], [], []

    def once(self):
        m = measure(self.argv)
        self.walls.append(m["wall_ms"])
        self.rss.append(m["maxrss_kb"])
        self.outs.append(m["stdout"])

    def summary(self):
        return {"command": self.command, "runs": len(self.walls),
                "wall_ms": r3(median(self.walls)),
                "wall_ms_min": r3(min(self.walls)), "wall_ms_max": r3(max(self.walls)),
                "peak_rss_mb": r3(median(self.rss) / 1024.0)}


def stl_triangles(path):
    """The facet count in a binary STL's header (after its 80-byte title)."""
    with open(path, "rb") as f:
        head = f.read(84)
    return int.from_bytes(head[80:84], "little") if len(head) == 84 else 0


def spread(count, runs):
    """The indices of count runs spread evenly over runs (count <= runs)."""
    return {(2 * k + 1) * runs // (2 * count) for k in range(count)}


def fit_exponent(xs, ys):
    """Slope of log y over log x (least squares); None without 2 points."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x > 0 and y and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    if sxx == 0:
        return None
    return round(sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx, 3)


class Bench:
    def __init__(self, a):
        self.a = a
        self.fsk = os.path.abspath(a.filastack)
        self.work = os.path.abspath(a.work)
        self.shared = os.path.abspath(a.shared)
        os.makedirs(self.work, exist_ok=True)

    def path(self, *parts):
        return os.path.join(self.work, *parts)

    def synth(self, w, h):
        """The synthetic photo of w x h pixels, made once per size."""
        p = self.path("photo_%dx%d.jpg" % (w, h))
        if not os.path.exists(p) or os.path.getmtime(p) < os.path.getmtime(self.a.synth):
            log("making %s" % os.path.basename(p))
            subprocess.run([self.a.synth, str(w), str(h), p + ".tmp"], check=True)
            os.replace(p + ".tmp", p)
        return p

    def refcal(self):
        p = self.path("refcal_0.08.json")
        src = os.path.join(self.shared, "baseline", "calib_cmyw_4x4.json")
        subprocess.run([self.a.refcal, src, "0.08", p], check=True)
        return p

    def predicted(self, filaments, layers):
        names = ["bambu-pla-basic-cyan", "bambu-pla-basic-magenta",
                 "bambu-pla-basic-yellow", "bambu-pla-basic-jade-white",
                 "bambu-pla-basic-black", "bambu-pla-basic-red"][:filaments]
        p = self.path("pred_%df_%dl.json" % (filaments, layers))
        if not os.path.exists(p):
            subprocess.run([self.fsk, "-q", "calibrate", "predict", "--filaments",
                            ",".join(names), "--layers", str(layers), "--no-backing",
                            "-o", p], check=True)
        return p

    # ---- cases --------------------------------------------------------

    def ladybird(self, metric, reference):
        """The ladybird case; reference (a ProgramRuns of the reference
        pipeline, or None) runs a.ref_runs times between its runs."""
        image = os.path.join(self.shared, "bench", "ladybird_640x480.png")
        cal = self.refcal()
        argv = ["-c", cal, "--printer", "prusa-xl-5t", "--width-mm", "170",
                "--pixel-mm", "0.265625", "--metric", metric, image]
        log("ladybird %s: %d runs%s" % (metric, self.a.runs,
                                        ", the reference pipeline between" if reference else ""))
        turns = spread(min(self.a.ref_runs, self.a.runs), self.a.runs)
        between = (lambda i: reference.once() if i in turns else None) if reference else None
        res = filastack_runs(self.fsk, argv, self.path("out_ladybird_" + metric), "lb",
                             self.a.runs, between)
        res["command"] = "filastack convert " + " ".join(argv)
        if reference:
            ref = self.reference_summary(reference)
            res["reference"] = ref
            res["speedup_vs_reference"] = r3(ref["wall_ms"] / res["wall_ms"])
            res["triangles_vs_reference"] = r3(res["triangles"] / ref["triangles"])
        return res

    def reference(self):
        """The reference pipeline's runs, made by the ladybird cases; a dict
        with "skipped" when node or the script is missing."""
        image = os.path.join(self.shared, "bench", "ladybird_640x480.png")
        script = os.path.join(self.shared, "baseline", "reference_pipeline.js")
        calib = os.path.join(self.shared, "baseline", "calib_cmyw_4x4.json")
        node = shutil.which("node")
        if not node or not os.path.exists(script):
            return {"skipped": "node or %s missing" % script}
        out = self.path("out_reference")
        os.makedirs(out, exist_ok=True)
        return ProgramRuns([node, script, image, calib, "170", "0.08", out],
                           "node reference_pipeline.js %s %s 170 0.08 OUTDIR" % (image, calib))

    @staticmethod
    def reference_summary(runs):
        res = runs.summary()
        reports = [json.loads(o) for o in runs.outs]
        res["stages_ms"] = {k: r3(median([r["timings_ms"][k] for r in reports]))
                            for k in reports[0]["timings_ms"]}
        res["triangles"] = reports[0]["triangles"]
        res["bytes_written"] = reports[0]["stl_bytes"]
        return res

    def photo(self, pixel_mm, dither, image, metric=None):
        argv = ["--width-mm", "200", "--pixel-mm", str(pixel_mm)]
        if dither:
            argv += ["--dither", "floyd-steinberg"]
        if metric:
            argv += ["--metric", metric]
        argv.append(image)
        name = "photo_%gmm%s%s" % (pixel_mm, "_dither" if dither else "",
                                   "_" + metric if metric else "")
        djpeg = self.djpeg(image)
        log("%s: %d runs%s" % (name, self.a.runs, ", djpeg after each" if djpeg else ""))
        res = filastack_runs(self.fsk, argv, self.path("out_" + name), "p", self.a.runs,
                             (lambda i: djpeg.once()) if djpeg else None)
        res["command"] = "filastack convert " + " ".join(argv)
        in_px = res["input_px"][0] * res["input_px"][1]
        res["peak_bytes_per_input_px"] = r3(res["peak_rss_mb"] * 1048576 / in_px)
        if djpeg:
            res["djpeg"] = djpeg.summary()
            res["ratio_to_djpeg"] = r3(res["wall_ms"] / res["djpeg"]["wall_ms"])
        else:
            res["djpeg"] = {"skipped": "djpeg not installed (libjpeg-turbo-progs)"}
        # What the outputs need: the same conversion of the photo already at
        # the grid's size (one input pixel per grid pixel).
        gw, gh = res["grid_px"]
        small = self.synth(gw, gh)
        base = filastack_runs(self.fsk, argv[:-1] + [small], self.path("out_" + name + "_grid"),
                              "p", max(1, min(3, self.a.runs)))
        res["grid_sized_input"] = {"image": os.path.basename(small), "wall_ms": base["wall_ms"],
                                   "peak_rss_mb": base["peak_rss_mb"]}
        res["peak_bytes_per_input_px_beyond_outputs"] = r3(
            (res["peak_rss_mb"] - base["peak_rss_mb"]) * 1048576 / in_px)
        return res

    @staticmethod
    def djpeg(image):
        """djpeg decoding image alone, to run between a case's runs; None
        when djpeg is missing."""
        exe = shutil.which("djpeg")
        if not exe:
            return None
        return ProgramRuns([exe, "-outfile", os.devnull, image],
                           "djpeg -outfile /dev/null " + os.path.basename(image))

    def grid_1000(self):
        """A 1000-patch calibration grid: 4 filaments in 5 layers (1364
        sequences, 1000 chosen) with 1 mm gaps on the Prusa XL, to fit an A4
        scanner's glass."""
        probe = subprocess.run([self.fsk, "calibrate", "grid", "--help"],
                               capture_output=True, text=True)
        if probe.returncode != 0:
            return {"skipped": "filastack calibrate grid is not available yet"}
        out = self.path("out_grid")
        argv = [self.fsk, "-q", "calibrate", "grid", "--set", "cmyw-pla", "--layers", "5",
                "--max-patches", "1000", "--gap-mm", "1.0", "--printer", "prusa-xl-5t",
                "-o", out]
        walls, rss = [], []
        for _ in range(self.a.runs):
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            try:
                m = measure(argv)
            except RuntimeError as e:
                return {"skipped": "calibrate grid failed: %s" % e, "command": " ".join(argv)}
            walls.append(m["wall_ms"])
            rss.append(m["maxrss_kb"])
        files = sorted(os.path.join(out, f) for f in os.listdir(out))
        return {"command": " ".join(argv[1:]), "runs": self.a.runs,
                "wall_ms": r3(median(walls)), "peak_rss_mb": r3(median(rss) / 1024.0),
                "triangles": sum(stl_triangles(f) for f in files if f.endswith(".stl")),
                "bytes_written": sum(os.path.getsize(f) for f in files)}

    # ---- scaling ------------------------------------------------------

    def series(self, points, runs):
        """Converts each (label, argv, x) point."""
        rows = []
        for label, argv, x in points:
            log("scaling %s" % label)
            res = filastack_runs(self.fsk, argv, self.path("out_scaling"), "s", runs)
            rows.append({"point": label, "x": x, "wall_ms": res["wall_ms"],
                         "peak_rss_mb": res["peak_rss_mb"], "grid_px": res["grid_px"],
                         "layers": res["layers"], "triangles": res["triangles"],
                         "bytes_written": res["bytes_written"], "stages_ms": res["stages_ms"]})
        return rows

    def fixed_overhead(self, runs):
        """A 16x16 image: process start, profiles, calibration, matcher."""
        tiny = self.synth(16, 16)
        res = filastack_runs(self.fsk, ["--width-mm", "3.2", "--pixel-mm", "0.2", tiny],
                             self.path("out_scaling"), "s", runs)
        return res

    def scaling(self):
        runs = max(1, min(3, self.a.runs))
        quick = self.a.quick
        base = self.fixed_overhead(runs)
        sizes = [(500, 333), (1000, 667), (2000, 1333)] + ([] if quick else [(4000, 2667)])
        pts = [("%dx%d" % (w, h), ["--width-mm", str(w * 0.2), "--pixel-mm", "0.2",
                                   self.synth(w, h)], w * h) for w, h in sizes]
        pix = self.series(pts, runs)
        out = {"fixed_overhead": {"wall_ms": base["wall_ms"], "peak_rss_mb": base["peak_rss_mb"]}}
        xs = [r["x"] for r in pix]
        out["pixels"] = {
            "points": pix,
            "time_exponent": fit_exponent(xs, [r["wall_ms"] - base["wall_ms"] for r in pix]),
            "memory_exponent": fit_exponent(
                xs, [r["peak_rss_mb"] - base["peak_rss_mb"] for r in pix]),
            "triangles_exponent": fit_exponent(xs, [r["triangles"] for r in pix]),
            "time_vs_triangles_exponent": fit_exponent(
                [r["triangles"] for r in pix], [r["wall_ms"] - base["wall_ms"] for r in pix]),
            "note": "synthetic photos converted one input pixel per 0.2 mm print pixel; "
                    "exponents of wall time and peak memory above the 16x16 run's, "
                    "against pixels and against the triangles written",
        }
        image = self.synth(1000, 667)
        layers = [2, 3, 4, 6, 8] if not quick else [2, 4, 8]
        pts = [("2 filaments, %d layers" % m,
                ["-c", self.predicted(2, m), "--width-mm", "200", "--pixel-mm", "0.2", image], m)
               for m in layers]
        lay = self.series(pts, runs)
        work = ["expand", "mesh", "write_stl", "write_3mf"]
        out["layers"] = {
            "points": lay,
            "time_exponent": fit_exponent(
                [r["layers"] for r in lay], [r["wall_ms"] - base["wall_ms"] for r in lay]),
            "layer_stages_exponent": fit_exponent(
                [r["layers"] for r in lay],
                [sum(r["stages_ms"][s] for s in work) for r in lay]),
            "triangles_exponent": fit_exponent([r["layers"] for r in lay],
                                               [r["triangles"] for r in lay]),
            "layer_stages_vs_triangles_exponent": fit_exponent(
                [r["triangles"] for r in lay],
                [sum(r["stages_ms"][s] for s in work) for r in lay]),
            "memory_exponent": fit_exponent(
                [r["layers"] for r in lay], [r["peak_rss_mb"] - base["peak_rss_mb"] for r in lay]),
            "note": "1000x667 photo, predicted calibrations of 2 filaments without backing; "
                    "layer_stages = expand + mesh + write_stl + write_3mf",
        }
        fils = [2, 3, 4, 5, 6] if not quick else [2, 4, 6]
        pts = [("%d filaments, 4 layers" % n,
                ["-c", self.predicted(n, 4), "--width-mm", "200", "--pixel-mm", "0.2", "--3mf", "core",
                 image], n) for n in fils]
        fil = self.series(pts, runs)
        out["filaments"] = {
            "points": fil,
            "time_exponent": fit_exponent([r["x"] for r in fil],
                                          [r["wall_ms"] - base["wall_ms"] for r in fil]),
            "memory_exponent": fit_exponent(
                [r["x"] for r in fil], [r["peak_rss_mb"] - base["peak_rss_mb"] for r in fil]),
            "note": "1000x667 photo, predicted calibrations of N filaments in 4 layers "
                    "(N(N^4-1)/(N-1) sequences), core 3MF",
        }
        return out

    def run(self):
        only = set(self.a.only.split(",")) if self.a.only else None
        want = lambda name: only is None or name in only
        result = {
            "format": "filastack-bench", "version": 1,
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                        "python": platform.python_version()},
            "filastack": subprocess.run([self.fsk, "--version"], capture_output=True,
                                        text=True).stdout.strip(),
            "runs": self.a.runs, "cases": {},
        }
        cases = result["cases"]
        for metric in ("rgb", "de2000"):
            if not want("ladybird_" + metric):
                continue
            # Each ladybird case has the reference pipeline's runs of its own,
            # made between its runs.
            ref = self.reference() if not self.a.skip_reference else None
            if isinstance(ref, dict):
                cases["reference"] = ref
                ref = None
            cases["ladybird_" + metric] = self.ladybird(metric, ref)
            shutil.rmtree(self.path("out_reference"), ignore_errors=True)
        if want("photo_0.2mm") or want("photo_0.1mm_dither") or want("photo_0.2mm_rgb"):
            photo = self.synth(6000, 4000)
            if want("photo_0.2mm"):
                cases["photo_0.2mm"] = self.photo(0.2, False, photo)
            if want("photo_0.2mm_rgb"):
                cases["photo_0.2mm_rgb"] = self.photo(0.2, False, photo, "rgb")
            if want("photo_0.1mm_dither"):
                cases["photo_0.1mm_dither"] = self.photo(0.1, True, photo)
        if want("grid_1000"):
            cases["grid_1000"] = self.grid_1000()
        if want("scaling"):
            result["scaling"] = self.scaling()
        return result


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--filastack", required=True)
    p.add_argument("--refcal", required=True)
    p.add_argument("--synth", required=True)
    p.add_argument("--shared", required=True, help="folder with bench/ and baseline/")
    p.add_argument("--work", required=True, help="scratch folder (inputs are kept)")
    p.add_argument("--runs", type=int, default=7, help="runs per filastack case (median)")
    p.add_argument("--ref-runs", type=int, default=3, help="runs of the reference pipeline")
    p.add_argument("--quick", action="store_true", help="fewer runs and scaling points")
    p.add_argument("--skip-reference", action="store_true")
    p.add_argument("--only", help="comma-separated cases: ladybird_rgb, ladybird_de2000, "
                   "photo_0.2mm, photo_0.2mm_rgb, photo_0.1mm_dither, grid_1000, scaling")
    p.add_argument("--out", help="also write the JSON here (default WORK/bench.json)")
    a = p.parse_args()
    if a.quick:
        a.runs = min(a.runs, 3)
        a.ref_runs = min(a.ref_runs, 1)
    result = Bench(a).run()
    text = json.dumps(result, indent=1)
    print(text)
    with open(a.out or os.path.join(a.work, "bench.json"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
