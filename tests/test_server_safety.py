"""Server safety (issue 7): loopback by default, a token for writes and reviews when bound
elsewhere, body and rate limits, filters that are parameters and never SQL, article text
(a script tag included) shown as text."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the server extra (fastapi) is not installed")
from fastapi.testclient import TestClient  # noqa: E402

from news_samples import sample_reports  # noqa: E402
from rasd.cli import main  # noqa: E402
from rasd.model import Article  # noqa: E402
from rasd.server.app import STATIC_DIR, create_app  # noqa: E402
from rasd.server.limits import RateLimit  # noqa: E402
from rasd.store import open_store  # noqa: E402

TOKEN = "s3cret-token-for-tests-0123456789"
SCRIPTED = Article(
    id="scripted",
    text="قصفت طائرات حربية بلدة كفرنبل <script>window.__pwned = 1</script> اليوم.",
    source="<script>alert(1)</script>",
)


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "safe.db"
    with open_store(str(path)) as store:
        for article, reports in sample_reports():
            store.add(article, reports)
        store.add(SCRIPTED, [])
    return path


@pytest.fixture()
def guarded(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db), token=TOKEN)) as client:
        yield client


def _review(client: TestClient, headers: dict[str, str] | None = None) -> Any:
    return client.post("/api/events/orient-0612-0/review", json={"action": "confirm", "reviewer": "amal"},
                       headers=headers or {})


# --------------------------------------------------------------------------- token


def test_reviews_need_the_token(guarded: TestClient) -> None:
    missing = _review(guarded)
    assert missing.status_code == 401 and "API token" in missing.json()["error"]
    assert "Bearer" in missing.headers["www-authenticate"] and "Basic" in missing.headers["www-authenticate"]
    assert _review(guarded, {"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
    assert _review(guarded, {"Authorization": "Basic !!!"}).status_code == 401
    assert guarded.get("/api/events/orient-0612-0").json()["review"]["state"] == "unreviewed"
    assert _review(guarded, {"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    basic = base64.b64encode(f"amal:{TOKEN}".encode()).decode()
    reopened = guarded.post("/api/events/orient-0612-0/review", json={"action": "reopen", "reviewer": "amal"},
                            headers={"Authorization": f"Basic {basic}"})
    assert reopened.status_code == 200
    assert guarded.post("/api/events/orient-0612-0/review", json={"action": "confirm", "reviewer": "amal"},
                        headers={"X-Rasd-Token": TOKEN}).status_code == 200


def test_storing_needs_the_token_extracting_and_reading_do_not(guarded: TestClient) -> None:
    text = "قصفت طائرات حربية بلدة كفرنبل في ريف إدلب الجنوبي يوم الثلاثاء."
    assert guarded.post("/api/extract", json={"text": text}).status_code == 200
    refused = guarded.post("/api/extract", json={"text": text, "store": True})
    assert refused.status_code == 401
    before = guarded.get("/api/health").json()["counts"]["articles"]
    assert before == 4  # nothing was stored
    stored = guarded.post("/api/extract", json={"text": text, "store": True}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert stored.status_code == 200 and stored.json()["stored"] is True
    assert guarded.get("/api/events").status_code == 200
    assert guarded.get("/api/config").json()["token_required"] is True


def test_without_a_token_on_loopback_writes_are_open(db: Path) -> None:
    with TestClient(create_app(str(db))) as client:
        assert _review(client).status_code == 200
        assert client.get("/api/config").json()["token_required"] is False


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, app: Any, **kwargs: Any) -> None:
        self.calls.append({"app": app, **kwargs})


def test_serve_is_loopback_by_default_and_refuses_other_hosts_without_a_token(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    recorder = _Recorder()
    monkeypatch.setattr(uvicorn, "run", recorder)
    monkeypatch.delenv("RASD_API_TOKEN", raising=False)
    assert main(["serve", "--db", str(db)]) == 0
    assert recorder.calls[-1]["host"] == "127.0.0.1"
    assert main(["serve", "--db", str(db), "--host", "0.0.0.0"]) == 2
    assert "refusing to serve on 0.0.0.0 without an API token" in capsys.readouterr().err
    assert main(["serve", "--db", str(db), "--host", "0.0.0.0", "--token", "short"]) == 2
    assert "too short" in capsys.readouterr().err
    assert len(recorder.calls) == 1
    monkeypatch.setenv("RASD_API_TOKEN", TOKEN)
    assert main(["serve", "--db", str(db), "--host", "0.0.0.0"]) == 0
    assert recorder.calls[-1]["host"] == "0.0.0.0"
    with TestClient(recorder.calls[-1]["app"]) as client:
        assert _review(client).status_code == 401
        assert _review(client, {"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    monkeypatch.delenv("RASD_API_TOKEN")
    assert main(["serve", "--db", str(db), "--host", "::1"]) == 0  # loopback needs no token


# --------------------------------------------------------------------------- limits


def test_rate_limits_answer_429_with_retry_after(db: Path) -> None:
    with TestClient(create_app(str(db), rate_limit=5, write_rate_limit=2)) as client:
        for _ in range(3):
            assert client.get("/api/stats").status_code == 200
        assert client.post("/api/extract", json={"text": "قصف"}).status_code == 200
        assert client.post("/api/extract", json={"text": "قصف"}).status_code == 200
        third = client.post("/api/extract", json={"text": "قصف"})
        assert third.status_code == 429 and int(third.headers["retry-after"]) >= 1
        assert third.json()["status"] == 429
        limited = client.get("/api/stats")
        assert limited.status_code == 429 and "too many requests" in limited.json()["error"]
        assert client.get("/").status_code in (200, 503)  # the page and its files are not API requests


def test_rate_limit_window_slides() -> None:
    now = [1000.0]
    limiter = RateLimit(lambda *a: None, per_minute=2, writes_per_minute=1, clock=lambda: now[0])  # type: ignore[arg-type]
    assert limiter._check("a", write=False) is None
    assert limiter._check("a", write=True) is None
    assert limiter._check("a", write=False) is not None
    assert limiter._check("b", write=True) is None  # clients are counted apart
    assert limiter._check("b", write=True) is not None
    now[0] += 61
    assert limiter._check("a", write=False) is None


def test_body_limit_applies_to_reviews_too(db: Path) -> None:
    with TestClient(create_app(str(db), max_body_bytes=2048)) as client:
        big = client.post("/api/events/orient-0612-0/review",
                          json={"action": "confirm", "reviewer": "amal", "note": "x" * 5000})
        assert big.status_code == 413


# --------------------------------------------------------------------------- injection and escaping

INJECTIONS = [
    "Syria' OR '1'='1",
    "Syria\" OR \"1\"=\"1",
    "x'); DROP TABLE events; --",
    "%' UNION SELECT cluster_id, record FROM clusters --",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "?",
    "%s",
    "سوريا'; DELETE FROM articles; --",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_sql_injection_through_filters_finds_nothing_and_changes_nothing(db: Path, payload: str) -> None:
    with TestClient(create_app(str(db), rate_limit=0)) as client:
        before = client.get("/api/stats").json()
        for name in ("country", "admin1", "type", "actor", "q"):
            response = client.get("/api/events", params={name: payload})
            assert response.status_code == 200, (name, response.text)
            assert response.json()["total"] == 0, (name, payload)
            assert client.get("/api/events.geojson", params={name: payload}).json()["features"] == []
            export = client.get("/api/export", params={name: payload, "format": "jsonl"})
            assert export.status_code == 200 and export.text == ""
        assert client.get(f"/api/events/{payload}").status_code in (404, 200)
        assert client.get("/api/stats").json() == before
        assert client.get("/api/events").json()["total"] == before["events"]


def test_a_script_tag_in_an_article_is_returned_as_text(db: Path) -> None:
    with TestClient(create_app(str(db))) as client:
        body = client.get("/api/articles/scripted")
        assert body.status_code == 200 and body.headers["content-type"].startswith("application/json")
        assert body.json()["article"]["text"] == SCRIPTED.text
        assert body.json()["article"]["source"] == "<script>alert(1)</script>"
        assert body.headers["x-content-type-options"] == "nosniff"
        found = client.get("/api/events", params={"q": "<script>"}).json()
        assert found["total"] == 0  # the article has no events; the text filter matched nothing else


def test_the_page_allows_only_its_own_scripts(db: Path) -> None:
    with TestClient(create_app(str(db), tile_url="https://tiles.example/{z}/{x}/{y}.png")) as client:
        page = client.get("/")
    if not (STATIC_DIR / "index.html").is_file():
        pytest.skip("the web app is not built (make web)")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "object-src 'none'" in policy and "https://tiles.example" in policy
    assert page.headers["x-frame-options"] == "DENY"
