"""`rasd watch`: follow news feeds, sitemaps and Telegram channel exports, ingest new
articles into the store and send alerts on new or updated events (docs/watch.md).

    from rasd.watch import load_config, Watcher
    config = load_config("watch.toml")
    with Watcher.open(config) as watcher:
        report = watcher.run_round(force=True)
"""

from rasd.watch.config import AlertRule, ConfigError, SourceConfig, WatchConfig, load_config
from rasd.watch.runner import RoundReport, SourceReport, Watcher, source_states

__all__ = [
    "AlertRule",
    "ConfigError",
    "RoundReport",
    "SourceConfig",
    "SourceReport",
    "WatchConfig",
    "Watcher",
    "load_config",
    "source_states",
]
