"""`rasd watch CONFIG [--once]` and `rasd sources check CONFIG` (docs/watch.md).

`watch` polls the sources of a TOML config, ingests new articles into the store and sends
alerts; with `--once` it does one round and exits 0, or 1 if a source failed (for cron and
tests). Without it, it runs until interrupted (Ctrl-C or SIGTERM), each source at its own
interval. `sources check` validates the config and reports each source's state; it exits 0,
or 1 when a source's last poll failed (a health check), or 2 when the config is invalid.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from typing import Any

from rasd.errors import UsageError


def _load(args: argparse.Namespace) -> Any:
    from rasd.watch.config import load_config

    return load_config(args.config, db=getattr(args, "db", None))


def _print_report(report: Any, verbose: bool = True) -> None:
    for source in report.sources:
        if source.ok and verbose:
            print(f"rasd watch: {source.line()}", file=sys.stderr)
    if report.alerts_sent or report.alert_errors:
        text = f"rasd watch: {report.alerts_sent} alert{'s' if report.alerts_sent != 1 else ''} sent"
        if report.alert_errors:
            text += f", {len(report.alert_errors)} could not be delivered (retried next round)"
        print(text, file=sys.stderr)
    failed = [s.name for s in report.sources if not s.ok]
    if failed:
        print(f"rasd watch: {len(failed)} source{'s' if len(failed) != 1 else ''} failed: {', '.join(failed)}",
              file=sys.stderr)


def run_watch(args: argparse.Namespace) -> int:
    config = _load(args)
    try:
        import feedparser  # noqa: F401
    except ImportError as exc:
        raise UsageError("rasd watch needs the watch extra (feedparser is missing): pip install 'rasd[watch]'") from exc
    from rasd.watch.runner import Watcher

    with Watcher.open(config) as watcher:
        if args.once:
            report = watcher.run_round(force=True)
            _print_report(report, verbose=not args.quiet)
            return 1 if report.failed else 0

        def _stop(signum: int, frame: Any) -> None:
            watcher.stop()

        previous = signal.signal(signal.SIGTERM, _stop)
        print(f"rasd watch: following {len(config.sources)} source{'s' if len(config.sources) != 1 else ''}"
              f" into {config.db} (state {config.state}); Ctrl-C stops", file=sys.stderr)
        try:
            watcher.run_forever(on_round=lambda r: _print_report(r, verbose=not args.quiet))
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
        print("rasd watch: stopped", file=sys.stderr)
        return 0


def _when(value: str | None) -> str:
    if not value:
        return "never"
    return value.split(".")[0].replace("+00:00", "") + "Z"


def run_sources_check(args: argparse.Namespace) -> int:
    from rasd.watch.runner import source_states

    config = _load(args)
    rows = source_states(config)
    failing = False
    if args.json:
        for source, state, counts in rows:
            failing |= state.failing
            print(json.dumps({
                "name": source.name, "kind": source.kind, "url": source.url, "language": source.language,
                "scale": source.scale, "interval": source.interval, "enabled": source.enabled,
                "last_attempt": state.last_attempt, "last_success": state.last_success,
                "last_error": state.last_error, "last_error_at": state.last_error_at,
                "failing": state.failing, "articles_seen": state.articles_seen,
                "items": counts,
            }, ensure_ascii=False))
    else:
        print(f"{config.path}: valid: {len(config.sources)} source{'s' if len(config.sources) != 1 else ''}, "
              f"{len(config.alerts)} alert rule{'s' if len(config.alerts) != 1 else ''}; store {config.db}; "
              f"state {config.state}")
        for source, state, counts in rows:
            failing |= state.failing
            status = "FAILING" if state.failing else ("ok" if state.last_success else "not polled yet")
            if not source.enabled:
                status = "disabled"
            print(f"\n{source.name} [{source.kind}, {source.language}, {source.scale or 'scale not set'}, "
                  f"every {source.interval:g}s]: {status}")
            print(f"  url:           {source.url}")
            print(f"  last success:  {_when(state.last_success)}")
            error = f"{_when(state.last_error_at)}: {state.last_error}" if state.last_error else "none"
            print(f"  last error:    {error}")
            retry = counts.get("failed", 0)
            extra = []
            if retry:
                extra.append(f"{retry} page{'s' if retry != 1 else ''} to retry")
            if counts.get("gave_up"):
                extra.append(f"{counts['gave_up']} given up")
            print(f"  articles seen: {state.articles_seen}" + (f" ({', '.join(extra)})" if extra else ""))
    return 1 if failing else 0


def register(subparsers: Any) -> None:
    """Add the `watch` and `sources` commands to the rasd parser."""
    watch = subparsers.add_parser(
        "watch",
        help="follow news feeds, sitemaps and Telegram exports; ingest new articles and send alerts",
        description=(
            "Poll the sources of a TOML config (RSS, Atom, sitemaps, Telegram Desktop exports),\n"
            "extract and ingest new articles into the store (merging with known events), and send\n"
            "each new or updated event that matches an alert rule to a webhook or a JSON Lines file.\n"
            "What was seen is remembered next to the store, so a restart resumes where it stopped.\n"
            "Exit status with --once: 0, or 1 if a source failed. See docs/watch.md."
        ),
        epilog=(
            "Example:\n  rasd watch watch.toml --once      # one round (cron)\n"
            "  rasd watch watch.toml             # run until Ctrl-C, each source at its interval"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    watch.add_argument("config", metavar="CONFIG", help="the watch config (TOML)")
    watch.add_argument("--once", action="store_true", help="poll every source once, ingest, alert, and exit")
    watch.add_argument("--db", metavar="FILE", help="event database (default: the config's db, else $RASD_DB, else rasd.db)")
    watch.add_argument("--quiet", action="store_true", help="report only failures and alerts")
    watch.set_defaults(run=run_watch)

    sources = subparsers.add_parser(
        "sources",
        help="check a watch config and report each source's state",
        description="Commands on the sources of a `rasd watch` config.",
        epilog="Example:\n  rasd sources check watch.toml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sources_sub = sources.add_subparsers(dest="sources_command", metavar="COMMAND")
    check = sources_sub.add_parser(
        "check",
        help="validate the config and report each source's last success, last error and articles seen",
        description=(
            "Validate a watch config (errors name the file and the key) and report each source's\n"
            "state: last success, last error, articles seen. Exit status: 0; 1 when a source's\n"
            "last poll failed; 2 when the config is invalid."
        ),
        epilog="Example:\n  rasd sources check watch.toml\n  rasd sources check watch.toml --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("config", metavar="CONFIG", help="the watch config (TOML)")
    check.add_argument("--json", action="store_true", help="one JSON object per source")
    check.set_defaults(run=run_sources_check)
