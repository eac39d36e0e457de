#!/usr/bin/python3
"""compare-torch.py -- this project's training steps against PyTorch 1.13 CPU, side by side.

Runs `./autoinit bench` and the PyTorch peer (../shared/peers/torch_peer.py, same workloads, shapes, batch,
data scheme, SGD and timing scheme) ALTERNATELY for each workload and thread count, each run in a fresh
process, waiting for an idle machine before each run, and prints a table:

    ratio = this project's median s/step / PyTorch's best of (default, OMP_WAIT_POLICY=PASSIVE)

(PyTorch's default 2-thread setup oversubscribes 2 cores; PASSIVE fixes that, so both are run and the faster
one is the reference). With --repeats R every number is the median over R alternated rounds.

    /usr/bin/python3 scripts/compare-torch.py                      # all workloads, 1 and 2 threads
    /usr/bin/python3 scripts/compare-torch.py --workloads mlp,cnn --threads 2 --repeats 3
    /usr/bin/python3 scripts/compare-torch.py --workloads init     # per-model init times (ours vs torch's)

Needs Debian's python3 with torch (apt-get install python3-torch) and OpenBLAS as the system BLAS, as in the
peer's reference setup (apt-get install libopenblas0-pthread; with netlib's libblas3 PyTorch's Linear layers
are ~25x slower and the script prints a warning), Java 17 and Maven (the launcher builds the jar on first
use). Run it on a quiet machine: the numbers are meaningless while others compile.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOADS = ["mlp", "cnn", "allcnnc", "resnet", "transformer"]


def find_peer():
    d = ROOT
    for _ in range(4):
        d = os.path.dirname(d)
        p = os.path.join(d, "shared", "peers", "torch_peer.py")
        if os.path.exists(p):
            return p
    return os.path.join(os.path.dirname(ROOT), "shared", "peers", "torch_peer.py")


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return {"cpu": model, "cores": os.cpu_count(), "kernel": platform.release(),
            "java": java[0] if java else "?"}


def json_lines(text):
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def wait_quiet(args, benchutil):
    if args.no_wait_quiet or benchutil is None:
        return None
    waited, busy = benchutil.wait_quiet(max_wait=args.max_wait_quiet)
    return {"quiet_wait_s": waited, "busy_cores_before": busy}


def run_ours(workload, threads, args):
    cmd = [os.path.join(ROOT, "autoinit"), "bench", "--workload", workload, "--threads", str(threads),
           "--target-s", str(args.target_s), "--json"]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        sys.stderr.write("autoinit bench failed:\n" + r.stderr[-2000:])
        return []
    return json_lines(r.stdout)


def run_torch(workload, threads, args, env_extra):
    cmd = ["/usr/bin/python3", args.peer, "--workloads", workload, "--threads", str(threads),
           "--target-s", str(args.target_s), "--no-wait-quiet"]
    for kv in env_extra:
        cmd += ["--env", kv]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write("torch_peer failed:\n" + r.stderr[-2000:])
        return []
    return json_lines(r.stdout)


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, digits=4):
    return "-" if x is None else f"{x:.{digits}f}"


def training_table(results, workloads, threads):
    lines = ["| workload | threads | this project s/step | PyTorch default | PyTorch PASSIVE | ratio | RSS MiB (ours / torch) |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for w in workloads:
        for t in threads:
            r = results.get((w, t), {})
            ours = med(x.get("step_median_s") for x in r.get("ours", []))
            dflt = med(x.get("step_median_s") for x in r.get("torch", []))
            passive = med(x.get("step_median_s") for x in r.get("torch_passive", []))
            best = min([v for v in (dflt, passive) if v is not None], default=None)
            ratio = ours / best if ours is not None and best else None
            rss_o = med(x.get("peak_rss_mib") for x in r.get("ours", []))
            rss_t = med(x.get("peak_rss_mib") for x in r.get("torch", []) + r.get("torch_passive", []))
            lines.append(f"| {w} | {t} | {fmt(ours)} | {fmt(dflt)} | {fmt(passive)} | {fmt(ratio, 2)} | "
                         f"{fmt(rss_o, 0)} / {fmt(rss_t, 0)} |")
    return "\n".join(lines)


def init_table(results, threads):
    # ours: init/<workload>/<scheme>; torch: init/<workload>/default|kaiming_normal. One row per model: the
    # baselines side by side, then both AutoInit modes against PyTorch's own default init (issue 6's target).
    lines = ["| model | threads | PyTorch default ms (ours / torch) | He normal ms (ours / torch kaiming_normal) | "
             "AutoInit ms (/ torch default) | AutoInit paper mode ms (/ torch default) | LSUV ms |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for t in threads:
        r = results.get(("init", t), {})
        ours = {}
        for x in r.get("ours", []):
            ours.setdefault(x["workload"], []).append(x.get("init_median_s"))
        torch = {}
        for x in r.get("torch", []) + r.get("torch_passive", []):
            torch.setdefault(x["workload"], []).append(x.get("init_median_s"))

        def ms(d, key, digits):
            v = med(d.get(key, []))
            return v, fmt(v and v * 1e3, digits)

        for w in WORKLOADS:
            _, pt_o = ms(ours, f"init/{w}/pytorch", 3)
            pt, pt_t = ms(torch, f"init/{w}/default", 3)
            _, he_o = ms(ours, f"init/{w}/he-normal", 3)
            _, he_t = ms(torch, f"init/{w}/kaiming_normal", 3)
            ai, ai_s = ms(ours, f"init/{w}/autoinit", 2)
            ae, ae_s = ms(ours, f"init/{w}/autoinit-expected", 3)
            _, ls_s = ms(ours, f"init/{w}/lsuv", 1)
            rai = fmt(ai / pt if ai is not None and pt else None, 2)
            rae = fmt(ae / pt if ae is not None and pt else None, 2)
            lines.append(f"| {w} | {t} | {pt_o} / {pt_t} | {he_o} / {he_t} | {ai_s} ({rai}) | {ae_s} ({rae}) | {ls_s} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workloads", default=",".join(WORKLOADS), help="comma list of mlp,cnn,allcnnc,resnet,transformer,init")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeats", type=int, default=1, help="alternated rounds; numbers are medians over them")
    ap.add_argument("--target-s", type=float, default=6.0, help="timed seconds per run (both sides)")
    ap.add_argument("--peer", default=find_peer(), help="path of torch_peer.py (default: shared/peers/ next to a parent folder)")
    ap.add_argument("--no-passive", action="store_true", help="skip the OMP_WAIT_POLICY=PASSIVE PyTorch runs")
    ap.add_argument("--no-wait-quiet", action="store_true", help="do not wait for an idle machine before each run")
    ap.add_argument("--max-wait-quiet", type=float, default=300.0)
    ap.add_argument("--out", default=None, help="append every raw JSON record to this file")
    args = ap.parse_args()
    args.peer = os.path.abspath(args.peer)
    if not os.path.exists(args.peer):
        sys.exit(f"torch peer not found at {args.peer}; pass --peer")
    sys.path.insert(0, os.path.dirname(args.peer))
    try:
        import benchutil
    except ImportError:
        benchutil = None
    workloads = args.workloads.split(",")
    threads = [int(t) for t in args.threads.split(",")]
    # Build the jar once, outside any timed run.
    subprocess.run([os.path.join(ROOT, "autoinit"), "info"], cwd=ROOT, capture_output=True, text=True)
    started = datetime.datetime.now().isoformat(timespec="seconds")
    load_start = open("/proc/loadavg").read().split()[:3]
    out = open(args.out, "a") if args.out else None
    results = {}
    sides = [("ours", lambda w, t: run_ours(w, t, args)), ("torch", lambda w, t: run_torch(w, t, args, []))]
    if not args.no_passive:
        sides.append(("torch_passive", lambda w, t: run_torch(w, t, args, ["OMP_WAIT_POLICY=PASSIVE"])))
    for rep in range(args.repeats):
        for w in workloads:
            for t in threads:
                for side, fn in sides:
                    noise = wait_quiet(args, benchutil)
                    t0 = time.time()
                    recs = fn(w, t)
                    for rec in recs:
                        rec.update({"side": side, "repeat": rep, "wall_s": round(time.time() - t0, 1),
                                    "loadavg_after": open("/proc/loadavg").read().split()[0]})
                        if noise:
                            rec.update(noise)
                        if out:
                            out.write(json.dumps(rec) + "\n")
                            out.flush()
                    results.setdefault((w, t), {}).setdefault(side, []).extend(recs)
                    summary = ", ".join(f"{r['workload']} {r.get('step_median_s', r.get('init_median_s'))}" for r in recs[:3])
                    sys.stderr.write(f"[round {rep + 1}/{args.repeats}] {side:13s} {w} threads {t}: {summary}\n")
    m = machine()
    cores = sorted({str(x.get("openblas_core")) for r in results.values() for side in ("torch", "torch_passive")
                    for x in r.get(side, [])})
    if cores and all(c == "None" for c in cores):
        print("WARNING: PyTorch did not find OpenBLAS (libblas.so.3 is another BLAS, e.g. netlib's reference libblas3):"
              " its Linear/matmul run far slower than in the peer's reference setup (OpenBLAS 0.3.21)."
              " Install it first: apt-get install -y libopenblas0-pthread\n")
    print(f"Measured {started} on {m['cpu']} ({m['cores']} cores, Linux {m['kernel']}), {m['java']}, "
          f"load average at start {' '.join(load_start)}; {args.repeats} alternated round(s), target {args.target_s} s per run.")
    print()
    train = [w for w in workloads if w != "init"]
    if train:
        print(training_table(results, train, threads))
        print()
    if "init" in workloads:
        print(init_table(results, threads))


if __name__ == "__main__":
    main()
