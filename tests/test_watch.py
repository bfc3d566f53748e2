"""`rasd watch` and `rasd sources check` against a local HTTP server (127.0.0.1, ephemeral port).

The server plays three Arabic outlets reporting on one day (Tuesday 5 March 2024; all texts
written for this project):
- "furat" (local, RSS): a Russian air strike on a market in al-Mayadin (5 killed); a protest
  in Dhiban; a link to a broken page (no article text);
- "sham" (national, Atom): the same Mayadin strike (6 killed); a clash in Tafas, Daraa;
- "khaleej" (regional, RSS): the same Tafas clash; an IED on an Iraqi army patrol in
  al-Tarmiyah, on a page that is slow (times out) in the first run; and furat's Mayadin
  report republished word for word on its own page (a duplicate across outlets);
- "down": a feed that answers 500; and `/hook`, a webhook receiver.
Feeds honour If-None-Match, as real feeds do, so later rounds get 304.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("feedparser")

from rasd.cli import main  # noqa: E402
from rasd.store import open_store  # noqa: E402
from rasd.watch.config import ConfigError, load_config  # noqa: E402
from rasd.watch.sources import parse_telegram_export, telegram_text  # noqa: E402

PUBDATE = "Tue, 05 Mar 2024 09:30:00 +0000"

MAYADIN_FURAT = (
    "قُتل خمسة مدنيين وأصيب ثمانية آخرون، صباح اليوم الثلاثاء، جراء غارة جوية شنتها طائرات حربية روسية "
    "على سوق شعبي في مدينة الميادين بريف دير الزور الشرقي.",
    "وقال ناشطون محليون إن فرق الدفاع المدني عملت لساعات على انتشال الضحايا من تحت الأنقاض.",
)
DHIBAN_FURAT = (
    "تظاهر العشرات من أهالي بلدة ذيبان بريف دير الزور الشرقي، اليوم الثلاثاء، احتجاجاً على تردي "
    "الأوضاع المعيشية وانقطاع المياه عن البلدة.",
    "ورفع المحتجون لافتات تطالب بتحسين الخدمات، ولم تسجل أي حوادث خلال الوقفة.",
)
MAYADIN_SHAM = (
    "شنت طائرات حربية روسية، اليوم الثلاثاء، غارة جوية على سوق شعبي وسط مدينة الميادين شرقي دير الزور، "
    "ما أسفر عن مقتل ستة مدنيين بينهم امرأة وطفل.",
    "وأفادت مصادر طبية بأن حصيلة الضحايا مرشحة للارتفاع بسبب وجود إصابات خطيرة.",
)
TAFAS_SHAM = (
    "اندلعت اشتباكات عنيفة، مساء أمس الاثنين، بين مسلحين محليين وقوات النظام على أطراف مدينة طفس بريف "
    "درعا الغربي، ما أسفر عن مقتل عنصرين من قوات النظام.",
    "وأكدت مصادر محلية أن قوات النظام استقدمت تعزيزات عسكرية إلى محيط المدينة.",
)
TAFAS_KHALEEJ = (
    "قُتل عنصران من قوات النظام السوري في اشتباكات مع مسلحين محليين قرب مدينة طفس في ريف درعا الغربي، "
    "مساء الاثنين.",
    "وذكر مصدر ميداني أن الاشتباكات استمرت قرابة ساعتين قبل أن يسود هدوء حذر.",
)
TARMIYAH_KHALEEJ = (
    "قُتل جنديان من الجيش العراقي وأصيب ثالث، اليوم الثلاثاء، بانفجار عبوة ناسفة استهدفت دوريتهم في "
    "قضاء الطارمية شمال بغداد.",
    "وقالت خلية الإعلام الأمني إن قوة أمنية طوقت المكان وباشرت عمليات تفتيش بحثاً عن المنفذين.",
)


def page(outlet: str, headline: str, paragraphs: tuple[str, ...]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{headline} | {outlet}</title></head><body>
<header><nav><a href="/">الرئيسية</a> | <a href="/news">أخبار</a> | <a href="/about">من نحن</a></nav></header>
<main><article><h1>{headline}</h1>{body}</article></main>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/x">أسعار الذهب اليوم</a></li></ul></aside>
<footer>جميع الحقوق محفوظة © {outlet} 2024</footer></body></html>""".encode("utf-8")


