"""OFX read as banks send it: a lenient element tree over OFX 1 (SGML) and OFX 2 (XML).

The spec's strict readers refuse what real banks produce every day: no header, no `<?xml?>`
line, a header inside a comment, elements (and sometimes aggregates) left unclosed, a NUL
byte after `</OFX>`, values longer than the spec allows. bo needs only a handful of values
from a statement, so it reads the tags itself with a few forgiving rules:

- everything before the `<OFX>` tag is header, whatever form it takes;
- a tag followed by text is an element holding that value, closed or not;
- a closing tag closes every aggregate opened inside it (an unclosed `<BANKTRANLIST>` ends
  at `</STMTRS>`), and one matching nothing open is ignored;
- a tag of the name of an open aggregate closes it first (`<STMTTRN>` after an unclosed one
  is its sibling, never its child).

Every element keeps the line it starts on, so a bad value is named with its line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bo.errors import Source
from bo.statements.model import StatementError

# Tags, comments, processing instructions and text, in one pass. A `<` that starts no tag
# is text, so a stray one in a payee cannot swallow the tags after it.
_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[(?P<cdata>.*?)\]\]>|<[?!][^<>]*>"
    r"|<(?P<close>/?)(?P<tag>[A-Za-z][A-Za-z0-9._-]*)[^<>]*?(?P<empty>/?)>"
    r"|(?P<text>[^<]+|<)",
    re.DOTALL,
)
_ROOT = re.compile(r"<OFX\s*>", re.IGNORECASE)
HEADER_BYTES = 1024  # where a header declares the character set
_WINDOWS = re.compile(rb"CHARSET:\s*(?:WINDOWS-?)?(?:1252|ISO-?8859-1|8859-1|LATIN-?1)\b", re.I)
_UTF8 = re.compile(rb"ENCODING:\s*UTF-?8|encoding=[\"']utf-?8", re.I)
# A statement nests about eight deep; a file nesting far deeper is not a statement, and
# bounding it keeps the tree walks cheap.
MAX_DEPTH = 64


@dataclass(slots=True)
class Element:
    """One OFX element (a value) or aggregate (children), and the line it starts on."""

    tag: str
    line: int
    text: str | None = None
    children: list[Element] = field(default_factory=list)

    def iter(self, tags: frozenset[str]) -> Iterator[Element]:
        """Elements named one of `tags` below this one, in file order, not looking inside
        those found."""
        stack = list(reversed(self.children))
        while stack:
            element = stack.pop()
            if element.tag in tags:
                yield element
            else:
                stack.extend(reversed(element.children))

    def fields(self) -> dict[str, Element]:
        """The first element of each name below this one: a transaction's values, in one
        walk instead of one per value."""
        found: dict[str, Element] = {}
        stack = list(reversed(self.children))
        while stack:
            element = stack.pop()
            found.setdefault(element.tag, element)
            stack.extend(reversed(element.children))
        return found

    def find(self, *tags: str) -> Element | None:
        """The first element below this one named one of `tags`."""
        return next(self.iter(frozenset(tags)), None)

    def value(self, *tags: str) -> str | None:
        """The text of the first element named one of `tags`; None when absent or empty."""
        element = self.find(*tags)
        return element.text if element is not None and element.text else None


def decode(data: bytes) -> str:
    """The file's text in the character set its header declares (OFX 1's `CHARSET:1252`),
    else UTF-8 where it reads as such, else Windows-1252."""
    head = data[:HEADER_BYTES]
    if _WINDOWS.search(head) and not _UTF8.search(head):
        # Declared: "Â\xa0" in 1252 is also valid UTF-8, for another text.
        return data.decode("cp1252", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_ofx(data: bytes, filename: str) -> Element:
    """The `<OFX>` aggregate of the file; StatementError saying what is missing when the
    file has none, or was cut before its end."""
    text = decode(data)
    start = _ROOT.search(text)
    if start is None:
        raise StatementError("not an OFX statement: no <OFX> tag opens its body", Source(filename))
    line = text.count("\n", 0, start.start()) + 1
    root = Element("OFX", line)
    stack = [root]
    names = ["OFX"]  # the tags of `stack`, to look an open aggregate up by name
    closed_any = False  # whether the file closes its aggregates at all
    for match in _TOKEN.finditer(text, start.end()):
        token = match.group(0)
        tag, close, empty, cdata = match.group("tag", "close", "empty", "cdata")
        if tag is not None:
            tag = tag.upper()
            if close:
                closed_any = True
                if tag in names:
                    depth = len(names) - 1 - names[::-1].index(tag)
                    del stack[depth:], names[depth:]
                if not stack:
                    break  # </OFX>: what follows (a NUL byte, a second header) is not ours
                line += token.count("\n")
                continue
            if tag in names[1:]:  # an open aggregate of this name ends where its sibling starts
                depth = names.index(tag, 1)
                del stack[depth:], names[depth:]
            element = Element(tag, line)
            stack[-1].children.append(element)
            if not empty:
                stack.append(element)
                names.append(tag)
                if len(stack) > MAX_DEPTH:
                    raise StatementError(
                        f"not an OFX statement: its tags nest more than {MAX_DEPTH} deep",
                        Source(filename, line),
                    )
        elif not token.isspace():
            value = token.strip() if cdata is None else cdata.strip()
            if cdata is None and "&" in value:
                value = html.unescape(value)
            top = stack[-1]
            if value and top is not root and top.text is None and not top.children:
                top.text = value
                stack.pop()  # a value closes its element, whether or not a tag follows
                names.pop()
        line += token.count("\n")
    if stack and closed_any:
        raise StatementError(
            "the file ends before </OFX>: it was cut short; download the statement again",
            Source(filename, line),
        )
    return root
