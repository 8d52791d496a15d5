"""Stage 1: read articles from files, folders, globs, JSONL and CSV.

Texts are decoded exactly once and never cleaned: every offset of every table indexes
the decoded text. Encodings other than UTF-8 are detected by charset-normalizer.
A bad input becomes an `Error` naming the file and the problem; the batch goes on.
"""
from __future__ import annotations

import codecs
import csv
import glob
import hashlib
import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from .records import Document, Error

STAGE = "ingest"
TEXT_SUFFIXES = {".txt", ".text", ""}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
# Russian news comes in UTF-8, CP1251 or KOI8-R; restricting the candidates keeps
# detection fast and stops it from choosing exotic code pages for short texts.
CANDIDATE_ENCODINGS = ["utf_8", "cp1251", "koi8_r", "mac_cyrillic", "cp866", "utf_16"]

# A news article is kilobytes; a file of many megabytes is a dump or a mistake, and would
# hold the batch up for minutes. Over the limit it is reported, not processed.
MAX_ARTICLE_MB = 5.0
CSV_FIELD_LIMIT = 131_072  # the csv module's default, in characters
JSON_BLOWUP = 8  # a JSONL line per article MB: escapes (\u0434 for д) take up to 6 bytes a letter
STRAY_BYTES = 200  # characters of UTF-8 text per undecodable byte taken as a stray one

HEADER_DATE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b")
HEADER_PHOTO = re.compile(r"Фото:\s*([^\n\r]*?)\s*(?:\r?\n|\Z)")


class InputError(ValueError):
    """An input that cannot be turned into a document; the message is for people."""


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named by paths, folders (their supported files) and globs, in a stable order."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".")
                and p.suffix.lower() in TEXT_SUFFIXES | RECORD_SUFFIXES
            )
            out.extend(files or [path])  # an empty folder is reported, not silently skipped
        elif is_pattern(str(raw)):
            matches = sorted(Path(p) for p in glob.glob(str(raw), recursive=True) if Path(p).is_file())
            out.extend(matches or [path])  # a pattern that matches nothing is reported too
        else:
            out.append(path)
    seen: set[Path] = set()
    return [p for p in out if not (p in seen or seen.add(p))]


def is_pattern(text: str) -> bool:
    """A glob (`news/*.txt`), not a path."""
    return any(ch in text for ch in "*?[")


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (BOM dropped) first, then detected Cyrillic code pages."""
    if not data.strip():
        raise InputError("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if stray_bytes_only(data):
            text = data.decode("utf-8", errors="replace")
        else:
            text = data.decode(detected_encoding(data))
    if "\x00" in text:
        raise InputError("binary content (NUL bytes), not a text article")
    return text


def detected_encoding(data: bytes) -> str:
    """The code page charset-normalizer finds for text that is not UTF-8 (CP1251, KOI8-R…)."""
    match = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if match is None:
        raise InputError("cannot decode: not UTF-8, CP1251 or KOI8-R text (binary file?)")
    return match.encoding


def stray_bytes_only(data: bytes) -> bool:
    """UTF-8 but for a few stray bytes (a character a scraper cut in two): at most one in
    `STRAY_BYTES` characters, each read as U+FFFD rather than the article lost. CP1251 or
    KOI8-R text read as UTF-8 fails at nearly every Cyrillic letter."""
    text = data.decode("utf-8", errors="replace")
    return (text.count("\ufffd") - data.count("\ufffd".encode())) * STRAY_BYTES <= len(text)


def parse_header(text: str) -> tuple[str, str]:
    """The `date YYYY-MM-DD` and `Фото: …` header of the news feed, if present."""
    date = HEADER_DATE.match(text)
    head = text[: text.find("\n")] if "\n" in text else text
    photo = HEADER_PHOTO.search(head + "\n")
    return (date.group(1) if date else "", photo.group(1) if photo else "")


def make_document(doc_id: str, source: str, text: str, raw: bytes, **meta: str) -> Document:
    published, photo = parse_header(text)
    return Document(
        doc_id=doc_id, source=source, text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        published=meta.get("published") or published,
        photo_credit=photo,
        title=meta.get("title") or "",
        url=meta.get("url") or "",
    )


def printable(path: str | Path) -> str:
    """A path as a table or a message can hold it: the bytes of a file name that is not
    UTF-8 (an archive from a CP1251 system) stay as `\\xNN` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def check_size(n_bytes: int, max_mb: float, where: str = "") -> None:
    if n_bytes > max_mb * 2**20:
        prefix = f"{where}: " if where else ""
        raise InputError(f"{prefix}{n_bytes / 2**20:.1f} MB is over the {max_mb:g} MB limit for one article "
                         "(raise it with --max-mb)")


