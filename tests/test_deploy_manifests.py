"""The deployment files say what a class relies on: checked by parsing them, not by reading them.

One cookie secret for all replicas, probes on /_stcore/health, cookie affinity, websocket-length
timeouts, the Serve URL the app reads, GPU requests for the models; and a rendered HAProxy config that
haproxy itself accepts.
"""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="pyyaml is in requirements-dev.txt")

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"


def _documents() -> list[dict]:
    return [doc for path in sorted(K8S.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if doc]


def _one(kind: str) -> dict:
    found = [doc for doc in _documents() if doc["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def _container() -> dict:
    (container,) = _one("Deployment")["spec"]["template"]["spec"]["containers"]
    return container


def _env(container: dict) -> dict:
    return {item["name"]: item for item in container["env"]}


def _seconds(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([smhd]?)", value).groups()
    return int(number) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def test_every_replica_reads_the_same_cookie_secret_from_one_secret():
    secret = _one("Secret")
    deployment = _one("Deployment")
    assert deployment["spec"]["replicas"] >= 2
    ref = _env(_container())["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]["secretKeyRef"]
    assert ref["name"] == secret["metadata"]["name"]
    assert ref["key"] in secret["stringData"]
    assert "value" not in _env(_container())["STREAMLIT_SERVER_COOKIE_SECRET"]  # never inline in the manifest
    assert "COOKIE_SECRET=" not in (DEPLOY / "Dockerfile").read_text()  # nor baked into the image


def test_probes_are_on_streamlit_health_and_resources_are_bounded():
    container = _container()
    port_names = {port["name"]: port["containerPort"] for port in container["ports"]}
    for probe in ("readinessProbe", "livenessProbe"):
        check = container[probe]["httpGet"]
        assert check["path"] == "/_stcore/health"
        assert check["port"] in port_names or check["port"] in port_names.values()
    for part in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][part])


def test_torch_threads_fit_in_the_replicas_cpu_limit():
    """A container sees every core of its node: without OMP_NUM_THREADS torch would spin on all of them."""
    container = _container()
    env = {e["name"]: e.get("value") for e in container["env"]}
    cpu = str(container["resources"]["limits"]["cpu"])  # "2" or "1500m"
    limit = float(cpu[:-1]) / 1000 if cpu.endswith("m") else float(cpu)
    assert 1 <= int(env["OMP_NUM_THREADS"]) <= max(1, limit)


def test_the_service_and_ingress_reach_the_replicas():
    deployment, service, ingress = _one("Deployment"), _one("Service"), _one("Ingress")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    target_ports = {port["targetPort"] for port in service["spec"]["ports"]}
    assert target_ports <= {port["name"] for port in _container()["ports"]}
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]


def test_the_ingress_has_cookie_affinity_and_websocket_timeouts():
    notes = _one("Ingress")["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"  # not IP: a class behind one NAT shares one address
    assert notes[prefix + "session-cookie-name"]
    assert not any("upstream-hash-by" in key for key in notes)
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(notes[prefix + timeout]) >= 3600


def test_the_app_points_at_the_serve_service_that_kuberay_creates():
    service = _one("RayService")
    name = service["metadata"]["name"]
    config = yaml.safe_load(service["spec"]["serveConfigV2"])
    port = config["http_options"]["port"]
    env = _env(_container())
    assert env["PIXELWISE_SERVE_URL"]["value"] == f"http://{name}-serve-svc:{port}"
    assert env["PIXELWISE_RAY_ADDRESS"]["value"] == f"{name}-head-svc:6379"


def test_each_model_is_one_serve_application_with_a_bounded_queue_and_a_gpu_share():
    from ops.segmentation.registry import MODELS

    service = _one("RayService")
    config = yaml.safe_load(service["spec"]["serveConfigV2"])
    source = ast.parse((ROOT / "ops/serving/serve_app.py").read_text())
    defined = {node.name for node in source.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
    assert config["applications"]
    for app in config["applications"]:
        model = app["args"]["model"]
        assert model in MODELS and MODELS[model].task == "semantic"
        assert app["route_prefix"] == f"/{model}"  # where ops.serving.client sends the photo
        module, attribute = app["import_path"].split(":")
        assert module == "ops.serving.serve_app" and attribute in defined
        (deployment,) = app["deployments"]
        assert deployment["name"] == f"segment-{model}"  # the name build_app gives it
        assert 0 < deployment["max_queued_requests"] <= 1000
        assert 0 < deployment["ray_actor_options"]["num_gpus"] < 1
    gpus = [group["template"]["spec"]["containers"][0]["resources"]["limits"].get("nvidia.com/gpu")
            for group in service["spec"]["rayClusterConfig"]["workerGroupSpecs"]]
    assert any(gpus)


def test_the_haproxy_template_is_sticky_by_cookie_with_health_checks_and_long_tunnels():
    text = (DEPLOY / "haproxy.cfg.template").read_text()
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    assert "cookie PIXELWISE insert indirect nocache httponly" in lines
    assert "option httpchk GET /_stcore/health" in lines
    assert "balance source" not in lines  # IP affinity would put a whole NAT-ed class on one replica
    assert "option redispatch" in lines
    tunnel = next(line for line in lines if line.startswith("timeout tunnel"))
    assert _seconds(tunnel.split()[-1]) >= 3600
    assert "bind @BIND@" in lines and "@SERVERS@" in lines


def test_up_sh_starts_replicas_on_loopback_with_production_flags():
    text = (DEPLOY / "up.sh").read_text()
    for flag in ("--server.address 127.0.0.1", "--server.runOnSave false", "--server.fileWatcherType none",
                 "--server.headless true", "--server.enableXsrfProtection true", "MALLOC_ARENA_MAX=2"):
        assert flag in text
    assert 'bind="127.0.0.1:$PORT"' in text
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in text
    assert "pkill" not in text and "killall" not in text
    assert "pkill" not in (DEPLOY / "down.sh").read_text() and "ray stop" not in (DEPLOY / "down.sh").read_text()


@pytest.mark.skipif(not shutil.which("haproxy") and not Path("/usr/sbin/haproxy").exists(),
                    reason="needs Debian's haproxy to validate the rendered config")
def test_a_rendered_config_is_valid_for_haproxy(tmp_path):
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    text = (DEPLOY / "haproxy.cfg.template").read_text()
    servers = "".join(f"    server r{i} 127.0.0.1:{9000 + i} check cookie r{i}\n" for i in (1, 2))
    rendered = text.replace("@BIND@", "127.0.0.1:9999").replace("@SERVERS@\n", servers)
    (tmp_path / "haproxy.cfg").write_text(rendered)
    check = subprocess.run([binary, "-c", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True,
                           timeout=30, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
