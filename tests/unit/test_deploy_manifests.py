"""The Kubernetes manifests in deploy/k8s, rendered offline, run each service safely.

The prod overlay is rendered by tools/validate_deploy.py (no kubectl) and checked
against the settings the code reads; a broken copy shows the validation can fail.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest

from services.app import registrations
from services.common.settings import SERVICES, Settings
from tools import validate_deploy as vd

# The gRPC services each process serves (registering touches no database).
SERVED = {
    name: {r.full_name for r in registrations(name, lambda: None, Settings.from_env({}))}  # type: ignore[arg-type, return-value]
    for name in SERVICES
}

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def prod() -> list[Doc]:
    return vd.render(vd.OVERLAYS / "prod")


def find(docs: list[Doc], kind: str, name: str) -> Doc:
    (doc,) = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return doc


def config(docs: list[Doc]) -> dict[str, str]:
    return dict(find(docs, "ConfigMap", "ccperf-config")["data"])


def pod_labels(deployment: Doc) -> dict[str, str]:
    return dict(deployment["spec"]["template"]["metadata"]["labels"])


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return selector.items() <= labels.items()


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_overlay_renders_and_passes_strict_validation(overlay: str) -> None:
    docs, errors = vd.check_overlay(vd.OVERLAYS / overlay)
    assert errors == []
    assert {d["kind"] for d in docs} >= {"Deployment", "Service", "Job", "NetworkPolicy"}


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_deployment_is_served_probed_and_locked_down(
    prod: list[Doc], service: str
) -> None:
    settings = config(prod)
    port = int(settings[f"CCPERF_{service.upper()}_PORT"])
    deployment = find(prod, "Deployment", f"ccperf-{service}")
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]

    assert [*container.get("command", []), *container["args"]] == ["serve", service]
    assert {"name": "grpc", "containerPort": port, "protocol": "TCP"} in container["ports"]
    for probe in ("startupProbe", "livenessProbe"):
        assert container[probe]["grpc"] == {"port": port}, probe
    # Readiness asks for the service the database probe marks NOT_SERVING in an outage.
    ready = container["readinessProbe"]["grpc"]
    assert ready == {"port": port, "service": ready["service"]}
    assert ready["service"] in SERVED[service]
    assert find(prod, "Service", f"ccperf-{service}")["spec"]["ports"][0]["name"] == "grpc"

    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["runAsNonRoot"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    assert {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}} in pod["volumes"]
    # Service links would set CCPERF_<SERVICE>_PORT=tcp://... in every pod.
    assert pod["enableServiceLinks"] is False

    drain = float(settings["CCPERF_SHUTDOWN_DELAY"]) + float(settings["CCPERF_SHUTDOWN_GRACE"])
    assert pod["terminationGracePeriodSeconds"] >= drain
    # Liveness must not kill a pod that is draining (NOT_SERVING) after SIGTERM.
    liveness = container["livenessProbe"]
    assert liveness["periodSeconds"] * liveness["failureThreshold"] > drain
    assert container["resources"]["requests"] and container["resources"]["limits"]


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_an_hpa_a_pdb_and_a_network_policy(prod: list[Doc], service: str) -> None:
    name = f"ccperf-{service}"
    labels = pod_labels(find(prod, "Deployment", name))
    port = int(config(prod)[f"CCPERF_{service.upper()}_PORT"])

    hpa = find(prod, "HorizontalPodAutoscaler", name)
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": name,
    }
    assert hpa["spec"]["minReplicas"] >= 3

    pdb = find(prod, "PodDisruptionBudget", name)
    assert selects(pdb["spec"]["selector"]["matchLabels"], labels)

    policy = find(prod, "NetworkPolicy", name)
    assert selects(policy["spec"]["podSelector"]["matchLabels"], labels)
    assert policy["spec"]["policyTypes"] == ["Ingress"]
    (rule,) = policy["spec"]["ingress"]
    assert rule["ports"] == [{"protocol": "TCP", "port": port}]
    assert rule["from"], "an ingress rule without `from` would admit everyone"


def test_ingress_is_denied_by_default_and_only_named_callers_reach_each_port(
    prod: list[Doc],
) -> None:
    deny = find(prod, "NetworkPolicy", "ccperf-default-deny-ingress")["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress"]}

    def callers(service: str) -> list[dict[str, str]]:
        (rule,) = find(prod, "NetworkPolicy", f"ccperf-{service}")["spec"]["ingress"]
        return [peer["podSelector"]["matchLabels"] for peer in rule["from"]]

    part_of = "app.kubernetes.io/part-of"
    assert callers("payroll") == [{part_of: "payroll-system"}]
    payroll_pods = pod_labels(find(prod, "Deployment", "ccperf-payroll"))
    assert [peer for peer in callers("appraisal") if not selects(peer, payroll_pods)] == [
        {part_of: "hr-portal"}, {part_of: "hris"}
    ]  # fmt: skip
    assert any(selects(peer, payroll_pods) for peer in callers("appraisal"))
    appraisal_pods = pod_labels(find(prod, "Deployment", "ccperf-appraisal"))
    assert any(selects(peer, appraisal_pods) for peer in callers("metrics"))
    assert {part_of: "cc-ingest"} in callers("metrics")


def test_settings_are_non_secret_and_secrets_are_only_referenced(prod: list[Doc]) -> None:
    settings = config(prod)
    assert settings["CCPERF_ENV"] == "prod"
    assert settings["CCPERF_LOG_FORMAT"] == "json"
    assert settings["CCPERF_HOST"] == "0.0.0.0"
    assert (settings["CCPERF_SHUTDOWN_DELAY"], settings["CCPERF_SHUTDOWN_GRACE"]) == ("5", "20")
    assert not any("SECRET" in key or "DATABASE_URL" in key for key in settings)
    # Services find each other through their Kubernetes Services.
    assert settings["CCPERF_METRICS_TARGET"] == "ccperf-metrics:50051"
    assert settings["CCPERF_APPRAISAL_TARGET"] == "ccperf-appraisal:50052"
    assert not [d for d in prod if d["kind"] == "Secret"]

    for container in vd.containers(prod):
        env = {e["name"]: e for e in container["env"]}
        assert {"configMapRef": {"name": "ccperf-config"}} in container["envFrom"]
        for name in ("DATABASE_URL", "CCPERF_JWT_PUBLIC_KEY", "CCPERF_CALLER_HASH_KEY"):
            assert "value" not in env[name]
            ref = env[name]["valueFrom"]["secretKeyRef"]
            assert ref["name"] == "ccperf-secrets"
            assert not ref.get("optional", False), "prod must not start without its secrets"


def test_the_migration_job_runs_migrate_once(prod: list[Doc]) -> None:
    job = find(prod, "Job", "ccperf-migrate")
    pod = job["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert [*container.get("command", []), *container["args"]] == ["migrate"]
    assert pod["restartPolicy"] == "Never"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["securityContext"]["runAsNonRoot"] is True


def test_prod_pins_the_image_and_dev_is_one_small_dev_replica(prod: list[Doc]) -> None:
    for container in vd.containers(prod):
        name, tag = vd.split_image(container["image"])
        assert name != "ccperf" and tag not in ("", ":latest"), container["image"]

    dev = vd.render(vd.OVERLAYS / "dev")
    assert config(dev)["CCPERF_ENV"] == "dev"
    for service in SERVICES:
        assert find(dev, "Deployment", f"ccperf-{service}")["spec"]["replicas"] == 1
        assert find(dev, "HorizontalPodAutoscaler", f"ccperf-{service}")["spec"]["minReplicas"] == 1


def test_an_unknown_field_fails_validation(prod: list[Doc]) -> None:
    broken = copy.deepcopy(find(prod, "Deployment", "ccperf-payroll"))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["grpcc"] = {"port": 1}
    errors = vd.schema_errors([broken])
    assert len(errors) == 1 and "grpcc" in errors[0]

    wrong_type = copy.deepcopy(find(prod, "ConfigMap", "ccperf-config"))
    wrong_type["data"]["CCPERF_PAYROLL_PORT"] = 50053
    assert vd.schema_errors([wrong_type])


def test_a_broken_base_fails_the_overlay_check(tmp_path: Path) -> None:
    shutil.copytree(vd.K8S, tmp_path / "k8s")
    base = tmp_path / "k8s" / "base" / "metrics.yaml"
    base.write_text(base.read_text().replace("readOnlyRootFilesystem", "readOnlyRootFileSystem"))
    _, errors = vd.check_overlay(tmp_path / "k8s" / "overlays" / "prod")
    assert errors and "readOnlyRootFileSystem" in errors[0]

    kustomization = tmp_path / "k8s" / "overlays" / "dev" / "kustomization.yaml"
    kustomization.write_text(kustomization.read_text() + "nameSuffix: -x\n")
    _, errors = vd.check_overlay(tmp_path / "k8s" / "overlays" / "dev")
    assert errors and "nameSuffix" in errors[0], "unsupported Kustomize fields must not pass"


def test_strategic_merge_matches_kustomize_for_keyed_lists() -> None:
    base = {"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}], "args": ["x"]}
    patch = {"env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}], "args": ["y"]}
    assert vd.merge(base, patch) == {
        "env": [
            {"name": "B", "value": "3"},
            {"name": "C", "value": "4"},
            {"name": "A", "value": "1"},
        ],
        "args": ["y"],
    }


def test_hadolint_fails_a_bad_dockerfile(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:latest\nRUN pip install requests\n")
    findings = vd.hadolint(dockerfile)
    if findings and "not found" in findings[0]:
        pytest.skip("hadolint is not installed")
    assert any("DL3007" in line for line in findings)  # pin the base image tag
