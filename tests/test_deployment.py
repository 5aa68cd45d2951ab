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
    for name, service in COMPOSE["services"].items():
        assert name == "proxy" or service["command"][0] in SCRIPTS
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
    assert web["expose"] == [port] and "ports" not in web  # visitors reach it through the proxy only
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


def test_the_proxy_publishes_the_port_and_forwards_to_the_web_service():
    proxy, web = COMPOSE["services"]["proxy"], COMPOSE["services"]["web"]
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    listen = re.search(r"^\s*listen (\d+);", config, re.MULTILINE).group(1)
    assert proxy["ports"] == [f"${{SEARCH_SERVICE_PUBLISH_PORT:-8000}}:{listen}"]
    upstream = re.search(r"^\s*server (\S+):(\d+);", config, re.MULTILINE)
    assert upstream.groups() == ("web", web["expose"][0])
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    # Longer than gunicorn's worker timeout: a slow search is gunicorn's to stop, not the proxy's.
    assert int(re.search(r"proxy_read_timeout (\d+)s;", config).group(1)) > 30


def test_the_web_service_records_searches_in_a_writable_volume_of_its_own():
    web = COMPOSE["services"]["web"]
    assert "analytics:/app/analytics" in web["volumes"] and "analytics" in COMPOSE["volumes"]
    assert web["environment"]["SEARCH_SERVICE_ANALYTICS_DIR"] == "/app/analytics"
    assert "chown search /app/index /app/analytics" in DOCKERFILE
