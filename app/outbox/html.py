"""The HTML part of a mail, made from its plain-text part so both always say the same."""

import re

from markupsafe import Markup, escape

# A web address in running text; a trailing full stop, comma or bracket belongs to the sentence.
_URL = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")
# Long addresses wrap anywhere, so a mail never scrolls sideways on a phone.
_LINK = Markup(
    '<a href="%s" target="_blank" rel="noopener" '
    'style="color:#00558c;word-break:break-all;overflow-wrap:anywhere">%s</a>'
)


def _line(line: str) -> Markup:
    out, last = [], 0
    for match in _URL.finditer(line):
        out.append(escape(line[last : match.start()]))
        out.append(_LINK % (match.group(0), match.group(0)))
        last = match.end()
    out.append(escape(line[last:]))
    return Markup("").join(out)


def paragraphs(text: str) -> list[Markup]:
    """Paragraphs (split on blank lines) with line breaks kept and web addresses made links.

    Jinja's `urlize` does the same for any text but cost a tenth of a registration's time; mail
    text is ours and only ever holds http(s) addresses."""
    return [
        Markup("<br>\n").join(_line(line) for line in block.split("\n"))
        for block in text.strip().split("\n\n")
    ]


def inline(text: str) -> Markup:
    """One stretch of text as `paragraphs` lays it out inside a paragraph: line breaks kept, web
    addresses made links (for a value put into an HTML part that was laid out before)."""
    return Markup("<br>\n").join(_line(line) for line in text.split("\n"))