def rss(title: str, items: list[tuple[str, str]], base: str) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>{PUBDATE}</pubDate></item>" for t, path in items
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{base}/</link><description>{title}</description>{entries}</channel></rss>").encode("utf-8")


def atom(title: str, items: list[tuple[str, str]], base: str) -> bytes:
    entries = "".join(
        f'<entry><title>{t}</title><link href="{base}{path}"/><id>{base}{path}</id>'
        f"<updated>2024-03-05T09:30:00Z</updated></entry>" for t, path in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>{base}/</id><updated>2024-03-05T09:30:00Z</updated>{entries}</feed>"
            ).encode("utf-8")


class Outlets:
    """The served site: routes, request log, webhook inbox, and a switch for the slow page."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, int]] = []  # (method, path, status)
        self.hooks: list[dict[str, Any]] = []
        self.agents: set[str] = set()
        self.slow = threading.Event()
        self.slow.set()
        self.lock = threading.Lock()
        self.base = ""
        self.pages: dict[str, bytes] = {}
        self.feeds: dict[str, tuple[bytes, str]] = {}

    def build(self, base: str) -> None:
        self.base = base
        self.pages = {
            "/furat/mayadin.html": page("شبكة الفرات", "قتلى بغارة روسية على سوق الميادين", MAYADIN_FURAT),
            "/furat/dhiban.html": page("شبكة الفرات", "وقفة احتجاجية في ذيبان", DHIBAN_FURAT),
            "/furat/broken.html": b"<html><head><title>\xd8</title></head><body><div id='app'></div><script>load()",
            "/sham/mayadin.html": page("وكالة الشام", "ستة قتلى مدنيين بغارة على الميادين", MAYADIN_SHAM),
            "/sham/tafas.html": page("وكالة الشام", "اشتباكات في طفس", TAFAS_SHAM),
            "/khaleej/tafas.html": page("الخليج اليوم", "مقتل عنصرين من قوات النظام في درعا", TAFAS_KHALEEJ),
            "/khaleej/tarmiyah.html": page("الخليج اليوم", "مقتل جنديين عراقيين شمال بغداد", TARMIYAH_KHALEEJ),
            # furat's report republished by khaleej: same headline and text, another site's frame
            "/khaleej/syndicated/mayadin.html": page("الخليج اليوم", "قتلى بغارة روسية على سوق الميادين",
                                                     MAYADIN_FURAT),
        }
        self.feeds = {
            "/furat/rss.xml": (rss("شبكة الفرات", [
                ("قتلى بغارة روسية على سوق الميادين", "/furat/mayadin.html"),
                ("وقفة احتجاجية في ذيبان", "/furat/dhiban.html"),
                ("عاجل", "/furat/broken.html"),
            ], base), "application/rss+xml"),
            "/sham/atom.xml": (atom("وكالة الشام", [
                ("ستة قتلى مدنيين بغارة على الميادين", "/sham/mayadin.html"),
                ("اشتباكات في طفس", "/sham/tafas.html"),
            ], base), "application/atom+xml"),
            "/khaleej/rss.xml": (rss("الخليج اليوم", [
                ("مقتل عنصرين من قوات النظام في درعا", "/khaleej/tafas.html"),
                ("مقتل جنديين عراقيين شمال بغداد", "/khaleej/tarmiyah.html"),
                ("قتلى بغارة روسية على سوق الميادين", "/khaleej/syndicated/mayadin.html"),
            ], base), "application/rss+xml"),
        }

    def log(self, method: str, path: str, status: int) -> None:
        with self.lock:
            self.requests.append((method, path, status))

    def fetched(self, prefix: str = "/") -> Counter[str]:
        """Paths answered with a body (200), by count."""
        with self.lock:
            return Counter(p for m, p, s in self.requests if m == "GET" and s == 200 and p.startswith(prefix))

    def page_requests(self) -> Counter[str]:
        with self.lock:
            return Counter(p for m, p, s in self.requests if m == "GET" and p.endswith(".html"))

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()


def make_handler(site: Outlets) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None, logged: bool = False) -> None:
            if not logged:
                site.log(self.command, self.path, status)
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if status != 304:
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        def do_GET(self) -> None:  # noqa: N802
            site.agents.add(self.headers.get("User-Agent", ""))
            path = self.path
            if path == "/down/rss.xml":
                return self._send(500, b"Internal Server Error", "text/plain")
            if path in site.feeds and not site.feeds[path][0]:
                return self._send(500, b"Internal Server Error", "text/plain")
            if path in site.feeds:
                body, ctype = site.feeds[path]
                etag = f'"{abs(hash(body))}"'
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, headers={"ETag": etag})
                return self._send(200, body, ctype, {"ETag": etag})
            if path == "/khaleej/tarmiyah.html" and site.slow.is_set():
                site.log("GET", path, 200)  # counted on arrival: the client gives up before the answer
                time.sleep(1.2)  # longer than the watch timeout
                return self._send(200, site.pages[path], logged=True)
            if path in site.pages:
                return self._send(200, site.pages[path])
            return self._send(404, b"not found")

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            data = self.rfile.read(length)
            if self.path == "/hook":
                with site.lock:
                    site.hooks.append(json.loads(data.decode("utf-8")))
                return self._send(204)
            return self._send(404)

    return Handler


@pytest.fixture()
def site() -> Iterator[Outlets]:
    outlets = Outlets()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(outlets))
    server.daemon_threads = True
    outlets.build(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield outlets
    finally:
        server.shutdown()
        server.server_close()


def write_config(folder: Path, base: str) -> Path:
    config = folder / "watch.toml"
    config.write_text(f"""
