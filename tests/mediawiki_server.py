"""A MediaWiki-like API on loopback: ``/<lang>/w/api.php?action=parse&page=…`` answers
the article's parser output as ``action=parse`` does (formatversion=2), or the API's error
object for a missing page; ``action=query&prop=revisions&titles=…&rvslots=main``
answers the page's current wikitext, revision id and timestamp (formatversion=2), or the
page marked ``missing``. Articles come from the HTML fixtures, cut to what the API
returns: the ``div.mw-parser-output`` alone, without the skin around it."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from tests.loopback import LoopbackServer, Reply, Request

HTML_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse" / "html"


def parser_output(fixture: str) -> tuple[str, str]:
    """(title, parser output HTML) of an HTML fixture."""
    soup = BeautifulSoup((HTML_FIXTURES / fixture).read_text("utf-8"), "html.parser")
    title = soup.select_one("h1#firstHeading").get_text(strip=True)
    return title, str(soup.select_one(".mw-parser-output"))


class MediaWikiAPI:
    def __init__(self, server: LoopbackServer) -> None:
        self.server = server
        self.pages: dict[tuple[str, str], str] = {}  # (lang, title) -> parser output
        # (lang, title) -> (wikitext, revision id, timestamp)
        self.wikitexts: dict[tuple[str, str], tuple[str, int, str]] = {}

    @property
    def api_base(self) -> str:
        return self.server.url("/{lang}/w/api.php")

    def add(self, lang: str, title: str, html: str) -> None:
        self.pages[(lang, title)] = html
        self._route(lang)

    def add_wikitext(self, lang: str, title: str, text: str, *, revid: int, timestamp: str) -> None:
        self.wikitexts[(lang, title)] = (text, revid, timestamp)
        self._route(lang)

    def _route(self, lang: str) -> None:
        self.server.route(f"/{lang}/w/api.php", lambda req, lang=lang: self._answer(lang, req))

    def _answer(self, lang: str, request: Request) -> Reply:
        query = {k: v[0] for k, v in request.query.items()}
        if query.get("action") == "query" and query.get("format") == "json":
            return self._revisions(lang, query)
        if query.get("action") != "parse" or query.get("format") != "json":
            return Reply(400, json.dumps({"error": {"code": "badrequest"}}))
        title = query.get("page", "").replace("_", " ")
        html = self.pages.get((lang, title))
        if html is None:
            body = {
                "error": {"code": "missingtitle", "info": "The page you specified doesn't exist."}
            }
        else:
            body = {"parse": {"title": title, "pageid": 8123456, "text": html}}
        return Reply(
            200,
            json.dumps(body, ensure_ascii=False),
            headers={"Content-Type": "application/json; charset=utf-8"},
        )

    def _revisions(self, lang: str, query: dict[str, str]) -> Reply:
        wanted = (query.get("prop"), query.get("rvslots"), query.get("formatversion"))
        props = set(query.get("rvprop", "").split("|"))
        if wanted != ("revisions", "main", "2") or not {"content", "ids"} <= props:
            return Reply(400, json.dumps({"error": {"code": "badrequest"}}))
        title = query.get("titles", "").replace("_", " ")
        found = self.wikitexts.get((lang, title))
        if found is None:
            page: dict = {"ns": 0, "title": title, "missing": True}
        else:
            text, revid, timestamp = found
            page = {
                "pageid": 8123456,
                "ns": 0,
                "title": title,
                "revisions": [
                    {
                        "revid": revid,
                        "parentid": revid - 1,
                        "timestamp": timestamp,
                        "slots": {
                            "main": {
                                "contentmodel": "wikitext",
                                "contentformat": "text/x-wiki",
                                "content": text,
                            }
                        },
                    }
                ],
            }
        body = {"batchcomplete": True, "query": {"pages": [page]}}
        return Reply(
            200,
            json.dumps(body, ensure_ascii=False),
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
