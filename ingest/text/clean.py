"""One cleaning pass for every post and article the text loaders store.

`clean_text` turns a vendor's text or HTML into the plain text that is
bucketed, scored and stored, and flags what the text is:

- HTML (Truth Social `content`, Reddit `selftext_html`) goes through
  BeautifulSoup's `html.parser`. Paragraphs and `<br>` become line breaks,
  and a mention (`<span class="h-card">`) glued to the next word gets a
  space after it.
- Entities (`&amp;`, `&#39;`) are decoded in plain text too.
- Mojibake, UTF-8 bytes decoded as Latin-1 (`Chinaâ\\x80\\x99s` for
  `China’s`), is repaired with `ftfy.fix_encoding`, which also handles
  posts where only part of the text is mis-decoded. Without ftfy the text
  is re-encoded as Latin-1 and decoded as UTF-8, and kept as it was when
  that fails.
- U+FFFD replacement characters (a byte already lost upstream) are removed.
- A repost starts with `RT @handle` or `RT:`. It is flagged and the handle
  is kept when it can be separated from the text: Truth Social archives
  glue the handle to the reposted text (`RT @realDonaldTrumpAnybody`), so a
  handle is taken only from HTML or when a colon follows it.
- A post that is a single URL is link-only. A Truth Social status URL glued
  to the quoting text (`.../114712550508860920Thank you`) gets a space.
- A post with media and no text is media-only. It is kept with empty text
  and is not scored.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag

log = logging.getLogger(__name__)

_HTML_TAG = re.compile(r"<\s*(?:p|br|a|span|div|ol|ul|li|em|strong|b|i)\b[^>]*>", re.I)
_HORIZONTAL_SPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")
_URL_ONLY = re.compile(r"^https?://\S+$")
_GLUED_STATUS_URL = re.compile(
    r"(https?://truthsocial\.com/\S*?/(?:posts/|statuses/)?\d{15,20})(?=\S)"
)
_REPOST_HANDLE = re.compile(r"^RT\s*@(?P<handle>[A-Za-z0-9_]{1,30}):")
_REPOST_PREFIX = re.compile(r"^RT(?:\s*@|:|\s)")
# C1 control characters and the Latin-1 letters that UTF-8 lead bytes turn
# into; plain ASCII text never needs the repair.
_MOJIBAKE_HINT = re.compile(r"[\u0080-\u00ff]")


@dataclass(frozen=True)
class CleanedText:
    """A cleaned text and what the cleaning found out about it."""

    text: str
    is_repost: bool = False
    repost_of: str | None = None
    is_link_only: bool = False
    is_media_only: bool = False
    mojibake_repaired: bool = False

    @property
    def is_scorable(self) -> bool:
        """Whether the text is bucketed and scored, that is, not empty."""
        return bool(self.text)


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Return `text` with UTF-8-read-as-Latin-1 sequences fixed, and whether any were.

    Text without characters in U+0080..U+00FF is returned unchanged.
    """
    if not _MOJIBAKE_HINT.search(text):
        return text, False
    try:
        import ftfy
    except ImportError:  # pragma: no cover - ftfy is a pinned dependency
        try:
            fixed = text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text, False
        return fixed, fixed != text
    fixed = ftfy.fix_encoding(text)
    return fixed, fixed != text


def looks_like_html(text: str) -> bool:
    """Return whether `text` contains the tags Mastodon or Reddit put in post HTML."""
    return bool(_HTML_TAG.search(text))


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Return the visible text of post HTML and the first mentioned handle.

    Paragraphs and `<br>` become line breaks. Mastodon splits a long link
    into `invisible` and `ellipsis` spans; their text is joined, so the full
    URL survives.
    """
    soup = BeautifulSoup(markup, "html.parser")
    first_mention: str | None = None
    for mention in soup.select("span.h-card"):
        handle = mention.get_text().strip()
        if first_mention is None and handle.startswith("@"):
            first_mention = handle[1:]
        following = mention.next_sibling
        if isinstance(following, NavigableString) and following[:1].isalnum():
            mention.append(" ")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(["p", "div", "li"]):
        if isinstance(block, Tag):
            block.append("\n")
    return soup.get_text(), first_mention


def normalise_whitespace(text: str) -> str:
    """Collapse spaces (no-break and other Unicode spaces too) and blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _HORIZONTAL_SPACE.sub(" ", text)
    text = _BLANK_LINES.sub("\n", text)
    return text.strip()


def clean_text(
    raw: str | None, *, has_media: bool = False, is_html: bool | None = None
) -> CleanedText:
    """Clean one post or article text.

    Args:
        raw: the text or HTML as the vendor sent it; None reads as empty.
        has_media: the post carries images or video, so an empty text makes
            it media-only.
        is_html: parse as HTML; None decides from the text (known tags).

    Returns:
        The cleaned text with its flags.
    """
    text, repaired = repair_mojibake(raw or "")
    mention: str | None = None
    if is_html or (is_html is None and looks_like_html(text)):
        text, mention = html_to_text(text)
    elif "&" in text:
        text = html.unescape(text)
    text = text.replace("\ufffd", " ")
    text = normalise_whitespace(text)
    text = _GLUED_STATUS_URL.sub(r"\1 ", text)

    is_repost = bool(_REPOST_PREFIX.match(text))
    repost_of = None
    if is_repost:
        match = _REPOST_HANDLE.match(text)
        if match:
            repost_of = match.group("handle")
        elif mention and text.startswith(f"RT @{mention}"):
            repost_of = mention
    return CleanedText(
        text=text,
        is_repost=is_repost,
        repost_of=repost_of,
        is_link_only=bool(_URL_ONLY.match(text)),
        is_media_only=has_media and not text,
        mojibake_repaired=repaired,
    )