db = "events.db"
timeout = "400ms"
retries = 1
backoff = 0.01
per_host = 2
user_agent = "rasd-watch-test/1.0 (+tests)"

[[source]]
name = "furat"
url = "{base}/furat/rss.xml"
kind = "rss"
language = "ar"
scale = "local"
interval = "5m"

[[source]]
name = "sham"
url = "{base}/sham/atom.xml"
kind = "atom"
scale = "national"
interval = 300

[[source]]
name = "khaleej"
url = "{base}/khaleej/rss.xml"
kind = "rss"
scale = "regional"

[[source]]
name = "down"
url = "{base}/down/rss.xml"
kind = "rss"
scale = "international"

[[alert]]
name = "deir-ez-zor-deaths"
country = "Syria"
admin1 = "Deir ez Zor"
min_fatalities = 1
file = "alerts.jsonl"

[[alert]]
name = "syria-battles"
bbox = [35.5, 32.0, 42.5, 37.5]
types = ["Battles"]
actors = ["Military Forces of Syria"]
webhook = "{base}/hook"

[[alert]]
name = "iraq"
country = "Iraq"
file = "alerts/iraq.jsonl"
""", encoding="utf-8")
    return config


def lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_three_feeds_ingest_once_merge_alert_and_resume(
    site: Outlets, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, site.base)

    # ---- first run: the down feed fails, the slow page times out, the others are ingested
    started = time.monotonic()
    assert main(["watch", str(config), "--once"]) == 1
    assert time.monotonic() - started < 20
    err = capsys.readouterr().err
    assert "source 'down' failed" in err and "HTTP 500" in err
    assert "/khaleej/tarmiyah.html: timed out (will retry)" in err
    assert "/furat/broken.html: no article text" in err
    assert site.agents == {"rasd-watch-test/1.0 (+tests)"}

    pages = site.page_requests()
    # every article page once; the timed-out one twice (one retry); the 500 feed twice
    assert pages == Counter({
        "/furat/mayadin.html": 1, "/furat/dhiban.html": 1, "/furat/broken.html": 1,
        "/sham/mayadin.html": 1, "/sham/tafas.html": 1,
        "/khaleej/tafas.html": 1, "/khaleej/syndicated/mayadin.html": 1, "/khaleej/tarmiyah.html": 2,
    })
    assert sum(1 for m, p, s in site.requests if p == "/down/rss.xml") == 2

    with open_store(str(tmp_path / "events.db")) as store:
        stats = store.stats()
        # five articles: the republished copy is the same text (stored once), the broken and
        # the slow page are not stored
        assert stats["articles"] == 5

        assert stats["reports"] == 5
        # the store de-duplicates across articles: Mayadin (furat + sham) and Tafas (sham + khaleej)
        # are one event each; Dhiban is the third
        events = {e.location: e for e in store.events()}
        assert stats["events"] == len(events) == 3
        assert set(events) == {"Al Mayadin", "Tafas", "Dhiban"}
        assert sorted(events["Al Mayadin"].sources) == ["furat", "sham"]
        assert sorted(events["Tafas"].sources) == ["khaleej", "sham"]
        assert events["Dhiban"].source_scale == "local"
        mayadin_id, tafas_id = events["Al Mayadin"].event_id, events["Tafas"].event_id

    # one alert per matching event: Mayadin to the file, Tafas to the webhook, nothing for Iraq yet
    alerts = lines(tmp_path / "alerts.jsonl")
    assert [(a["alert"], a["event_id"]) for a in alerts] == [("deir-ez-zor-deaths", mayadin_id)]
    assert alerts[0]["link"] == f"http://127.0.0.1:8000/#event={mayadin_id}"
    assert alerts[0]["event"]["admin1"] == "Deir ez Zor" and alerts[0]["event"]["fatalities"] >= 5
    assert [(h["alert"], h["event_id"]) for h in site.hooks] == [("syria-battles", tafas_id)]
    assert site.hooks[0]["event"]["event_type"] == "Battles"
    assert not (tmp_path / "alerts" / "iraq.jsonl").exists()

    # the state file sits next to the store
    assert (tmp_path / "events.watch.sqlite").exists()
    assert main(["sources", "check", str(config)]) == 1  # "down" is failing
    out = capsys.readouterr().out
    assert "down [rss, ar, international, every 600s]: FAILING" in out
    assert "HTTP 500" in out
    assert "furat [rss, ar, local, every 300s]: ok" in out

    # ---- second run, as after a restart: the slow page answers now; nothing seen is re-fetched
    site.reset()
    site.slow.clear()
    assert main(["watch", str(config), "--once"]) == 1
    capsys.readouterr()
    assert site.page_requests() == Counter({"/khaleej/tarmiyah.html": 1})
    assert site.fetched() == Counter({"/khaleej/tarmiyah.html": 1})  # feeds: 304 Not Modified
    assert {p for m, p, s in site.requests if s == 304} == {"/furat/rss.xml", "/sham/atom.xml", "/khaleej/rss.xml"}
    with open_store(str(tmp_path / "events.db")) as store:
        assert store.stats()["articles"] == 6
        assert store.stats()["events"] == 4
        iraq = [e for e in store.events(country="Iraq")]
        assert len(iraq) == 1
    iraq_alerts = lines(tmp_path / "alerts" / "iraq.jsonl")
    assert [(a["alert"], a["event_id"]) for a in iraq_alerts] == [("iraq", iraq[0].event_id)]
    assert len(lines(tmp_path / "alerts.jsonl")) == 1 and len(site.hooks) == 1  # still once per event

    # ---- third run: nothing new anywhere; no page request, no alert
    site.reset()
    assert main(["watch", str(config), "--once"]) == 1
    capsys.readouterr()
    assert site.page_requests() == Counter()
    assert len(lines(tmp_path / "alerts.jsonl")) == 1 and len(site.hooks) == 1
    assert len(lines(tmp_path / "alerts" / "iraq.jsonl")) == 1

    assert main(["sources", "check", str(config), "--json"]) == 1
    states = {s["name"]: s for s in map(json.loads, capsys.readouterr().out.splitlines())}
    assert states["furat"]["articles_seen"] == 2 and states["furat"]["items"]["gave_up"] == 1
    assert states["khaleej"]["articles_seen"] == 3  # tafas, tarmiyah, and the republished copy
    assert states["down"]["failing"] and "500" in states["down"]["last_error"]
    assert states["sham"]["last_success"] and not states["sham"]["failing"]


def test_a_failing_source_recovers_next_round(site: Outlets, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "watch.toml"
    config.write_text(f"""
