"""The deployment files say what a class relies on: checked by parsing them, not by reading them.

One cookie secret for all replicas, probes on /_stcore/health, cookie affinity, websocket-length
timeouts, the Serve URL the app reads, GPU requests for the models; and a rendered HAProxy config that
haproxy itself accepts. Issue 19: a class needs one PostgreSQL (a StatefulSet with a volume, its URL from a
Secret), a writable data folder, non-root containers, Ray behind a token and a NetworkPolicy; and every
manifest validates against Kubernetes' own schemas (kubernetes-validate, from PyPI).
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


def _one(kind: str, name: str | None = None) -> dict:
    found = [doc for doc in _documents() if doc["kind"] == kind and name in (None, doc["metadata"]["name"])]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
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
    secret = _one("Secret", "pixelwise-cookie-secret")
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
    deployment, service, ingress = _one("Deployment"), _one("Service", "pixelwise"), _one("Ingress")
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


def test_each_proxy_in_front_passes_the_visitor_and_the_app_believes_exactly_that_hop():
    """Rate limits count visitors (ops/shared_server.py): HAProxy appends X-Forwarded-For and up.sh declares
    one trusted hop; the Kubernetes ingress is one hop too. Without the setting a visitor's header is ignored."""
    lines = [line.split("#")[0].strip() for line in (DEPLOY / "haproxy.cfg.template").read_text().splitlines()]
    assert "option forwardfor" in lines
    assert "export PIXELWISE_TRUSTED_PROXY_HOPS=1" in (DEPLOY / "up.sh").read_text().splitlines()
    assert _env(_container())["PIXELWISE_TRUSTED_PROXY_HOPS"]["value"] == "1"


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


# -- issue 19: manifests that hold a class ----------------------------------------------------------------
@pytest.fixture
def kubernetes_validate():
    return pytest.importorskip("kubernetes_validate", reason="kubernetes-validate is in requirements-dev.txt")


CUSTOM = {"RayService"}  # KubeRay's resource: no schema ships with Kubernetes; its pod templates are checked


def _pod_templates() -> list[tuple[str, dict]]:
    """(where, pod template) of every pod the manifests run, KubeRay's included."""
    found = []
    for doc in _documents():
        spec = doc.get("spec", {})
        if "template" in spec:
            found.append((doc["metadata"]["name"], spec["template"]))
        ray = spec.get("rayClusterConfig")
        if ray:
            found.append(("ray-head", ray["headGroupSpec"]["template"]))
            found += [(f"ray-{g['groupName']}", g["template"]) for g in ray["workerGroupSpecs"]]
    return found


def test_every_manifest_validates_against_the_kubernetes_schema(kubernetes_validate):
    version = kubernetes_validate.latest_version()
    kinds = set()
    for doc in _documents():
        kinds.add(doc["kind"])
        if doc["kind"] in CUSTOM:
            continue
        kubernetes_validate.validate(doc, version, strict=True)  # raises ValidationError with the path
    for where, template in _pod_templates():  # KubeRay's pods too, as the PodTemplate they are
        kubernetes_validate.validate({"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": where},
                                      "template": template}, version, strict=True)
    assert {"Deployment", "StatefulSet", "Service", "Secret", "NetworkPolicy", "Ingress"} <= kinds


def test_the_validator_catches_a_broken_manifest(kubernetes_validate):
    broken = dict(_one("Deployment"))
    broken["spec"] = {**broken["spec"], "replicas": "four"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, kubernetes_validate.latest_version(), strict=True)


def test_every_replica_shares_one_postgresql_whose_url_is_a_secret():
    """Without a database URL each replica kept its own SQLite file: a student on another replica than the
    teacher's got "no class with this code"."""
    url = _env(_container())["PIXELWISE_DATABASE_URL"]
    assert "value" not in url
    ref = url["valueFrom"]["secretKeyRef"]
    secret = _one("Secret", ref["name"])
    assert secret["stringData"][ref["key"]].startswith("postgresql://")
    database = _one("StatefulSet")
    service = _one("Service", database["spec"]["serviceName"])
    assert f"@{service['metadata']['name']}:5432/" in secret["stringData"][ref["key"]]
    assert service["spec"]["selector"].items() <= database["spec"]["template"]["metadata"]["labels"].items()
    (claim,) = database["spec"]["volumeClaimTemplates"]
    (container,) = database["spec"]["template"]["spec"]["containers"]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert mounts[claim["metadata"]["name"]] == "/var/lib/postgresql/data"
    password = _env(container)["POSTGRES_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert password["name"] == ref["name"] and password["key"] in secret["stringData"]


def test_the_app_has_a_writable_data_folder_and_runs_as_non_root():
    """The container user has no home: the default data folder could not be created."""
    pod = _one("Deployment")["spec"]["template"]["spec"]
    container = _container()
    env = {k: v.get("value") for k, v in _env(container).items()}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    for variable in ("HOME", "PIXELWISE_DATA_DIR", "TORCH_HOME"):
        folder = next(path for path in mounts if env[variable].startswith(path))
        assert "emptyDir" in volumes[mounts[folder]] or "persistentVolumeClaim" in volumes[mounts[folder]]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    uid = re.search(r"useradd --uid (\d+)", (DEPLOY / "Dockerfile").read_text()).group(1)
    assert str(pod["securityContext"]["runAsUser"]) == uid


def test_every_pod_runs_as_non_root_without_privilege_escalation():
    for where, template in _pod_templates():
        spec = template["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True, where
        assert spec["securityContext"]["runAsUser"] != 0, where
        for container in spec["containers"]:
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, where
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"], where


def test_ray_takes_only_its_token_and_only_the_apps_pods():
    ray = _one("RayService")["spec"]["rayClusterConfig"]
    templates = [ray["headGroupSpec"]["template"]] + [g["template"] for g in ray["workerGroupSpecs"]]
    clients = [_container()] + [c for t in templates for c in t["spec"]["containers"]]
    for container in clients:  # every node and every client: token mode, the same token from one Secret
        env = _env(container)
        assert env["RAY_AUTH_MODE"]["value"] == "token"
        ref = env["RAY_AUTH_TOKEN"]["valueFrom"]["secretKeyRef"]
        assert ref["key"] in _one("Secret", ref["name"])["stringData"]
    policy = _one("NetworkPolicy", "pixelwise-ray")
    selected = policy["spec"]["podSelector"]["matchLabels"].items()
    assert all(selected <= t["metadata"]["labels"].items() for t in templates), "the policy covers every Ray pod"
    sources = [peer.get("podSelector", {}).get("matchLabels") for rule in policy["spec"]["ingress"]
               for peer in rule["from"]]
    assert sorted(map(str, sources)) == sorted(map(str, [_one("Service", "pixelwise")["spec"]["selector"],
                                                         dict(selected)])), "the app's replicas and Ray itself"
    assert not any("ipBlock" in peer or "namespaceSelector" in peer for rule in policy["spec"]["ingress"]
                   for peer in rule["from"]), "nothing outside the app and Ray itself"
    assert policy["spec"]["policyTypes"] == ["Ingress"]


def test_the_app_runs_in_shared_server_mode_with_the_admin_token_from_a_secret():
    from ops.shared_server import ADMIN_TOKEN_ENV

    ref = _env(_container())[ADMIN_TOKEN_ENV]["valueFrom"]["secretKeyRef"]
    assert ref["key"] in _one("Secret", ref["name"])["stringData"]
