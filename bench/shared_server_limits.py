"""Issue 19's shared-server figures, on 2 replicas behind HAProxy sharing PostgreSQL in shared-server mode
($PIXELWISE_SHARED_ADMIN_TOKEN set, no model weights on disk):

1. a visitor presses a model's Download on the live demo without the admin token: the page refuses with
   its message (and nothing is fetched);
2. one client tries to start 100 classes within a minute, alternately on r1 and r2 (HAProxy's affinity
   cookie), each try a fresh tab pressing "Start a class now": how many the pages made and refused, against
   the documented rate (ops/shared_server.py LIMITS); the counts are shared through the class database, so
   two replicas give the client the documented rate, not twice it.

Everything goes through the pages over the browser's protocol (bench/ws_session.py); loopback only, every
process stopped by pid. PostgreSQL: $PIXELWISE_TEST_POSTGRES_URL or a throwaway cluster of its own.

    .venv/bin/python bench/shared_server_limits.py
"""

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.class_protocol import AFFINITY_COOKIE, KEYS, catalog_pattern, texts  # noqa: E402
from bench.replica_cluster import fresh_database, postgres_server, replicas  # noqa: E402
from bench.ws_session import Session, SessionError  # noqa: E402
from harness.stored import rows  # noqa: E402
from lessons import i18n  # noqa: E402
from ops.shared_server import ADMIN_TOKEN_ENV, LIMITS  # noqa: E402

DOWNLOAD_KEY = "live-demo.download."  # pages/live_demo.py: one Download button per missing model
TOO_OFTEN = catalog_pattern("shared.too_often.class", "count", "minutes", "seconds")


async def visitor_download(base: str) -> tuple[bool, str]:
    """(refused with the admin-only message, what the page said) for a visitor pressing Download."""
    session = Session(base, timeout=180, cookies={AFFINITY_COOKIE: "r1"})
    await session.connect()
    await session.open("live_demo")
    buttons = [proto for _, proto in session.widgets("button") if "-" + DOWNLOAD_KEY in proto.id]
    if not buttons:
        await session.close()
        return False, "no Download button on the live demo (are weights present?)"
    run = await session.click(buttons[0])
    said = [t for t in run.texts if t == i18n.t("shared.download_admin_only", "en")]
    await session.close()
    return bool(said) and not run.exceptions, (said or run.texts or ["(nothing)"])[0]


async def start_class(base: str, replica: str) -> tuple[str, str]:
    """One fresh tab on `replica` presses "Start a class now": ("made" | "refused" | "error", detail)."""
    session = Session(base, timeout=120, cookies={AFFINITY_COOKIE: replica})
    try:
        await session.connect()
        await session.open("class_teacher")
        run = await session.click(session.find("button", key=KEYS["start"]))
        shown = texts(session)
        refused = next((TOO_OFTEN.search(t) for t in shown if TOO_OFTEN.search(t)), None)
        if refused:
            return "refused", f"wait {refused.group(3)} s"
        if any('class="pixelwise-code"' in t for t in shown) and not run.exceptions:
            return "made", ""
        return "error", "; ".join(run.exceptions or shown[:2])[:160]
    except SessionError as error:
        return "error", str(error)[:160]
    finally:
        await session.close()


async def class_creations(base: str, tries: int, spread_s: float, concurrency: int):
    gate = asyncio.Semaphore(concurrency)
    start = time.monotonic()

    async def one(index: int):
        await asyncio.sleep(index * spread_s / tries)  # evenly over the minute, a few tabs at once at most
        async with gate:
            replica = "r1" if index % 2 == 0 else "r2"
            outcome, detail = await start_class(base, replica)
            return replica, outcome, detail, time.monotonic() - start

    return await asyncio.gather(*(one(i) for i in range(tries)))


def _uses(database: str) -> list[tuple[str, str, int]]:
    return rows(database, "SELECT action, client, count(*) FROM rate_uses GROUP BY action, client")


async def run(args, base: str, database: str) -> int:
    refused, said = await visitor_download(base)
    print("== 3a. a visitor's download on a shared server ==")
    print(f"refused with a message: {refused}; the page said: {said!r}")

    results = await class_creations(base, args.tries, args.spread, args.concurrency)
    limit = LIMITS["class"]
    made = [r for r in results if r[1] == "made"]
    refusals = [r for r in results if r[1] == "refused"]
    errors = [r for r in results if r[1] == "error"]
    print(f"== 3b. {args.tries} class creations from one client within {max(r[3] for r in results):.0f} s, "
          f"alternately on r1 and r2 ==")
    print(f"documented rate: {limit.count} classes per {limit.window_s / 60:.0f} minutes per client")
    print(f"made {len(made)} (r1 {sum(r[0] == 'r1' for r in made)}, r2 {sum(r[0] == 'r2' for r in made)}); "
          f"refused with the limit and the wait {len(refusals)}; errors {len(errors)}")
    if refusals:
        print(f"first refusal: try {results.index(refusals[0]) + 1}, {refusals[0][2]}; last: {refusals[-1][2]}")
    for detail in sorted({r[2] for r in errors})[:3]:
        print(f"  error: {detail}")
    print(f"counts in the class database (action, client, uses): {_uses(database)}")
    ok = refused and len(made) == limit.count and len(refusals) == args.tries - limit.count
    print(f"limited to the documented rate across both replicas: {'YES' if ok else 'NO'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=100)
    parser.add_argument("--spread", type=float, default=55.0, help="seconds the tries are spread over")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    if not 1 <= args.tries <= 200:
        parser.error("--tries: 1 to 200")
    print(f"load before: {' '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    empty = tempfile.mkdtemp(prefix="pixelwise-no-weights-")
    env = {ADMIN_TOKEN_ENV: secrets.token_hex(16), "PIXELWISE_WEIGHTS": empty, "TORCH_HOME": empty}
    with postgres_server() as admin_url, fresh_database(admin_url) as database, \
            replicas(database, 2, extra_env=env) as (base, _state):
        return asyncio.run(asyncio.wait_for(run(args, base, database), 600))


if __name__ == "__main__":
    sys.exit(main())
