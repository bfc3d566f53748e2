"""`rasd` command line: a thin shell over the library (see CLI.md for the stable surface).

Each command family lives in its own module exposing `register(subparsers)`; the function a
command runs takes the parsed arguments and returns the exit status (0 ok, 1 some inputs could
not be read, 2 usage error).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from importlib import import_module

from rasd.errors import RasdError, UsageError

# Command modules, imported only when building the parser (keeps `rasd --help` fast).
_COMMAND_MODULES = ("extract", "store", "evaluate", "gazetteer", "serve", "bench", "actors", "watch")

# Commands whose module is known without importing the others: `rasd extract ...` imports
# only its own module, so that one article is extracted in well under a second from a cold
# start however many (and however heavy) the other command modules are.
_FAST_COMMANDS = {"extract": "extract", "bench": "bench"}


def build_parser(modules: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rasd",
        description="Read Arabic conflict news and write ACLED-style, geolocated, evidence-backed events.",
        epilog="Example: rasd extract article.txt --published 2018-08-09 --format table",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES if modules is None else modules:
        module = import_module(f"rasd.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    fast = _FAST_COMMANDS.get(words[0]) if words else None
    parser = build_parser([fast] if fast in _COMMAND_MODULES else None)
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except UsageError as exc:
        print(f"rasd: error: {exc}", file=sys.stderr)
        return 2
    except RasdError as exc:
        print(f"rasd: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    finally:
        if argv is None:
            # The `rasd` program is about to exit: spare the garbage collector its last pass
            # over every object loaded (lexicons, gazetteer), a tenth of a second at exit.
            gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
