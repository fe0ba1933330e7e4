"""Identifier links, COinS ids and CS1 parameters: recognised, keyed and normalised."""

from __future__ import annotations

import pytest

from verifier.parse import identifiers

LINKS = [
    ("https://doi.org/10.1016%2Fj.cell.2007.01.001", ("doi", "10.1016/j.cell.2007.01.001")),
    ("//doi.org/10.1093/jhered/esv085", ("doi", "10.1093/jhered/esv085")),
    ("http://dx.doi.org/10.1038/nature04338", ("doi", "10.1038/nature04338")),
    ("https://www.ncbi.nlm.nih.gov/pubmed/20603251", ("pmid", "20603251")),
    ("//pubmed.ncbi.nlm.nih.gov/31582427", ("pmid", "31582427")),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3118493", ("pmc", "3118493")),
    ("//www.worldcat.org/oclc/48837792", ("oclc", "48837792")),
    ("https://www.worldcat.org/issn/0028-0836", ("issn", "0028-0836")),
    ("https://ui.adsabs.harvard.edu/abs/2016Sci...354..225D", ("bibcode", "2016Sci...354..225D")),
    ("http://adsabs.harvard.edu/abs/2008Natur.452..951F", ("bibcode", "2008Natur.452..951F")),
    ("//arxiv.org/abs/1707.07826", ("arxiv", "1707.07826")),
    ("https://arxiv.org/abs/hep-th/9901001", ("arxiv", "hep-th/9901001")),
    ("//www.jstor.org/stable/1383335", ("jstor", "1383335")),
    ("https://api.semanticscholar.org/CorpusID:4375823", ("s2cid", "4375823")),
    ("//hdl.handle.net/10092/15066", ("hdl", "10092/15066")),
    ("./Special:BookSources/978-0-19-280290-9", ("isbn", "9780192802909")),
    ("/wiki/Special:BookSources/0-8050-6878-4", ("isbn", "0805068784")),
    ("https://zh.wikipedia.org/wiki/Special:%E7%BD%91%E7%BB%9C%E4%B9%A6%E6%BA%90/9787010086184",
     ("isbn", "9787010086184")),
    ("https://ru.wikipedia.org/wiki/%D0%A1%D0%BB%D1%83%D0%B6%D0%B5%D0%B1%D0%BD%D0%B0%D1%8F:"
     "%D0%98%D1%81%D1%82%D0%BE%D1%87%D0%BD%D0%B8%D0%BA%D0%B8_%D0%BA%D0%BD%D0%B8%D0%B3/5020117215",
     ("isbn", "5020117215")),
    ("https://search.worldcat.org/issn/0028-0836", ("issn", "0028-0836")),  # CS1 since 2024
    ("https://datatracker.ietf.org/doc/html/rfc9110", ("rfc", "9110")),
    ("//ssrn.com/abstract=1900856", ("ssrn", "1900856")),  # CS1's |ssrn= link
    ("http://opac.nlc.cn/F?func=direct&local_base=NLC09&doc_number=001238428",
     ("nlc", "001238428")),  # zh {{NLC}}
    # Not identifiers: a cited page on the same hosts, an ordinary page, a malformed ISBN.
    ("https://www.jstor.org/", None),
    ("https://www.ncbi.nlm.nih.gov/books/NBK22266/", None),
    ("https://www.nytimes.com/2019/01/01/science/cats.html", None),
    ("./Special:BookSources/12", None),
    ("mailto:someone@example.org", None),
]


@pytest.mark.parametrize(("url", "expected"), LINKS, ids=[u for u, _ in LINKS])
def test_identifier_links(url: str, expected: tuple[str, str] | None) -> None:
    assert identifiers.from_url(url) == expected


PARAMS = [("DOI", "doi"), ("isbn13", "isbn"), ("ISBN", "isbn"), ("eprint", "arxiv"),
          ("PMC", "pmc"), ("S2CID", "s2cid"), ("url", None), ("title", None)]


@pytest.mark.parametrize(("name", "key"), PARAMS)
def test_parameter_names(name: str, key: str | None) -> None:
    assert identifiers.param_key(name) == key


NORMALISE = [
    ("isbn", "978-0-19-280290-9", "9780192802909"),
    ("isbn", "0 8050 6878 x", "080506878X"),
    ("isbn", "not an isbn", None),
    ("issn", "00280836", "0028-0836"),
    ("pmc", "PMC3118493", "3118493"),
    ("doi", "doi:10.1000/182", "10.1000/182"),
    ("doi", "182", None),
    ("arxiv", "arXiv:1707.07826", "1707.07826"),
]


@pytest.mark.parametrize(("key", "value", "expected"), NORMALISE)
def test_normalise(key: str, value: str, expected: str | None) -> None:
    assert identifiers.normalise(key, value) == expected


def test_coins_ids() -> None:
    coins = {
        "rft_id": ["info:doi/10.1093/jhered/esv085", "info:pmid/26501197",
                   "info:bibcode/2016Sci...354..225D", "info:oclcnum/48837792",
                   "https://example.org/paper"],
        "rft.isbn": ["978-0-19-280290-9"],
    }
    assert identifiers.from_coins(coins) == {
        "doi": "10.1093/jhered/esv085",
        "pmid": "26501197",
        "bibcode": "2016Sci...354..225D",
        "oclc": "48837792",
        "isbn": "9780192802909",
    }


LABELLED = [("… doi:", "doi"), ("… ISSN\u00a0", "issn"), ("… eISSN ", "eissn"),
            ("ISBN-13 ", "isbn"), ("… S2CID ", "s2cid"), ("… ID ", None), ("Thedoi:", None)]


@pytest.mark.parametrize(("text", "key"), LABELLED)
def test_label_before_a_link(text: str, key: str | None) -> None:
    assert identifiers.label_before(text) == key
