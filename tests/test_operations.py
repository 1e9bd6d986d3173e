"""Operations: health endpoint, production settings, the static build."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db(transaction=True)
def test_health_reports_database_cache_and_storage(client):
    # In a thread of its own, because the health checks run through async_to_sync, which refuses a
    # thread with a running event loop, and a long run can leave one in this worker's main thread.
    # The thread needs its own database connection, hence the transactional database.
    with ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(client.get, "/health/?format=json").result()
    assert response.status_code == 200
    checks = json.loads(response.content)
    assert {name.split("(")[0] for name in checks} >= {"Database", "Cache", "Storage"}, checks


def production_env(**extra):
    # Only what production would set: not the test run's DATABASE_URL, nor the browser tests' async switch.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="trellis.example.gov.uk",
        HTTPS="true",
        SECURE_HSTS_SECONDS="31536000",
        EMAIL_BACKEND="smtp",
        EMAIL_HOST="smtp.example.gov.uk",
        **extra,
    )
    return env


@pytest.mark.parametrize(
    "extra", [{}, {"DATABASE_URL": "postgres://trellis@db.internal:5432/trellis", "REDIS_URL": "redis://cache.internal:6379/0"}]
)
def test_check_deploy_is_clean_with_production_settings(extra):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_redis_url_makes_redis_the_cache_and_session_store():
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.DATABASES['default']['ENGINE'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=production_env(DATABASE_URL="postgres://t@h:5432/t", REDIS_URL="redis://h:6379/0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cache",
        "django.db.backends.postgresql",
    ], result.stderr


def test_the_css_is_built_with_arial_and_without_the_gds_transport_font():
    css = (ROOT / "static" / "dist" / "app.css").read_text()
    assert "GDS Transport" not in css
    assert "arial" in css.lower()