def read_text_file(path: Path, max_mb: float = MAX_ARTICLE_MB) -> Document:
    check_size(path.stat().st_size, max_mb)
    data = path.read_bytes()
    doc = make_document(printable(path.stem), printable(path), decode(data), data)
    doc.ref = (str(path.resolve()), 0, -1)  # opened again as it is, whatever its bytes
    return doc


def record_document(record: dict, source: str, where: str, max_mb: float = MAX_ARTICLE_MB) -> Document:
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected an object with 'id' and 'text'")
    doc_id, text = record.get("id"), record.get("text")
    if doc_id in (None, ""):
        raise InputError(f"{where}: missing 'id'")
    if text is not None and not isinstance(text, str):
        raise InputError(f"{where}: 'text' must be a string, not {type(text).__name__}")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: missing or empty 'text'")
    meta = {k: str(record[k]) for k in ("published", "url", "title") if record.get(k) not in (None, "")}
    utf8(str(doc_id), "id", where)
    raw = utf8(text, "text", where)  # encoded once: for the check, the size and the sha256
    for field, value in meta.items():
        utf8(value, field, where)
    check_size(len(raw), max_mb, where)
    if "\x00" in text:
        raise InputError(f"{where}: binary content (NUL bytes) in 'text'")
    return make_document(str(doc_id), source, text, raw, **meta)


def utf8(value: str, field: str, where: str) -> bytes:
    """`value` in UTF-8. JSON's `\\u` escapes can give half of a surrogate pair (an emoji a
    scraper cut in two), which no UTF-8 table can hold: the record is refused, as
    undecodable files are."""
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"{where}: '{field}' is not valid Unicode (a lone surrogate, {value[exc.start]!a}, "
                         f"at character {exc.start})") from None


def read_jsonl(path: Path, max_mb: float = MAX_ARTICLE_MB) -> Iterator[Document | Error]:
    """JSONL is UTF-8 by definition; it is streamed line by line, so archives of any size work."""
    offset = 0
    limit = int(JSON_BLOWUP * max_mb * 2**20)
    name, resolved = printable(path), str(path.resolve())  # once a file, not a line
    with open(path, "rb") as f:
        for n, raw in enumerate(iter(lambda: f.readline(limit + 1), b""), 1):
            offset += len(raw)
            where = f"{name}:{n}"
            if len(raw) > limit and not raw.endswith(b"\n"):
                offset += skip_line(f)
                yield Error(name, "", STAGE, f"{where}: a line over {limit / 2**20:g} MB, more than one "
                            "article can take (raise --max-mb); a JSON array is not JSONL, one object a line")
                continue
            if not raw.strip():
                continue
            try:
                try:
                    line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
                    record = json.loads(line)
                except UnicodeDecodeError:
                    raise InputError(f"{where}: not UTF-8 (JSONL must be UTF-8)") from None
                except json.JSONDecodeError as e:
                    raise InputError(f"{where}: malformed JSON line ({e.msg})") from None
                doc = record_document(record, where, where, max_mb)
                doc.ref = (resolved, offset - len(raw), len(raw))
                yield doc
            except InputError as e:
                yield Error(name, "", STAGE, str(e))


def skip_line(f: BinaryIO, piece: int = 2**16) -> int:
    """Bytes up to the end of the current line, read and dropped a piece at a time."""
    skipped = 0
    while True:
        raw = f.readline(piece)
        skipped += len(raw)
        if not raw or raw.endswith(b"\n"):
            return skipped


def read_csv(path: Path, max_mb: float = MAX_ARTICLE_MB) -> Iterator[Document | Error]:
    """Records of a CSV file with id and text columns, streamed as JSONL is: memory holds a
    record, not the file. A field may hold an article up to `max_mb` (the csv module stops
    at 128k characters unless told)."""
    csv.field_size_limit(max(CSV_FIELD_LIMIT, int(max_mb * 2**20)))
    with open(path, "rb") as f:
        reader = csv.DictReader(decoded_lines(f, text_encoding(path)))
        try:
            fieldnames = reader.fieldnames
        except (csv.Error, UnicodeDecodeError) as e:
            raise InputError(f"cannot read its header ({e})") from None
        if not fieldnames or not {"id", "text"} <= set(fieldnames):
            raise InputError(f"CSV needs 'id' and 'text' columns, found {fieldnames}")
        records, name = iter(reader), printable(path)
        for n in itertools.count(2):
            where = f"{name}:{n}"
            try:
                row = next(records)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as e:  # where the record ends is lost: no guessing at the rest
                problem = (f"a field over the {max_mb:g} MB limit for one article (raise it with --max-mb)"
                           if "field larger" in str(e) else f"cannot read the record ({e})")
                yield Error(name, "", STAGE, f"{where}: {problem}; the rows after it are not read")
                return
            try:
                yield record_document(row, where, where, max_mb)
            except InputError as e:
                yield Error(name, "", STAGE, str(e))