db = "events.db"
timeout = 0.4
retries = 0
[[source]]
name = "sham"
url = "{site.base}/flaky/atom.xml"
kind = "atom"
""", encoding="utf-8")
    site.feeds["/flaky/atom.xml"] = (b"", "")  # answered 500 while empty
    assert main(["watch", str(config), "--once"]) == 1
    assert "source 'sham' failed (retried next round)" in capsys.readouterr().err
    assert main(["sources", "check", str(config)]) == 1
    assert "sham [atom, ar, scale not set, every 600s]: FAILING" in capsys.readouterr().out
    site.feeds["/flaky/atom.xml"] = site.feeds["/sham/atom.xml"]
    assert main(["watch", str(config), "--once"]) == 0
    assert "sham: 2 listed, 2 new, 2 ingested" in capsys.readouterr().err
    assert main(["sources", "check", str(config)]) == 0
    out = capsys.readouterr().out
    assert "sham [atom, ar, scale not set, every 600s]: ok" in out
    assert "articles seen: 2" in out and "HTTP 500" in out  # the last error stays on record


TELEGRAM_EXPORT = {
    "name": "أخبار الطارمية",
    "type": "public_channel",
    "id": 1234567890,
    "messages": [
        {"id": 1, "type": "service", "date": "2024-03-05T08:00:00", "action": "create_channel", "text": ""},
        {"id": 2, "type": "message", "date": "2024-03-05T10:12:00", "text": [
            {"type": "bold", "text": "عاجل | "},
            "مقتل جنديين من الجيش العراقي وإصابة ثالث بانفجار عبوة ناسفة استهدفت دوريتهم في قضاء الطارمية "
            "شمال بغداد، اليوم الثلاثاء.\n",
            {"type": "hashtag", "text": "#العراق"},
        ]},
        {"id": 3, "type": "message", "date": "2024-03-05T10:13:00", "text": "", "photo": "photos/1.jpg"},
        {"id": 4, "type": "message", "date": "2024-03-05T11:40:00",
         "text": "تظاهر العشرات من أهالي بلدة ذيبان بريف دير الزور الشرقي، اليوم الثلاثاء، احتجاجاً على "
                 "انقطاع المياه عن البلدة."},
    ],
}


def test_telegram_export_text_as_string_or_entities(tmp_path: Path) -> None:
    assert telegram_text(["a ", {"type": "bold", "text": "b"}, " c"]) == "a b c"
    assert telegram_text("plain") == "plain"
    assert telegram_text(None) == ""
    body = json.dumps(TELEGRAM_EXPORT, ensure_ascii=False).encode("utf-8")
    entries = parse_telegram_export(body, "/exports/tarmiyah/result.json", channel="tarmiyah_news")
    assert [e.url for e in entries] == ["https://t.me/tarmiyah_news/2", "https://t.me/tarmiyah_news/4"]
    assert entries[0].text is not None and entries[0].text.startswith("عاجل | مقتل جنديين")
    assert entries[0].text.endswith("#العراق")
    assert str(entries[0].published) == "2024-03-05"


def test_telegram_export_and_sitemap_sources(site: Outlets, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "channel" / "result.json"
    export.parent.mkdir()
    export.write_text(json.dumps(TELEGRAM_EXPORT, ensure_ascii=False), encoding="utf-8")
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{site.base}/sham/tafas.html</loc><news:news><news:publication_date>2024-03-05T09:00:00Z"
        "</news:publication_date><news:title>اشتباكات في طفس</news:title></news:news></url>"
        "</urlset>"
    ).encode("utf-8")
    site.feeds["/sitemap.xml"] = (sitemap, "application/xml")
    config = tmp_path / "watch.toml"
    config.write_text(f"""
