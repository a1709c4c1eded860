"""Where a server's time goes, from a py-spy collapsed-stack file (bench/load_lessons.py --py-spy DIR).

Prints the inclusive share of samples for the frames that matter to a class server (post-run GC, the
file watcher, each lesson page, figure building, protobuf/JSON serialisation), then the top functions by
inclusive share. Idle samples (threads waiting in select/epoll/sleep) are left out.

    .venv/bin/python bench/profile_summary.py profiles/shipped.txt [--top 25]
"""

import argparse
import collections
from pathlib import Path

IDLE = ("select (selectors.py", "_worker (concurrent/futures", "wait (threading.py", "epoll", "_run_once (asyncio",
        "sleep", "run_forever (asyncio", "_bootstrap (threading.py")
WATCH = {
    "post-run cleanup (_on_script_finished: gc.collect(2) when postScriptGC)": "_on_script_finished",
    "file watcher (modules of the app)": "local_sources_watcher",
    "path polling (config / secrets files)": "polling_path_watcher",
    "element ids (md5 of each figure's whole spec)": "_compute_element_id",
    "figure building (plotly)": "plotly/",
    "marshalling to protobuf": "marshall",
    "JSON encoding": "json/encoder",
    "st.cache_data hashing / pickling": "cache_utils",
}


def read_stacks(path: Path):
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            yield stack.split(";"), int(count)


def busy(frames) -> bool:
    return not any(idle in frames[-1] for idle in IDLE)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    total, inclusive, pages = 0, collections.Counter(), collections.Counter()
    watched = collections.Counter()
    for frames, count in read_stacks(args.file):
        if not busy(frames):
            continue
        total += count
        for name in set(frames):
            inclusive[name] += count
        joined = ";".join(frames)
        for label, needle in WATCH.items():
            if needle in joined:
                watched[label] += count
        page = next((f for f in frames if "pages/" in f and "ui.py" not in f), None)
        if page:
            pages[page.split("(")[1].split(":")[0].strip()] += count
    if not total:
        print("no busy samples")
        return
    print(f"{total} busy samples")
    for label, count in watched.most_common():
        print(f"  {count / total:6.1%}  {label}")
    print("by page file (inclusive):")
    for page, count in pages.most_common():
        print(f"  {count / total:6.1%}  {page}")
    print(f"top {args.top} frames (inclusive):")
    for name, count in inclusive.most_common(args.top):
        print(f"  {count / total:6.1%}  {name[:140]}")


if __name__ == "__main__":
    main()
