"""Archives built for tests and benchmarks: WARC files (warcio), JSON Lines, folders of pages.

with ArchiveWriter(tmp_path / "crawl.warc.gz") as warc:
    warc.page(url, html_bytes, when)
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def warc_date(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class ArchiveWriter:
    """A WARC file written record by record (gzipped per record when the name ends in .gz)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] = path.open("wb")
        self._writer = WARCWriter(self._handle, gzip=path.name.endswith(".gz"))

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._handle.close()

    def page(
        self,
        url: str,
        body: bytes,
        when: datetime | None,
        *,
        status: str = "200 OK",
        content_type: str | None = "text/html; charset=utf-8",
    ) -> None:
        """A response record (no WARC-Date header when ``when`` is None)."""
        fields = [("Content-Type", content_type)] if content_type else []
        headers = StatusAndHeaders(status, fields, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers
        )
        if when is None:
            record.rec_headers.remove_header("WARC-Date")
        else:
            record.rec_headers.replace_header("WARC-Date", warc_date(when))
        self._writer.write_record(record)

    def other(self, url: str, kind: str, body: bytes = b"", when: datetime | None = None) -> None:
        """A request, revisit, metadata… record."""
        record = self._writer.create_warc_record(url, kind, payload=io.BytesIO(body))
        if when is not None:
            record.rec_headers.replace_header("WARC-Date", warc_date(when))
        self._writer.write_record(record)


def write_jsonl(path: Path, items: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(item, ensure_ascii=False, default=str) + "\n" for item in items),
        encoding="utf-8",
    )
    return path
