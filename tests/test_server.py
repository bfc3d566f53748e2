"""The HTTP API (`rasd serve`): listing and filtering, GeoJSON, one event with its reports,
articles with highlighted spans, review, exports, errors as JSON, limits, and the real
server answering on loopback."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the server extra (fastapi) is not installed")
from fastapi.testclient import TestClient  # noqa: E402

from news_samples import MAIN_TEXT, sample_reports  # noqa: E402
from rasd.model import ACLED_COLUMNS, Article  # noqa: E402
from rasd.server.app import STATIC_DIR, create_app  # noqa: E402
from rasd.store import open_store  # noqa: E402

UNPLACED = Article(id="unplaced", text="اعتقلت قوات الأمن عشرة أشخاص.", source="SANA")


def fill(path: Path) -> None:
    with open_store(str(path)) as store:
        for article, reports in sample_reports():
            store.add(article, reports)
        arrest = reports[0].model_copy(update={
            "event_id": "unplaced-0", "article_id": "unplaced", "event_type": "Strategic developments",
            "sub_event_type": "Arrests", "latitude": None, "longitude": None, "location": None,
            "admin1": None, "admin2": None, "evidence": [], "event_date": None, "notes": "Arrests of ten people.",
        })
        store.add(UNPLACED, [arrest])


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "api.db"
    fill(path)
    return path


@pytest.fixture()
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db), tile_url="https://tiles.example/{z}/{x}/{y}.png", max_body_bytes=4096)) as c:
        yield c


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["event_id"] for e in response.json()["events"]]


# --------------------------------------------------------------------------- events


def test_list_events_with_paging(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == 4 and body["limit"] == 100 and body["offset"] == 0
    assert [e["event_id"] for e in body["events"]] == ["orient-0612-1", "orient-0612-0", "orient-0612-2", "unplaced-0"]
    first = body["events"][1]
    assert first["reports"] == 2 and first["review"] == "unreviewed" and "evidence" not in first
    page = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == 4 and [e["event_id"] for e in page["events"]] == ["orient-0612-2", "unplaced-0"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"since": "2019-06-12"}, ["orient-0612-0", "orient-0612-2"]),
        ({"until": "2019-06-11"}, ["orient-0612-1"]),
        ({"country": "SYRIA", "admin1": "hama"}, ["orient-0612-1"]),
        ({"type": "Air/drone strike"}, ["orient-0612-0"]),
        ({"type": "Strategic developments"}, ["unplaced-0"]),
        ({"actor": "russia"}, ["orient-0612-0"]),
        ({"q": "طفلان"}, ["orient-0612-0"]),
        ({"q": "Murak"}, ["orient-0612-1"]),
        ({"bbox": "36.0,35.7,36.5,36.0"}, ["orient-0612-2"]),
        ({"bbox": "36.5,35.3,36.8,35.5", "type": "Battles"}, ["orient-0612-1"]),
    ],
)
def test_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    assert ids(client.get("/api/events", params=params)) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"bbox": "1,2,3"}, "expected four numbers"),
        ({"bbox": "1,95,3,96"}, "out of range"),
        ({"since": "2019-13-01"}, "query.since"),
        ({"since": "2019-06-12", "until": "2019-06-01"}, "is after until"),
        ({"limit": "0"}, "query.limit"),
        ({"review": "maybe"}, "query.review"),
    ],
)
def test_bad_filters_are_json_422(client: TestClient, params: dict[str, str], message: str) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == 422 and message in body["error"]


def test_geojson_has_one_feature_per_located_event(client: TestClient) -> None:
    response = client.get("/api/events.geojson")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert [f["id"] for f in data["features"]] == ["orient-0612-1", "orient-0612-0", "orient-0612-2"]
    strike = data["features"][1]
    assert strike["geometry"] == {"type": "Point", "coordinates": [36.65095, 35.44208]}
    assert strike["properties"]["reports"] == 2
    assert [f["id"] for f in client.get("/api/events.geojson", params={"type": "Battles"}).json()["features"]] == [
        "orient-0612-1"
    ]


def test_one_event_with_its_reports_evidence_and_merge_reasons(client: TestClient) -> None:
    body = client.get("/api/events/orient-0612-0").json()
    assert body["event"]["fatalities"] == 4 and body["event"]["source"] == "Orient News; Enab Baladi"
    assert [r["article_id"] for r in body["reports"]] == ["orient-0612", "enab-0612"]
    assert body["reports"][1]["source"] == "Enab Baladi"
    assert {e["field"] for e in body["reports"][1]["record"]["evidence"]} >= {"trigger", "location", "fatalities"}
    assert body["fatalities"]["low"] == 4 and body["fatalities"]["high"] == 6 and body["fatalities"]["disputed"]
    assert [m["decision"] for m in body["merge"]] == ["founded", "joined"]
    assert {c["name"] for c in body["merge"][1]["matched"][0]["checks"]} == {"article", "family", "date", "place", "actors"}
    via_report = client.get("/api/events/enab-0612-0").json()
    assert via_report["event"]["event_id"] == "orient-0612-0" and via_report["requested_id"] == "enab-0612-0"


def test_unknown_ids_and_paths_are_json_404(client: TestClient) -> None:
    for path in ("/api/events/nope", "/api/articles/nope", "/api/nothing/here", "/api/events/nope/history"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["status"] == 404 and response.json()["error"]


def test_article_with_highlighted_spans(client: TestClient) -> None:
    body = client.get("/api/articles/orient-0612").json()
    text = body["article"]["text"]
    assert text == MAIN_TEXT and body["article"]["source"] == "Orient News"
    assert body["events"] == ["orient-0612-0", "orient-0612-1", "orient-0612-2"]
    assert body["spans"] and all(text[s["start"]:s["end"]] == s["text"] for s in body["spans"])
    triggers = [s for s in body["spans"] if s["field"] == "trigger"]
    assert [s["event_id"] for s in triggers] == ["orient-0612-0", "orient-0612-1", "orient-0612-2"]
    enab = client.get("/api/articles/enab-0612").json()
    assert {s["event_id"] for s in enab["spans"]} == {"orient-0612-0"}  # its report joined the earlier event


# --------------------------------------------------------------------------- review and exports


def review(client: TestClient, event_id: str, **body: Any) -> Any:
    return client.post(f"/api/events/{event_id}/review", json=body)


def test_review_flow_and_audit_trail(client: TestClient) -> None:
    response = review(client, "orient-0612-0", action="edit", reviewer="amal", fields={"fatalities": 5},
                      note="hospital list")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["event"]["fatalities"] == 5 and body["review"]["state"] == "edited"
    entry = body["review"]["history"][0]
    assert (entry["action"], entry["reviewer"], entry["note"]) == ("edit", "amal", "hospital list") and entry["at"]
    assert entry["changes"]["fatalities"] == {"from": 4, "to": 5}
    assert review(client, "orient-0612-0", action="confirm", reviewer="omar").json()["review"]["state"] == "confirmed"
    assert review(client, "orient-0612-1", action="reject", reviewer="omar").status_code == 200
    assert ids(client.get("/api/events")) == ["orient-0612-0", "orient-0612-2", "unplaced-0"]
    assert ids(client.get("/api/events", params={"review": "rejected"})) == ["orient-0612-1"]
    assert ids(client.get("/api/events", params={"review": "confirmed"})) == ["orient-0612-0"]
    history = client.get("/api/events/orient-0612-0/history").json()
    assert [h["action"] for h in history["history"]] == ["edit", "confirm"]
    assert review(client, "orient-0612-1", action="reopen", reviewer="amal").json()["review"]["state"] == "unreviewed"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"action": "edit", "reviewer": "amal", "fields": {"fatalities": "many"}}, "fatalities"),
        ({"action": "edit", "reviewer": "amal", "fields": {"evidence": []}}, "cannot edit evidence"),
        ({"action": "confirm", "reviewer": ""}, "body.reviewer"),
        ({"action": "confirm"}, "body.reviewer"),
        ({"action": "approve", "reviewer": "amal"}, "body.action"),
        ({"action": "confirm", "reviewer": "amal", "fields": {"fatalities": 1}}, "only 'edit' changes fields"),
    ],
)
def test_bad_reviews_are_json_422(client: TestClient, body: dict[str, Any], message: str) -> None:
    response = client.post("/api/events/orient-0612-0/review", json=body)
    assert response.status_code == 422 and message in response.json()["error"]


def test_review_of_unknown_event_is_404(client: TestClient) -> None:
    assert review(client, "nope", action="confirm", reviewer="amal").status_code == 404


def test_exports_use_reviewed_values(client: TestClient) -> None:
    review(client, "orient-0612-0", action="edit", reviewer="amal", fields={"fatalities": 5})
    review(client, "orient-0612-2", action="reject", reviewer="amal")
    response = client.get("/api/export", params={"format": "acled-csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="rasd-events.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == ACLED_COLUMNS
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {"orient-0612-1", "orient-0612-0", "unplaced-0"}
    assert by_id["orient-0612-0"]["fatalities"] == "5"
    geojson = client.get("/api/export", params={"format": "geojson", "type": "Battles"}).json()
    assert [f["id"] for f in geojson["features"]] == ["orient-0612-1"]
    lines = client.get("/api/export", params={"format": "jsonl"}).text.splitlines()
    assert [json.loads(line)["event_id"] for line in lines] == ["orient-0612-1", "orient-0612-0", "unplaced-0"]
    assert client.get("/api/export", params={"format": "xml"}).status_code == 422


# --------------------------------------------------------------------------- extraction


def test_extract_posted_text_and_store_it(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    coded = {a.text: reports for a, reports in sample_reports()}

    def fake(article: Article) -> list[Any]:
        return [r.model_copy(update={"event_id": f"{article.id}-{i}", "article_id": article.id})
                for i, r in enumerate(coded.get(article.text, []))]

    monkeypatch.setattr("rasd.api.extract_article", fake)
    posted = {"text": sample_reports()[1][0].text, "published": "2019-06-12", "source": "Another outlet"}
    body = client.post("/api/extract", json=posted).json()
    assert body["article_id"].startswith("api-") and len(body["events"]) == 1 and body["stored"] is None
    text = "نص مختلف " + posted["text"]
    coded[text] = coded[posted["text"]]
    stored = client.post("/api/extract", json={**posted, "text": text, "article_id": "other", "store": True}).json()
    assert stored["stored"] is True
    assert stored["placements"] == [{"report_id": "other-0", "event_id": "orient-0612-0", "decision": "joined"}]
    again = client.post("/api/extract", json={**posted, "text": text, "article_id": "other", "store": True}).json()
    assert again["stored"] is False and again["placements"] == []


def test_extract_validation_and_size_limits(client: TestClient) -> None:
    assert client.post("/api/extract", json={"text": ""}).status_code == 422
    assert client.post("/api/extract", json={"text": "x", "published": "yesterday"}).status_code == 422
    assert client.post("/api/extract", json={"txt": "x"}).status_code == 422
    too_big = client.post("/api/extract", json={"text": "ق" * 5000})
    assert too_big.status_code == 413 and "too large" in too_big.json()["error"]

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    chunked = client.post("/api/extract", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413 and chunked.json()["status"] == 413


def test_real_extraction_over_http(client: TestClient) -> None:
    body = client.post("/api/extract", json={"text": MAIN_TEXT, "published": "2019-06-12"}).json()
    assert [e["sub_event_type"] for e in body["events"]][:1] == ["Air/drone strike"]
    assert all(MAIN_TEXT[ev["start"]:ev["end"]] == ev["text"] for e in body["events"] for ev in e["evidence"])


# --------------------------------------------------------------------------- meta, docs, page


def test_openapi_docs_config_health(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events.geojson", "/api/events/{event_id}", "/api/events/{event_id}/review",
            "/api/articles/{article_id}", "/api/extract", "/api/export"} <= set(schema["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert client.get("/api/config").json()["tile_url"] == "https://tiles.example/{z}/{x}/{y}.png"
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["counts"]["reports"] == 6 and health["counts"]["events"] == 4


def test_the_page_or_a_clear_note_that_it_is_not_built(client: TestClient) -> None:
    response = client.get("/")
    if (STATIC_DIR / "index.html").is_file():
        assert response.status_code == 200 and 'id="map"' in response.text
        assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
        assert client.get("/static/vendor/countries-50m.json").json()["type"] == "Topology"
    else:
        assert response.status_code == 503 and "make web" in response.text


def test_a_missing_database_folder_is_a_json_503(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "no" / "such.db"))) as c:
        response = c.get("/api/events")
    assert response.status_code == 503 and "does not exist" in response.json()["error"]


# --------------------------------------------------------------------------- the real server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.headers.get("content-type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("content-type", ""), exc.read()


def test_rasd_serve_answers_on_loopback(db: Path) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "rasd", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                status, _, _ = get(base + "/api/health")
                if status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "rasd serve did not answer in 20 s"
            time.sleep(0.1)
        status, kind, body = get(base + "/api/events")
        assert status == 200 and json.loads(body)["total"] == 4
        status, kind, body = get(base + "/api/events.geojson")
        data = json.loads(body)
        assert status == 200 and data["type"] == "FeatureCollection" and len(data["features"]) == 3
        status, kind, body = get(base + "/")
        assert kind.startswith("text/html") and status in (200, 503)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_refuses_a_bad_port_and_a_bad_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rasd.cli import main

    assert main(["serve", "--db", str(tmp_path / "x.db"), "--port", "70000"]) == 2
    notes = tmp_path / "notes.db"
    notes.write_text("not a database", encoding="utf-8")
    assert main(["serve", "--db", str(notes), "--port", str(free_port())]) == 1
    assert "not an SQLite database" in capsys.readouterr().err
