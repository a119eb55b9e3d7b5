"""The deployment files in deploy/ say what the tested set-up does (`make test-hub`).

There is no offline schema for the Zero to JupyterHub chart (helm and the chart are not
installed here), so the Kubernetes fragment is parsed and checked against the kit's own
files: the same Lab settings, the README's nbgitpuller link, memory settings that fit
the measured figures.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
pytestmark = pytest.mark.hub


def z2jh() -> dict:
    return yaml.safe_load((DEPLOY / "z2jh-config.yaml").read_text(encoding="utf-8"))


def read(name: str) -> dict:
    return json.loads((DEPLOY / name).read_text(encoding="utf-8"))


def mebibytes(size: str) -> float:
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG])i?", size).groups()
    return float(number) * {"K": 1 / 1024, "M": 1, "G": 1024}[unit]


def test_z2jh_fragment_uses_only_the_charts_keys():
    config = z2jh()
    assert set(config) <= {"singleuser", "cull", "hub", "proxy", "prePuller", "scheduling"}
    singleuser = config["singleuser"]
    assert set(singleuser) <= {
        "image",
        "defaultUrl",
        "memory",
        "cpu",
        "storage",
        "extraFiles",
        "extraEnv",
        "lifecycleHooks",
        "cmd",
    }
    assert set(singleuser["image"]) == {"name", "tag"}
    for item in singleuser["extraFiles"].values():
        assert set(item) == {"mountPath", "data"} and item["mountPath"].startswith("/")


def test_z2jh_memory_fits_the_measured_student():
    memory = z2jh()["singleuser"]["memory"]
    guarantee, limit = mebibytes(memory["guarantee"]), mebibytes(memory["limit"])
    assert 460 <= guarantee <= limit  # two kernels open: about 460 MiB (instructors/hub.md)


def test_z2jh_default_url_is_the_readme_link_on_the_students_branch():
    url = z2jh()["singleuser"]["defaultUrl"]
    path, query = url.split("?", 1)
    assert path == "/git-pull"
    params = urllib.parse.parse_qs(query)
    assert params["branch"] == ["student"]
    assert params["urlpath"] == ["lab/tree/fournos/notebooks/00_start_here.ipynb"]
    assert "/hub/user-redirect/git-pull?" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_z2jh_lab_settings_are_the_tested_ones():
    files = {f["mountPath"]: f["data"] for f in z2jh()["singleuser"]["extraFiles"].values()}
    assert files["/etc/jupyter/jupyter_server_config.d/fournos.json"] == read(
        "jupyter/jupyter_server_config.json"
    )
    assert files["/etc/jupyter/labconfig/page_config.json"] == read(
        "jupyter/labconfig/page_config.json"
    )
    overrides = "/srv/conda/envs/notebook/share/jupyter/lab/settings/overrides.json"
    assert files[overrides] == read("lab-settings/overrides.json")


def test_install_settings_merges_into_an_environment(tmp_path):
    """`python deploy/install_settings.py --prefix P`, twice, keeping what was there."""
    settings = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}')
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, str(DEPLOY / "install_settings.py"), "--prefix", str(tmp_path)],
            check=False,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    overrides = json.loads(settings.read_text())
    assert overrides["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    server = tmp_path / "etc" / "jupyter" / "jupyter_server_config.d" / "fournos.json"
    assert json.loads(server.read_text())["LabApp"]["news_url"] is None


def test_install_settings_refuses_a_broken_file_without_touching_it(tmp_path):
    page = tmp_path / "etc" / "jupyter" / "labconfig" / "page_config.json"
    page.parent.mkdir(parents=True)
    page.write_text("{not json")
    done = subprocess.run(
        [sys.executable, str(DEPLOY / "install_settings.py"), "--prefix", str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "not valid JSON" in done.stderr
    assert "Traceback" not in done.stderr
    assert page.read_text() == "{not json"


def test_hub_config_loads_in_both_modes(tmp_path, monkeypatch):
    """The config file runs as jupyterhub runs it; real mode keeps the dummy login out."""
    from traitlets.config.loader import PyFileConfigLoader

    def load():
        return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()

    monkeypatch.setenv("FOURNOS_HUB_STATE", str(tmp_path))
    monkeypatch.delenv("FOURNOS_HUB_MODE", raising=False)
    real = load()
    assert "authenticator_class" not in real.JupyterHub  # the default: PAM, Unix accounts
    assert real.LocalAuthenticator.allowed_groups == {"fournos-students"}
    assert real.Spawner.environment["JUPYTER_CONFIG_PATH"] == str(DEPLOY / "jupyter")
    for name, value in {
        "MODE": "test",
        "HOMES": str(tmp_path),
        "TOKEN": "t",
        "PASSWORD": "p",
    }.items():
        monkeypatch.setenv(f"FOURNOS_HUB_{name}", value)
    test = load()
    assert test.JupyterHub.authenticator_class == "dummy"


def test_the_hub_culls_idle_kernels_and_shuts_closed_tabs_kernels_as_fournos_lab_does():
    lab = json.loads((ROOT / "jupyter-config" / "jupyter_server_config.json").read_text())
    hub = read("jupyter/jupyter_server_config.json")
    assert hub["MappingKernelManager"] == lab["MappingKernelManager"]
    overrides = read("lab-settings/overrides.json")
    assert overrides["@jupyterlab/notebook-extension:tracker"]["kernelShutdown"] is True
    assert overrides == json.loads(
        (ROOT / "jupyter-config" / "lab-settings" / "overrides.json").read_text()
    )