def decoded_lines(f: BinaryIO, encoding: str) -> Iterator[str]:
    """The lines of a binary file, each decoded as it is read: a byte the encoding rejects
    fails the record it is in, not a block of records around it (as a text stream's 8 KB
    reads would). The decoder carries a character cut between two reads (UTF-16)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    parts: list[str] = []  # of the line begun, joined once it ends: linear however it is cut
    for raw in f:
        *lines, last = decoder.decode(raw).split("\n")
        if lines:
            lines[0] = "".join(parts) + lines[0]
            parts = []
            yield from (line + "\n" for line in lines)
        parts.append(last)
    rest = "".join(parts) + decoder.decode(b"", final=True)
    if rest:
        yield rest


def text_encoding(path: Path, sniff: int = 2**20) -> str:
    """The encoding of a text file too large to decode whole, told from its first `sniff`
    bytes as `decode` tells it from all of them."""
    with open(path, "rb") as f:
        head = f.read(sniff)
    if not head.strip():
        raise InputError("empty file")
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and len(head) == sniff:
            return "utf-8"  # a character cut where the sniffed bytes end
        if stray_bytes_only(head):
            return "utf-8"  # the record with the stray byte is an error, the others are read
    return detected_encoding(head)


def read_path(path: Path, max_mb: float = MAX_ARTICLE_MB) -> Iterator[Document | Error]:
    """Documents of one input path, or errors that name it."""
    try:
        if not path.exists():
            raise InputError("matches no file" if is_pattern(str(path)) else "no such file or directory")
        if path.is_dir():
            raise InputError("is a directory with no .txt, .jsonl or .csv files")
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".ndjson"):
            yield from read_jsonl(path, max_mb)
        elif suffix == ".csv":
            yield from read_csv(path, max_mb)
        else:
            yield read_text_file(path, max_mb)
    except (InputError, OSError) as e:
        name = printable(path)
        problem = e if isinstance(e, InputError) else f"cannot read ({e.strerror or e})"
        yield Error(name, printable(path.stem), STAGE, f"{name}: {problem}")


def read(paths: Iterable[str | Path], max_mb: float = MAX_ARTICLE_MB,
         seen: MutableMapping[str, str] | None = None) -> Iterator[Document | Error]:
    """Every document of the inputs, in order; a repeated doc_id is an error, not an overwrite.

    `seen` (doc_id → source of the documents read so far) may live on disk, for archives
    too large to keep their ids in memory, and across a restart: a document read again
    from the same source is not a repeat."""
    seen = {} if seen is None else seen
    for path in expand(paths):
        for item in read_path(path, max_mb):
            if isinstance(item, Document):
                first = seen.get(item.doc_id)
                if first is not None and first != item.source:
                    yield Error(item.source, item.doc_id, STAGE,
                                f"{item.source}: doc_id {item.doc_id!r} already read from {first}")
                    continue
                seen[item.doc_id] = item.source
            yield item


def detach(doc: Document) -> Document:
    """The document without its text when it can be read again from its file: what a
    worker on shared storage needs, a path and an offset instead of the article."""
    return replace(doc, text="") if doc.ref is not None and doc.text else doc


def attach(doc: Document) -> Document | Error:
    """A detached document with its text read back, checked against its sha256."""
    if doc.text or doc.ref is None:
        return doc
    path, offset, length = doc.ref
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            raw = f.read() if length < 0 else f.read(length)
        text = decode(raw) if length < 0 else json.loads(raw.decode("utf-8-sig"))["text"]
        data = raw if length < 0 else text.encode("utf-8")
    except (OSError, ValueError, KeyError, TypeError) as e:
        return Error(doc.source, doc.doc_id, STAGE, f"{doc.source}: cannot read it where the batch ran ({e})")
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        return Error(doc.source, doc.doc_id, STAGE, f"{doc.source}: changed on disk while the run was going on")
    return replace(doc, text=text)
