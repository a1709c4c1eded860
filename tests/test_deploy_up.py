"""deploy/up.sh and down.sh for real: two Streamlit replicas behind HAProxy on loopback.

Checks health through the proxy, the affinity cookie, that a sticky client keeps its replica and is
redispatched when that replica dies, then that down.sh leaves none of the recorded pids running.
"""

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.local_server import free_port

ROOT = Path(__file__).resolve().parent.parent
HAPROXY = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
pytestmark = pytest.mark.skipif(HAPROXY is None, reason="needs Debian's haproxy (apt-get install haproxy)")


def _running(pid: int) -> bool:
    """Alive and not a zombie (an unreaped child of init has finished all the same)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _get(port: int, path: str, cookie: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    state = tmp_path_factory.mktemp("deploy-state")
    port = free_port()
    env = {**os.environ, "PYTHON": sys.executable, "HAPROXY": HAPROXY}
    env.pop("PIXELWISE_SERVE_URL", None)
    up = subprocess.run([str(ROOT / "deploy/up.sh"), "--replicas", "2", "--port", str(port), "--state", str(state)],
                        env=env, capture_output=True, text=True, timeout=300, check=False)
    try:
        assert up.returncode == 0, up.stderr[-2000:]
        yield {"port": port, "state": state, "url": up.stdout.strip().splitlines()[-1]}
    finally:
        subprocess.run([str(ROOT / "deploy/down.sh"), "--state", str(state)], timeout=60, capture_output=True,
                       check=False)


def _pids(state: Path) -> dict[str, int]:
    return {f.stem: int(f.read_text().split()[0]) for f in (state / "pids").glob("*.pid")}


def test_the_last_line_is_the_url_and_the_proxy_is_healthy(cluster):
    assert cluster["url"] == f"http://127.0.0.1:{cluster['port']}"
    response, body = _get(cluster["port"], "/_stcore/health")
    assert response.status == 200 and body == b"ok"


def test_every_replica_shares_one_cookie_secret_from_the_state_dir(cluster):
    secret = (cluster["state"] / "cookie_secret").read_text().strip()
    assert len(secret) >= 32
    for name, pid in _pids(cluster["state"]).items():
        if name.startswith("replica-"):
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert f"STREAMLIT_SERVER_COOKIE_SECRET={secret}".encode() in environ


def test_the_replicas_share_the_cores_instead_of_each_spinning_on_all(cluster):
    cores = os.cpu_count() or 1
    expected = os.environ.get("OMP_NUM_THREADS") or str(max(1, cores // 2))
    for name, pid in _pids(cluster["state"]).items():
        if name.startswith("replica-"):
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert f"OMP_NUM_THREADS={expected}".encode() in environ, name


def test_the_affinity_cookie_is_set_and_keeps_a_client_on_its_replica(cluster):
    response, _ = _get(cluster["port"], "/")
    cookie = response.getheader("Set-Cookie", "")
    assert cookie.startswith("PIXELWISE=r") and "HttpOnly" in cookie
    sticky = cookie.split(";")[0]
    for _ in range(4):  # with the cookie, no new one is set: the same replica answers
        again, _ = _get(cluster["port"], "/", sticky)
        assert again.status == 200 and again.getheader("Set-Cookie") is None


def test_a_killed_replica_is_taken_out_and_its_clients_served_by_the_other(cluster):
    response, _ = _get(cluster["port"], "/")
    sticky = response.getheader("Set-Cookie").split(";")[0]  # PIXELWISE=r1 or r2
    victim = _pids(cluster["state"])[f"replica-{sticky.split('=r')[1]}"]
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while True:  # served again within 10 s, through the proxy, with the old cookie
        try:
            answer, body = _get(cluster["port"], "/_stcore/health", sticky)
            if answer.status == 200 and body == b"ok":
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, "not served again within 10 s"
        time.sleep(0.2)


def test_down_stops_every_recorded_pid(cluster):
    pids = _pids(cluster["state"])
    assert {"haproxy", "replica-1", "replica-2"} <= set(pids)
    done = subprocess.run([str(ROOT / "deploy/down.sh"), "--state", str(cluster["state"])],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert not [name for name, pid in pids.items() if _running(pid)]
    assert not list((cluster["state"] / "pids").glob("*.pid"))


@pytest.mark.ray
def test_up_with_ray_serves_segmentations_and_down_stops_ray_too(tmp_path, shared_weights, shared_images):
    pytest.importorskip("ray.serve", reason="Ray is an optional extra: pip install -r requirements-ray.txt")
    import numpy as np
    from PIL import Image

    from ops.serving.client import post_photo, served_models

    port = free_port()
    env = {**os.environ, "PYTHON": sys.executable, "HAPROXY": HAPROXY, "PIXELWISE_WEIGHTS": str(shared_weights)}
    up = subprocess.run([str(ROOT / "deploy/up.sh"), "--replicas", "1", "--port", str(port), "--ray",
                         "--state", str(tmp_path)], env=env, capture_output=True, text=True, timeout=400, check=False)
    try:
        assert up.returncode == 0, up.stderr[-2000:]
        assert up.stdout.strip().splitlines()[-1] == f"http://127.0.0.1:{port}"
        url = (tmp_path / "serve_url").read_text().strip()
        assert url.startswith("http://127.0.0.1:")
        model = served_models(url)[0]
        photo = np.asarray(Image.open(shared_images / "jetson_dog_1.jpg").convert("RGB"))
        assert post_photo(url, model, photo)["labels"].shape == photo.shape[:2]
        replica = _pids(tmp_path)["replica-1"]
        environ = Path(f"/proc/{replica}/environ").read_bytes().split(b"\0")
        assert f"PIXELWISE_SERVE_URL={url}".encode() in environ
        pids = _pids(tmp_path)
        assert "ray-head" in pids and len(pids) > 4  # head, its daemons and Serve's actors are all recorded
        workers = [pid for pid in pids.values() if _running(pid)
                   and Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"ray::")]
        assert workers, "no Ray worker (ray::...) among the recorded processes"
        # the model replica and Serve's proxy at the app replicas' priority, not Ray's default nice 15
        assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in workers} == {0}
    finally:
        subprocess.run([str(ROOT / "deploy/down.sh"), "--state", str(tmp_path)], timeout=90, capture_output=True,
                       check=False)
    left = {name: Path(f"/proc/{pid}/cmdline").read_bytes()[:80] for name, pid in pids.items() if _running(pid)}
    assert not left