db = "events.db"
timeout = 0.4
[[source]]
name = "tarmiyah-telegram"
kind = "telegram-export"
url = "channel/result.json"
channel = "@tarmiyah_news"
scale = "local"
[[source]]
name = "sham-sitemap"
kind = "sitemap"
url = "{site.base}/sitemap.xml"
scale = "national"
""", encoding="utf-8")
    assert main(["watch", str(config), "--once"]) == 0
    with open_store(str(tmp_path / "events.db")) as store:
        assert store.stats()["articles"] == 3
        assert {e.location for e in store.events()} == {"Al Tarmia", "Dhiban", "Tafas"}
        telegram = [e for e in store.events(country="Iraq")][0]
        assert telegram.source_scale == "local"
    capsys.readouterr()
    # unchanged export file and sitemap: nothing read again
    site.reset()
    assert main(["watch", str(config), "--once"]) == 0
    assert "tarmiyah-telegram: not modified, 0 ingested" in capsys.readouterr().err
    assert site.page_requests() == Counter()


@pytest.mark.parametrize(("text", "message"), [
    ('[[source]]\nname = "a"\nurl = "http://x/f.xml"\nkind = "rs"\n',
     "source[1] 'a': kind: 'rs': expected one of rss, atom, sitemap, telegram-export"),
    ('[[source]]\nname = "a"\nkind = "rss"\n', "source[1] 'a': url: missing (required)"),
    ('[[source]]\nname = "a"\nurl = "http://x/f.xml"\nkind = "rss"\nscale = "city"\n',
     "source[1] 'a': scale: 'city': expected one of local, national, regional, international"),
    ('[[source]]\nname = "a"\nurl = "http://x/f.xml"\nkind = "rss"\ninterval = "soon"\n',
     "source[1] 'a': interval: expected a duration"),
    ('[[source]]\nname = "a"\nurl = "http://x/f.xml"\nkind = "rss"\nlangauge = "ar"\n',
     "source[1] 'a': unknown key 'langauge'"),
    ('[[source]]\nname = "a"\nurl = "http://x/f.xml"\nkind = "rss"\n[[alert]]\nname = "z"\n',
     "alert[1] 'z': file: give exactly one sink"),
    ('[[source]]\nname = "a"\nurl = "http://x/f.xml"\nkind = "rss"\n[[alert]]\nname = "z"\nfile = "a.jsonl"\n'
     'bbox = [40, 30, 35, 37]\n', "alert[1] 'z': bbox: expected [west, south, east, north]"),
    ('[[source]]\nname = "a"\nurl = "http://x/f.xml"\nkind = "rss"\n[[alert]]\nname = "z"\nfile = "a.jsonl"\n'
     'min_fatalities = "many"\n', "alert[1] 'z': min_fatalities: expected an integer"),
    ('db = "x.db"\n', "source: no [[source]] declared"),
    ('[[source]\n', "not valid TOML"),
])
def test_config_errors_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_config_errors_exit_2_with_the_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[source]]\nname = "a"\nurl = "ftp://x/f.xml"\nkind = "rss"\n', encoding="utf-8")
    assert main(["sources", "check", str(path)]) == 2
    assert f"{path}: source[1] 'a': url: 'ftp://x/f.xml': expected an http:// or https:// URL" in capsys.readouterr().err
    assert main(["watch", str(tmp_path / "missing.toml"), "--once"]) == 2
    assert "missing.toml: no such config file" in capsys.readouterr().err


def test_defaults_and_links(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text('link = "https://rasd.example.org/app/#event={id}"\n'
                    '[[source]]\nname = "a"\nurl = "http://x/f.xml"\nkind = "rss"\n', encoding="utf-8")
    config = load_config(path)
    assert config.db == str(tmp_path / "rasd.db") or config.db.endswith("rasd.db")
    assert config.sources[0].interval == 600 and config.sources[0].language == "ar"
    assert config.event_link("abc/1") == "https://rasd.example.org/app/#event=abc%2F1"
