"""An article pasted as HTML, made plain text: one paragraph per block, page furniture left out.

Beautiful Soup with the standard library's html.parser reads whatever a browser's copy gives
(broken markup included); nothing is fetched and no script runs.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote")
FURNITURE = ("script", "style", "noscript", "template", "nav", "aside", "footer", "form")


def paragraphs(html: str) -> str:
    """The text of each paragraph, heading, list item and quote block, a blank line between
    them; scripts, styles, navigation, asides, footers and forms dropped. A page with none of
    those blocks gives its whole text, one paragraph per line."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(FURNITURE):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    blocks = [b for b in soup.find_all(BLOCKS) if not b.find_parent(BLOCKS)]
    texts = [_plain(b.get_text()) for b in blocks] if blocks else _lines(soup.get_text("\n"))
    return "\n\n".join(t for t in texts if t)


def _plain(text: str) -> str:
    """Runs of spaces and line breaks as one space, as a browser shows them."""
    return re.sub(r"\s+", " ", text).strip()


def _lines(text: str) -> list[str]:
    return [_plain(line) for line in text.splitlines()]
