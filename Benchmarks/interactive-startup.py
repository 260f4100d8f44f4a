#!/usr/bin/env python3
"""Time from start to the first prompt at a real terminal (a pty): curate, which loads its
history and reads the catalog for completion before the first prompt, against psql, which loads
its history. Both against the same server; median of N runs. Python standard library only.

    Benchmarks/interactive-startup.py --host SOCKETDIR --user USER --dbname DB [--runs 20] [--curate PATH]
"""
import argparse, os, pty, select, statistics, time

def time_to_prompt(argv, marker, env):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, env)
    seen = b""
    elapsed = None
    deadline = start + 20
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
            if marker in seen:
                elapsed = time.perf_counter() - start
                break
    os.write(fd, b"\\q\r")
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", default="5432")
    parser.add_argument("--user", required=True)
    parser.add_argument("--dbname", required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--curate", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "curate"))
    args = parser.parse_args()
    home = os.path.join("/tmp", "curate-startup-home")
    os.makedirs(home, exist_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "xterm", "HOME": home, "PAGER": "cat"}
    connection = ["-h", args.host, "-p", args.port, "-U", args.user, "-d", args.dbname]
    tools = [("psql", ["psql", "-X"] + connection), ("curate", [args.curate, "-X"] + connection)]
    results = {}
    for _ in range(args.runs):
        for name, argv in tools:
            value = time_to_prompt(argv, (args.dbname + "=").encode(), env)
            if value is not None:
                results.setdefault(name, []).append(value)
    print("| tool | time to first prompt, median of %d (ms) |" % args.runs)
    print("| --- | ---: |")
    for name, _ in tools:
        values = results.get(name, [])
        print("| %s | %s |" % (name, "%.1f" % (statistics.median(values) * 1000) if values else "n/a"))
    if "psql" in results and "curate" in results:
        ratio = statistics.median(results["curate"]) / statistics.median(results["psql"])
        print("\ncurate / psql = %.2f (target: at most 1.5)" % ratio)

if __name__ == "__main__":
    main()
