"""The Dockerfile and docker-compose.yml agree with each other and with the package (no Docker engine runs here)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from search_service.config import ENV_PREFIX, SETTINGS

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SCRIPTS = PYPROJECT["project"]["scripts"]


def test_services_volumes_and_profiles():
    web, indexer = COMPOSE["services"]["web"], COMPOSE["services"]["indexer"]
    assert "index" in COMPOSE["volumes"]
    assert "index:/app/index:ro" in web["volumes"]  # the web only reads the index
    assert "index:/app/index" in indexer["volumes"]
    assert any(v.endswith(":/data:ro") for v in indexer["volumes"])
    assert indexer["profiles"] == ["indexer"] and "profiles" not in web
    assert web["image"] == indexer["image"] and web["build"] == indexer["build"] == "."


def test_commands_use_the_entry_point_the_package_declares():
    assert SCRIPTS["search-service"] == "search_service.cli:main"
    for service in COMPOSE["services"].values():
        assert service["command"][0] in SCRIPTS
    assert 'CMD ["search-service", "serve"]' in DOCKERFILE
    assert "pip install --no-cache-dir ." in DOCKERFILE and "COPY search_service" in DOCKERFILE


def test_the_container_runs_as_a_user_that_owns_the_index_folder_not_as_root():
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert f"chown {users[-1]} /app/index" in DOCKERFILE
    assert DOCKERFILE.index("USER") < DOCKERFILE.index("CMD")


def test_port_and_health_check_agree():
    web = COMPOSE["services"]["web"]
    port = web["command"][web["command"].index("--port") + 1]
    assert web["ports"][0].endswith(f":{port}")
    assert f"EXPOSE {port}" in DOCKERFILE
    assert f"127.0.0.1:{port}/healthz" in " ".join(web["healthcheck"]["test"])
    assert f"127.0.0.1:{port}/healthz" in DOCKERFILE
    assert re.search(r"^FROM python:3\.11", DOCKERFILE, re.MULTILINE)


def test_every_environment_variable_is_a_documented_setting():
    known = {ENV_PREFIX + s.name.upper() for s in SETTINGS}
    used = set(re.findall(r"SEARCH_SERVICE_[A-Z_]+", DOCKERFILE))
    for service in COMPOSE["services"].values():
        used |= set(service.get("environment", {}))
    assert used <= known, used - known
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in known:
        assert name in readme, f"{name} is not documented in the README"
