"""The one module that imports waybackpy: what it does right, and only that.

waybackpy (a named dependency) is used for:

- building CDX API queries (``waybackpy.cdx_utils.full_url``): it repeats ``filter`` and
  ``collapse`` parameters instead of overwriting them and quotes every value;
- checking CDX ``filter`` and ``sort`` arguments against the CDX syntax before a request is
  spent on them (``check_filters``, ``check_sort``);
- CDX records (``waybackpy.cdx_snapshot.CDXSnapshot``): field names and the timestamp as a
  datetime.

Every request is sent by the project's ``Transport`` instead, because, as measured,
waybackpy's own clients cannot meet the archive check's rules:

- it sets no request timeout, so one stalled archive would hang the run; the Transport
  puts a deadline and a body cap on every request;
- it sleeps 5 s before every availability API call, and asks one URL at a time; we send
  the availability API's batched POST (``Wayback-Api-Version: 2``) for a whole article;
- it cannot parse the CDX API's JSON output (``output=json``); ``cdx.py`` parses JSON
  and text;
- it turns a 429 or a 500 into an empty list of snapshots, which would report a
  rate-limited lookup as ``missing``; ``ask.py`` backs off on 429/503 and reports what
  is still unanswered as ``error``;
- its Save Page Now client retries with fixed sleeps and knows only web.archive.org;
  ``save.py`` talks to the configured ``--wayback-url`` with the run's deadline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from waybackpy.cdx_snapshot import CDXSnapshot
from waybackpy.cdx_utils import check_filters, check_sort, full_url
from waybackpy.exceptions import WaybackError

__all__ = ["CDX_FIELDS", "CDXSnapshot", "cdx_query_url", "snapshot"]

CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")


def cdx_query_url(
    base: str,
    url: str,
    *,
    output: str = "json",
    filters: Sequence[str] = (),
    collapses: Sequence[str] = (),
    from_: str | None = None,
    to: str | None = None,
    limit: int | None = None,
    closest: str | None = None,
    sort: str | None = None,
) -> str:
    """The CDX API request URL under ``base``; ``ValueError`` for a malformed argument."""
    try:
        check_filters(list(filters))
        check_sort(sort)
    except WaybackError as exc:
        raise ValueError(str(exc)) from None
    params: dict[str, str] = {"url": url}
    if output != "text":
        params["output"] = output
    # full_url turns every key starting with "filter"/"collapse" into a repeated parameter.
    params.update({f"filter{i}": f for i, f in enumerate(filters)})
    params.update({f"collapse{i}": c for i, c in enumerate(collapses)})
    optional = {"from": from_, "to": to, "limit": limit, "closest": closest, "sort": sort}
    params.update({k: str(v) for k, v in optional.items() if v is not None})
    return full_url(base.rstrip("/") + "/cdx/search/cdx", params)


def snapshot(fields: Mapping[str, str]) -> CDXSnapshot:
    """One CDX record; fields the archive left out are empty. ``ValueError`` if malformed."""
    record = {name: str(fields.get(name, "")) for name in CDX_FIELDS}
    try:
        return CDXSnapshot(record)
    except ValueError as exc:  # a timestamp that is not YYYYMMDDhhmmss
        raise ValueError(f"malformed CDX record {dict(fields)!r}: {exc}") from None
