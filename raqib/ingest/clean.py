"""Clean article text and metadata from HTML, plain-text scrapes and news JSON.

Every path returns the same `Cleaned` record whose `text` is what the rest of Raqib
reads and points offsets into: the headline, the lede, then the body, paragraphs
separated by a blank line, page chrome removed (and listed in `removed`).

HTML goes through trafilatura for the body and metadata. Trafilatura returns the title
only as metadata and tends to drop a standfirst printed above the article body, so the
headline (the page's <h1>, which lacks the " - Site name" suffix of <title>) and the lede
(a standfirst/summary element or the meta description) are put back in front here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from raqib.ingest.chrome import (
    Block,
    dechrome,
    join_blocks,
    load_chrome_data,
    looks_like_headline,
    split_blocks,
)
from raqib.ingest.newsjson import NewsJsonError, read_news_json

__all__ = ["CleanError", "Cleaned", "clean_html", "clean_news_json", "clean_plain_text"]


class CleanError(ValueError):
    """Input from which no article text can be cleaned; the message is one line."""


@dataclass(slots=True)
class Cleaned:
    """Article text plus what the page says about it."""

    text: str
    title: str | None = None
    byline: str | None = None
    section: str | None = None
    published: str | None = None  # ISO 8601 date
    outlet: str | None = None
    url: str | None = None
    removed: list[str] = field(default_factory=list)
    # The language the page or feed declares (ISO 639-1): a hint only, templates lie.
    language: str | None = None


# ---------------------------------------------------------------- plain text


def clean_plain_text(text: str) -> Cleaned:
    """Clean a plain-text scrape: section label, captions, byline, prompts removed."""
    if not text or not text.strip():
        raise CleanError("empty text: nothing to clean")
    result = dechrome(split_blocks(text))
    if not result.blocks:
        raise CleanError("no article text left after removing page chrome")
    first = result.blocks[0][0]
    return Cleaned(
        text=join_blocks(result.blocks),
        title=first if looks_like_headline(first) else None,
        byline=result.byline,
        section=result.section,
        outlet=result.outlet,
        removed=result.removed,
    )


# ---------------------------------------------------------------- news JSON


def _contract_document(document: dict[str, Any]) -> Cleaned:
    """A Raqib extraction (the contract's JSON): its text is already clean, and is kept
    exactly so that the document keeps its id and every span's offsets stay valid."""
    text = document.get("text")
    if not isinstance(text, str) or not text.strip():
        raise CleanError("extraction JSON has no document.text")

    def field(name: str) -> str | None:
        value = document.get(name)
        return value if isinstance(value, str) and value.strip() else None

    removed = document.get("removed")
    return Cleaned(
        text=text, title=field("title"), byline=field("byline"), section=field("section"),
        published=field("published"), outlet=field("outlet"), url=field("url"),
        removed=[r for r in removed if isinstance(r, str)] if isinstance(removed, list) else [],
    )


def clean_news_json(data: dict[str, Any] | str) -> Cleaned:
    """Clean a news-please or trafilatura JSON record (a dict or its JSON text)."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise CleanError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(data, dict) and isinstance(data.get("document"), dict):
        return _contract_document(data["document"])
    try:
        news = read_news_json(data)
    except NewsJsonError as exc:
        raise CleanError(str(exc)) from None
    result = dechrome(
        _lines_as_paragraphs(news.text), find_section=False, find_byline=not news.byline
    )
    if not result.blocks:
        raise CleanError("no article text left after removing page chrome")
    title = _squash(news.title) if news.title else None
    lede = _squash(news.lede) if news.lede else None
    return Cleaned(
        text=join_blocks(_front_matter(title, lede, result.blocks)),
        title=title,
        byline=news.byline or result.byline,
        section=news.section,
        published=news.published,
        outlet=news.outlet or result.outlet,
        url=news.url,
        removed=result.removed,
        language=news.language,
    )


# ---------------------------------------------------------------- HTML


@dataclass(frozen=True, slots=True)
class _HtmlRules:
    drop_tags: tuple[str, ...]
    lede_class: re.Pattern[str]
    lede_excluded: frozenset[str]
    lede_min_words: int
    lede_max_words: int
    meta_lede_min_words: int


@cache
def _html_rules() -> _HtmlRules:
    data = load_chrome_data()["html"]
    words = "|".join(re.escape(word) for word in data["lede_classes"])
    return _HtmlRules(
        drop_tags=tuple(data["drop_tags"]),
        lede_class=re.compile(rf"(?:^|[\s_-])(?:{words})(?:$|[\s_-])", re.IGNORECASE),
        lede_excluded=frozenset(data["lede_excluded_ancestors"]),
        lede_min_words=int(data["lede_min_words"]),
        lede_max_words=int(data["lede_max_words"]),
        meta_lede_min_words=int(data["meta_lede_min_words"]),
    )


@dataclass(slots=True)
class _Page:
    """What we read from the page ourselves, before trafilatura takes the tree."""

    h1s: list[str]
    meta: dict[str, str]
    head_title: str | None
    lede_candidates: list[str]
    body: lxml.html.HtmlElement | None
    language: str | None
    captions: list[str]

    def visible_text(self) -> str:
        """The page's body text, whitespace collapsed (computed on demand: it is long)."""
        return _text_of(self.body) if self.body is not None else ""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*$")


def clean_html(html: str, url: str | None = None) -> Cleaned:
    """Clean an HTML page: headline + lede + body text, and the page's metadata."""
    if not html or not html.strip():
        raise CleanError("empty HTML: nothing to clean")
    tree = _parse(html)
    page = _read_page(tree)
    doc = _trafilatura(tree, url)
    body = _lines_as_paragraphs(doc.text or "") if doc is not None else []
    result = dechrome(body, find_section=False, find_byline=not (doc and doc.author))
    if not result.blocks:
        raise CleanError("no article text found in the HTML")
    title = _choose_title(page, _squash(doc.title) if doc and doc.title else None)
    lede = _choose_lede(page, title, result.blocks)
    return Cleaned(
        text=join_blocks(_front_matter(title, lede, result.blocks)),
        title=title,
        byline=(doc.author if doc else None) or result.byline,
        section=_section(doc, page),
        published=doc.date if doc else None,
        outlet=(doc.sitename if doc else None) or result.outlet or _hostname(url),
        url=(doc.url if doc else None) or url,
        removed=page.captions + result.removed,
        language=page.language,
    )


def _parse(html: str) -> lxml.html.HtmlElement:
    """Parse with lxml's default depth limit; refuse documents that exceed it."""
    # NUL and other control characters make libxml2 stop early or reject the text.
    data = _CONTROL.sub("", html).encode("utf-8", errors="replace")
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        tree = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise CleanError(f"HTML could not be parsed: {_one_line(exc)}") from None
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        # libxml2 silently drops everything below depth 256: refuse rather than return
        # a truncated article.
        raise CleanError("HTML nested too deeply (over 255 levels) to be read completely")
    return tree


def _read_page(tree: lxml.html.HtmlElement) -> _Page:
    """Drop never-text elements, then collect headline, lede and metadata evidence."""
    captions = _drop_unwanted(tree)
    head_title = tree.findtext(".//title")
    body = tree.find("body")
    return _Page(
        h1s=[text for h1 in tree.iter("h1") if (text := _text_of(h1))],
        meta=_meta(tree),
        head_title=_squash(head_title) if head_title else None,
        lede_candidates=_lede_candidates(tree),
        body=body,
        language=_declared_language(tree),
        captions=captions,
    )


def _drop_unwanted(tree: lxml.html.HtmlElement) -> list[str]:
    """Remove scripts, styles, embeds, form controls and captions; return the captions."""
    captions: list[str] = []
    for element in list(tree.iter(*_html_rules().drop_tags)):
        if element.tag == "figcaption" and (text := _text_of(element)):
            captions.append(text)
        if element.getparent() is not None:
            element.drop_tree()
    return captions


def _meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content and content.strip():
            meta.setdefault(key.strip().lower(), _squash(content))
    return meta


def _declared_language(tree: lxml.html.HtmlElement) -> str | None:
    for element in tree.iter("meta"):
        if (element.get("http-equiv") or "").lower() == "content-language":
            return _iso639_1(element.get("content"))
    return _iso639_1(tree.get("lang") or tree.get("xml:lang"))


def _iso639_1(tag: str | None) -> str | None:
    code = (tag or "").strip().split(",")[0].replace("_", "-").split("-")[0].lower()
    return code if len(code) == 2 and code.isalpha() else None


def _lede_candidates(tree: lxml.html.HtmlElement) -> list[str]:
    """Texts of standfirst-like elements after the first <h1>, in document order."""
    rules = _html_rules()
    path = (
        "//h1[1]/following::*[@class or @id]"
        if tree.find(".//h1") is not None
        else ("//body//*[@class or @id]")
    )
    found: list[str] = []
    for element in tree.xpath(path):
        if not rules.lede_class.search(f"{element.get('class', '')} {element.get('id', '')}"):
            continue
        if any(a.tag in rules.lede_excluded for a in element.iterancestors()):
            continue
        text = _text_of(element)
        if rules.lede_min_words <= len(text.split()) <= rules.lede_max_words:
            found.append(text)
    return found


def _trafilatura(tree: lxml.html.HtmlElement, url: str | None) -> Any:
    try:
        return trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # a third-party failure must not escape as a traceback
        raise CleanError(f"article extraction failed: {_one_line(exc)}") from None


def _choose_title(page: _Page, extracted: str | None) -> str | None:
    """The <h1> that agrees with the page title, else trafilatura's title, else an <h1>."""
    site = page.meta.get("og:site_name")
    h1s = [h for h in page.h1s if h != site and len(h.split()) >= 2]
    references = [t for t in (page.meta.get("og:title"), page.head_title, extracted) if t]
    for h1 in h1s:
        if any(h1 in ref or ref in h1 for ref in references):
            return h1
    return extracted or (h1s[0] if h1s else None)


def _choose_lede(page: _Page, title: str | None, body: list[Block]) -> str | None:
    """The standfirst, unless the body already has it.

    Evidence in order: the meta description where the page prints it, a standfirst-like
    element after the headline, and the meta description alone when it reads like a lede.
    """
    body_text = _squash(" ".join(line for block in body for line in block))
    description = next(
        (
            page.meta[k]
            for k in ("og:description", "description", "twitter:description")
            if k in page.meta
        ),
        None,
    )
    printed, unprinted = _described(page, description)
    for lede in (*printed, *page.lede_candidates, *unprinted):
        if lede == title:
            continue
        return None if _squash(lede) in body_text else lede
    return None


def _described(page: _Page, description: str | None) -> tuple[list[str], list[str]]:
    """The meta description as a lede: ([as printed on the page], [if not printed])."""
    if not description:
        return [], []
    core = _ELLIPSIS.sub("", description)
    truncated = core != description
    for candidate in page.lede_candidates:
        if candidate.startswith(core):
            return [candidate], []
    if not truncated and core in page.visible_text():
        return [description], []
    site = page.meta.get("og:site_name")
    if (
        truncated
        or len(description.split()) < _html_rules().meta_lede_min_words
        or (site and site.lower() in description.lower())  # about the site, not the story
    ):
        return [], []
    return [], [description]


def _section(doc: Any, page: _Page) -> str | None:
    categories = doc.categories if doc is not None else None
    if categories:
        return str(categories[0])
    return page.meta.get("article:section")


def _hostname(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


# ---------------------------------------------------------------- shared


def _front_matter(title: str | None, lede: str | None, body: list[Block]) -> list[Block]:
    """Headline and lede in front of the body, without repeating what the body has.

    A lede cut off with an ellipsis is a teaser, not text as printed: it is left out.
    """
    blocks = list(body)
    if title and blocks and _squash(blocks[0][0]) == title:
        blocks[0] = blocks[0][1:]
        blocks = [b for b in blocks if b]
    body_text = _squash(" ".join(line for block in blocks for line in block))
    front: list[Block] = [[title]] if title else []
    if lede and lede != title and lede not in body_text and not _ELLIPSIS.search(lede):
        front.append([lede])
    return front + blocks


def _lines_as_paragraphs(text: str) -> list[Block]:
    """Extractors put one paragraph per line: make each line its own block."""
    return [[line] for block in split_blocks(text) for line in block]


def _text_of(element: lxml.html.HtmlElement) -> str:
    return _squash(element.text_content())


def _squash(text: str) -> str:
    """Collapse HTML whitespace: in markup, runs of spaces and newlines are one space."""
    return " ".join(text.split())


def _one_line(exc: BaseException) -> str:
    message = _squash(str(exc)) or type(exc).__name__
    return message[:200]
