"""The HTML protocol read back with an HTML parser: structure, accessibility, escaping."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from protocol_support import HOSTILE, MINDS, PLANS, export_file, exported, write_plan

VOID = {"meta", "br", "img", "hr", "input", "link", "area", "base", "col", "source", "wbr"}


class Tree(HTMLParser):
    """Just enough of the page: every element with its attributes, text and ancestors."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict[str, object]] = []
        self.stack: list[dict[str, object]] = []
        self.html_lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el: dict[str, object] = {"tag": tag, "attrs": dict(attrs), "text": "",
                                 "parents": [e["tag"] for e in self.stack]}
        self.elements.append(el)
        if tag == "html":
            self.html_lang = dict(attrs).get("lang") or ""
        if tag not in VOID and not tag.endswith("/"):
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": "",
                              "parents": [e["tag"] for e in self.stack]})

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        for el in self.stack:
            el["text"] = str(el["text"]) + data

    def all(self, tag: str) -> list[dict[str, object]]:
        return [e for e in self.elements if e["tag"] == tag]


def parse(text: str) -> Tree:
    tree = Tree()
    tree.feed(text)
    tree.close()
    return tree


@pytest.fixture(scope="module")
def minds() -> tuple[str, Tree]:
    html = exported(str(MINDS), "html").data
    assert isinstance(html, str)
    return html, parse(html)


def test_language_title_and_one_h1(minds: tuple[str, Tree]) -> None:
    html, tree = minds
    assert html.startswith("<!DOCTYPE html>")
    assert tree.html_lang == "en-GB"
    assert len(tree.all("h1")) == 1
    assert "MINDS" in str(tree.all("title")[0]["text"])
    assert tree.all("meta")[0]["attrs"].get("charset") == "utf-8"  # type: ignore[union-attr]


def test_heading_order_has_no_skips(minds: tuple[str, Tree]) -> None:
    levels = [int(str(e["tag"])[1]) for e in minds[1].elements
              if re.fullmatch(r"h[1-6]", str(e["tag"]))]
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels
    assert 3 in levels


def test_landmarks_and_skip_link(minds: tuple[str, Tree]) -> None:
    _, tree = minds
    links = tree.all("a")
    assert links[0]["attrs"] == {"class": "skip-link", "href": "#main"}
    mains = tree.all("main")
    assert len(mains) == 1 and mains[0]["attrs"]["id"] == "main"  # type: ignore[index]
    assert tree.all("nav") and tree.all("header") and tree.all("footer")


def test_tables_have_captions_header_rows_and_scopes(minds: tuple[str, Tree]) -> None:
    _, tree = minds
    tables = tree.all("table")
    assert len(tables) >= 15
    assert len(tree.all("caption")) == len(tables)
    assert len(tree.all("thead")) == len(tables)
    for th in tree.all("th"):
        scope = th["attrs"].get("scope")  # type: ignore[union-attr]
        assert scope == ("col" if "thead" in th["parents"] else "row")  # type: ignore[operator]
        assert str(th["text"]).strip()


def test_timeline_svg_is_an_image_with_a_text_alternative(minds: tuple[str, Tree]) -> None:
    html, tree = minds
    svgs = tree.all("svg")
    assert len(svgs) == 1
    attrs = svgs[0]["attrs"]
    assert attrs["role"] == "img"  # type: ignore[index]
    assert attrs["aria-label"]  # type: ignore[index]
    assert "width" not in attrs or attrs["width"] == "100%"  # type: ignore[operator,index]
    titles = [e for e in tree.all("title") if "svg" in e["parents"]]
    descs = tree.all("desc")
    assert titles and descs and "slow-down time" in str(descs[0]["text"])
    # slow-down time is a hatch pattern, not only a colour
    assert tree.all("pattern")
    assert re.search(r'fill="url\(#hatch-\d+\)"', html)
    assert tree.all("polygon")  # checkpoint and milestone markers
    assert tree.all("figcaption")
    for img in tree.all("img"):
        assert img["attrs"].get("alt")  # type: ignore[union-attr]


def test_styles_are_relative_and_print_ready(minds: tuple[str, Tree]) -> None:
    html, tree = minds
    css = str(tree.all("style")[0]["text"])
    assert "@media print" in css
    assert not re.search(r"(?<![-\w])(?:min-|max-)?width:\s*\d+px", css)
    assert "max-width: 52rem" in css
    assert "<link" not in html and "<script" not in html  # one self-contained page


def test_plan_text_is_escaped(tmp_path: Path) -> None:
    html = export_file(write_plan(tmp_path, HOSTILE), "html").data
    assert isinstance(html, str)
    tree = parse(html)
    assert not tree.all("script")
    assert not [e for e in tree.all("img") if "onerror" in e["attrs"]]  # type: ignore[operator]
    assert not tree.all("u") and not tree.all("i") and not tree.all("b")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in str(tree.all("h1")[0]["text"])
    assert "<script>alert(1)</script>" in str(tree.all("title")[0]["text"])
    assert "javascript:" not in " ".join(str(a["attrs"].get("href"))  # type: ignore[union-attr]
                                        for a in tree.all("a"))
    # the stage title inside the timeline picture is escaped too
    assert "&lt;/text&gt;&lt;script&gt;alert(4)" in html


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_every_plan_renders_a_well_formed_page(path: Path) -> None:
    html = exported(str(path), "html").data
    assert isinstance(html, str)
    tree = parse(html)
    assert len(tree.all("h1")) == 1
    ids = [e["attrs"].get("id") for e in tree.elements  # type: ignore[union-attr]
           if e["attrs"].get("id")]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for a in tree.all("a"):
        href = str(a["attrs"].get("href"))  # type: ignore[union-attr]
        if href.startswith("#"):
            assert href[1:] in ids, href
