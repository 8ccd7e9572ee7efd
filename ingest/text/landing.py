"""Selection of the `--from-dir` landing files each text source reads.

The runner gives a source its own sub-folder (`news/`, `truthsocial/`).
Saved ScrapeCreators responses usually sit together in a sibling folder
`scrapecreators/`, as the vendor's sample responses do, so each source also
reads the files there whose names start with its prefixes:

- news: `google_search`, `reddit_`, `twitter_`, `account_credit_balance`
- truthsocial: `truthsocial_`

A file in `scrapecreators/` that matches neither list is skipped with a
warning and counted. NOTE: the runner skips a source whose own folder is
missing, so a landing folder with only `scrapecreators/` needs an empty
`news/` or `truthsocial/` folder beside it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ingest.source import LoadContext

log = logging.getLogger(__name__)

SCRAPECREATORS_FOLDER = "scrapecreators"
NEWS_PREFIXES = ("google_search", "reddit_", "twitter_", "account_credit_balance")
TRUTHSOCIAL_PREFIXES = ("truthsocial_",)
_ALL_PREFIXES = NEWS_PREFIXES + TRUTHSOCIAL_PREFIXES


def landing_files(
    folder: Path, ctx: LoadContext, prefixes: tuple[str, ...]
) -> list[Path]:
    """Return the files of `folder` and this source's files in `../scrapecreators`.

    Entries that are not regular files are skipped and counted.
    """
    files: list[Path] = []
    for path in sorted(folder.iterdir()):
        if path.is_file():
            files.append(path)
        else:
            ctx.skip("unrecognised file", f"{path.name} is not a regular file")
    sibling = folder.parent / SCRAPECREATORS_FOLDER
    if sibling.is_dir() and sibling.resolve() != folder.resolve():
        for path in sorted(sibling.iterdir()):
            name = path.name
            if not path.is_file():
                continue
            if name.startswith(prefixes):
                files.append(path)
            elif not name.startswith(_ALL_PREFIXES):
                ctx.skip("unrecognised file", f"{SCRAPECREATORS_FOLDER}/{name}")
            else:
                log.debug("%s: %s belongs to another source", ctx.source, name)
    return files
