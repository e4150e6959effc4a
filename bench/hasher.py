#!/usr/bin/env python
"""Time and memory of one password hash: Django's default Argon2 parameters against ours.

Each configuration runs in a fresh process, so that its peak RSS is its own: the time of one
hash (median of --rounds) and, with --parallel processes hashing at once, hashes per second (a
burst of logins on this machine). Prints a Markdown table for docs/PERFORMANCE.md.

    .venv/bin/python bench/hasher.py [--rounds 20] [--parallel 2]
"""

import argparse
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "janitorial_crm.settings")

PASSWORD = "correct-horse-battery-staple"  # noqa: S105  # nosec B105
CONFIGURATIONS = {
    "Django default (m=100 MiB, t=2, p=8)": "django.contrib.auth.hashers.Argon2PasswordHasher",
    "ours (m=19 MiB, t=2, p=1)": "janitorial_crm.hashers.Argon2idPasswordHasher",
}


def _hasher(path):
    import django
    from django.utils.module_loading import import_string

    django.setup()
    return import_string(path)()


def _peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_one(path, rounds, queue):
    """In a fresh process: median seconds per hash and the peak RSS the hashing added."""
    hasher = _hasher(path)
    before = _peak_rss_mib()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        hasher.encode(PASSWORD, hasher.salt())
        times.append(time.perf_counter() - start)
    queue.put((statistics.median(times), _peak_rss_mib() - before))


def hash_for(path, seconds, queue):
    hasher = _hasher(path)
    end = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < end:
        hasher.encode(PASSWORD, hasher.salt())
        count += 1
    queue.put(count)


def in_process(target, *args):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get(timeout=600)
    process.join()
    return result


def throughput(path, parallel, seconds):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [
        context.Process(target=hash_for, args=(path, seconds, queue)) for _ in range(parallel)
    ]
    for process in processes:
        process.start()
    total = sum(queue.get(timeout=600) for _ in processes)
    for process in processes:
        process.join()
    return total / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()

    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print()
    print(
        f"| hasher | ms per hash (median of {args.rounds}) | peak RSS added, MiB | "
        f"hashes/s, {args.parallel} processes |"
    )
    print("|---|---|---|---|")
    for label, path in CONFIGURATIONS.items():
        seconds, rss = in_process(measure_one, path, args.rounds)
        rate = throughput(path, args.parallel, args.seconds)
        print(f"| {label} | {seconds * 1000:.1f} | {rss:.0f} | {rate:.1f} |")
    print()
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
