#!/usr/bin/env python3
"""Crash-recovery soak: kill -9 a daemon worker N times (default 100) at random moments.

Every restart must resume from a valid checkpoint, and the run's final state must equal an
uninterrupted run of the same manifest (same state hash, same metric stream). Uses only the
standard library and the real `emergence` executable.

    tools/soak/crash_recovery.py [--kills 100] [--seed 1] [--keep]
"""
import argparse, json, os, random, shutil, signal, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EMERGENCE = os.path.join(ROOT, "emergence")
FIXTURES = os.path.join(ROOT, "artifacts", "fixtures")

MANIFEST = """experiment: soak
plugin: fixture-daemon
seed: 17
model: {{state_floats: 4096}}
trainer: {{step_delay_ms: 2}}
strategies: {{increment: random}}
metrics: {{every: 1}}
checkpoint: {{every_steps: 10, keep_last: 3}}
stop: {{max_steps: {steps}}}
daemon: {{enabled: true, max_restarts: 1000000, backoff_initial: 0.05s, backoff_max: 0.2s}}
"""


def api(url, path):
    with urllib.request.urlopen(url + path, timeout=30) as r:
        return json.load(r)


def wait(what, cond, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        try:
            value = cond()
            if value:
                return value
        except (OSError, ValueError, KeyError, TypeError):
            pass
        time.sleep(0.05)
    sys.exit(f"timed out waiting until {what}")


def state_hash(run_dir):
    out = subprocess.run([EMERGENCE, "inspect", run_dir, "--hash"], capture_output=True, text=True, check=True).stdout
    return out.split()[0]


def metrics(run_dir):
    with open(os.path.join(run_dir, "metrics.csv")) as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the temporary root")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    steps = max(600, args.kills * 60)
    root = tempfile.mkdtemp(prefix="emergence-soak-")
    os.makedirs(os.path.join(root, "experiments"))
    with open(os.path.join(root, "experiments", "soak.yaml"), "w") as f:
        f.write(MANIFEST.format(steps=steps))
    subprocess.run([EMERGENCE, "plugins"], capture_output=True, check=True, cwd=ROOT)  # builds if needed
    daemon = subprocess.Popen([EMERGENCE, "daemon", "--root", root, "--listen", "127.0.0.1:0", "--plugins", FIXTURES],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(root, "daemon.err"), "w"))
    try:
        endpoint = os.path.join(root, ".emergence", "daemon.json")
        url = wait("the daemon starts", lambda: json.load(open(endpoint))["url"] if os.path.exists(endpoint) else None)
        kills, started = 0, time.time()
        while kills < args.kills:
            exp = wait("the worker runs", lambda: (lambda e: e if e.get("pid") and e.get("state") == "running" else None)(
                api(url, "/api/experiments/soak")))
            if exp["state"] == "completed":
                break
            time.sleep(rng.uniform(0.05, 0.6))
            exp = api(url, "/api/experiments/soak")
            if exp.get("state") == "completed":
                break
            if not exp.get("pid"):
                continue
            try:
                os.kill(exp["pid"], signal.SIGKILL)
            except ProcessLookupError:
                continue
            kills += 1
            killed = exp["pid"]
            wait("a new worker replaces the killed one",
                 lambda: (lambda e: e["state"] == "completed" or (e.get("pid") and e["pid"] != killed))(api(url, "/api/experiments/soak")))
        final = wait("the run completes", lambda: (lambda e: e if e["state"] == "completed" else None)(api(url, "/api/experiments/soak")), 600)
        elapsed = time.time() - started
        run_dir = final["run_dir"]
        straight_root = os.path.join(root, "straight")
        subprocess.run([EMERGENCE, "run", os.path.join(root, "experiments", "soak.yaml"), "--runs", straight_root, "--run-id", "s", "-q",
                        "--plugins", FIXTURES, "--set", "trainer.step_delay_ms=0"], check=True, capture_output=True)
        straight = os.path.join(straight_root, "soak", "s")
        same_hash = state_hash(run_dir) == state_hash(straight)
        same_metrics = metrics(run_dir) == metrics(straight)
        print(f"kills: {kills}; restarts recorded by the daemon: {final['restarts']}; steps: {steps}; wall time {elapsed:.0f} s")
        print(f"final state hash equals an uninterrupted run: {same_hash}")
        print(f"metric stream equals an uninterrupted run (no step lost or repeated): {same_metrics}")
        ok = same_hash and same_metrics and final["restarts"] == kills
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(60)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"kept {root}")


if __name__ == "__main__":
    sys.exit(main())
