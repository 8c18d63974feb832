"""The interchange document: reading it strictly, writing it losslessly, and its JSON Schema.

An import is read a piece at a time (`_Source`) and checked one engagement at a time, so its
memory is that of the engagement being checked plus a compressed copy of each checked one, not
that of the whole document as Python objects (a 72 MB file took 1 GB that way).  Everything is
checked before anything is written; limits on the size and counts (`ImportLimits`) refuse a
document far beyond the product's scale with the limit named and how to raise it.
"""

from __future__ import annotations

import codecs
import json
import math
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from functools import partial
from typing import Any, Callable, Iterator, Mapping

from pydantic import ValidationError

from .atomic import UnreadableFile, _NotJSONConstant, _refuse_constant
from .errors import InvalidData, XtalentError, format_path, from_validation_error
from .migrations import migrate_engagement
from .models import FROM_FILE, SCHEMA_VERSION, Employee, Engagement, InterchangeDocument
from .vocabulary import ID_PATTERN


Problem = tuple[str, str, dict[str, Any]]
_ID = re.compile(ID_PATTERN)  # the model's Id
_COLLECTIONS = ("targets", "items", "staff", "log")


# ----- limits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportLimits:
    """How large an import may be.  The product's scale is a prefecture's 1,000 engagements of
    ~24 KB each; the defaults leave room for ten times that, and each can be raised by its
    environment variable for a one-off migration."""

    max_mb: int = 256
    max_engagements: int = 10_000
    max_records: int = 10_000  # in any one list: an engagement's log, items, a receiver's history…

    ENV = {"max_mb": "XTALENT_IMPORT_MAX_MB", "max_engagements": "XTALENT_IMPORT_MAX_ENGAGEMENTS",
           "max_records": "XTALENT_IMPORT_MAX_RECORDS"}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "ImportLimits":
        environ = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for name, variable in cls.ENV.items():
            text = environ.get(variable, "").strip()
            if not text:
                continue
            if not text.isdigit() or int(text) < 1:
                raise XtalentError("import.bad_limit", name=variable)
            values[name] = int(text)
        return cls(**values)


def _check_size(path: Path, size: int, limits: ImportLimits) -> None:
    if size > limits.max_mb * 1024 * 1024:
        raise XtalentError(
            "import.too_large", path=str(path), size=math.ceil(size / (1024 * 1024)), limit=limits.max_mb,
            env=ImportLimits.ENV["max_mb"],
        )


def _budget(path: Path, read: Callable[[int], bytes], limits: ImportLimits) -> Callable[[int], bytes]:
    """`read`, refusing to go past the size limit: a pipe or a device (/dev/zero) has no size
    to check beforehand, and a file may grow while it is read."""
    total = 0

    def limited(n: int) -> bytes:
        nonlocal total
        data = read(n)
        total += len(data)
        _check_size(path, total, limits)
        return data

    return limited


# ----- reading JSON a piece at a time -----------------------------------------------------------


class _Duplicated(dict):
    """An object in which some key appeared more than once (json keeps the last silently)."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        obj = _Duplicated(pairs)
        seen: set[str] = set()
        obj.duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    return obj


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER_TAIL = re.compile(r"[0-9.eE+\-]*")
_PIECE = 1 << 20  # characters decoded at a time; a value larger than this doubles the piece


class _Source:
    """A JSON text read a piece at a time, for a parser taking one value at a time from it.

    `value()` decodes the next value with the json module; a value running past the end of
    the piece read so far is retried with more of the file.  Line and column of an error are
    counted over the whole text, as json.loads counts them.
    """

    def __init__(self, label: str, read: Callable[[int], bytes] | None = None, text: str = "") -> None:
        self.label = label
        self._read = read
        self._decode = codecs.getincrementaldecoder("utf-8-sig")().decode
        self.buf, self.pos = text, 0
        self.eof = read is None
        self._line, self._column = 1, 1  # where buf[0] is in the whole text
        self._decoder = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_refuse_constant)

    def more(self) -> bool:
        """Read the next piece (False at the end of the file), forgetting what was parsed."""
        if self.eof or self._read is None:
            return False
        raw = self._read(max(_PIECE, 2 * (len(self.buf) - self.pos)))
        try:
            text = self._decode(raw, final=not raw)
        except UnicodeDecodeError:
            raise UnreadableFile.said(self.label, "json.not_utf8") from None
        self.eof = not raw
        done = self.buf[: self.pos]
        newline = done.rfind("\n")
        if newline >= 0:
            self._line += done.count("\n")
            self._column = len(done) - newline
        else:
            self._column += len(done)
        self.buf, self.pos = self.buf[self.pos :] + text, 0
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end)."""
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def expect(self, allowed: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            raise self.error(self.pos)
        self.pos += 1
        return char

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self.more():
                    continue
                raise self.error(exc.pos) from None
            except _NotJSONConstant as exc:
                raise UnreadableFile.said(self.label, "json.constant", name=str(exc)) from None
            except RecursionError:
                raise UnreadableFile.said(self.label, "json.too_deep") from None
            except ValueError:  # Python refuses integers of more than a few thousand digits
                raise UnreadableFile.said(self.label, "json.number_too_long") from None
            # A number reaching the end of the piece may go on in the next one ("0." of "0.5"
            # decodes as 0): read on until something that cannot continue it follows.
            if type(value) in (int, float) and _NUMBER_TAIL.fullmatch(self.buf, end) and self.more():
                continue
            self.pos = end
            return value

    def error(self, pos: int) -> UnreadableFile:
        newline = self.buf.rfind("\n", 0, pos)
        line = self._line + self.buf.count("\n", 0, pos)
        column = pos - newline if newline >= 0 else self._column + pos
        return UnreadableFile.said(self.label, "json.position", line=line, column=column)


_STREAMED = object()  # the engagements were handed over one at a time, not as a list


def _read_top_level(
    src: _Source, on_field: Callable[[str | None, Any], None], on_engagement: Callable[[int, Any], None]
) -> None:
    """The document's fields in the order written, the engagements' elements one at a time.

    `on_field(None, value)`: the document is not an object.
    """
    first = src.peek()
    if not first:
        raise UnreadableFile.said(src.label, "json.empty")
    if first != "{":
        value = src.value()
        if src.peek():
            raise src.error(src.pos)
        on_field(None, value)
        return
    src.pos += 1
    if src.peek() == "}":
        src.pos += 1
    else:
        while True:
            if src.peek() != '"':
                raise src.error(src.pos)
            key = src.value()
            src.expect(":")
            if key == "engagements" and src.peek() == "[":
                src.pos += 1
                if src.peek() == "]":
                    src.pos += 1
                    on_field(key, [])
                else:
                    n = 0
                    while True:
                        on_engagement(n, src.value())
                        n += 1
                        if src.expect(",]") == "]":
                            break
                    on_field(key, _STREAMED)
            else:
                on_field(key, src.value())
            if src.expect(",}") == "}":
                break
    if src.peek():
        raise src.error(src.pos)  # anything after the document


# ----- checking, one engagement at a time -------------------------------------------------------


def _suspects(value: Any, loc: list[Any], limits: ImportLimits, out: list[Problem]) -> None:
    """What the model cannot see: duplicate keys, numbers JSON cannot hold, lists over the limit."""
    if type(value) is _Duplicated:
        for key in value.duplicates:
            out.append((format_path([*loc, key]), "validation.duplicate_key", {}))
    if isinstance(value, dict):
        items: Any = value.items()
    elif type(value) is list:
        if len(value) > limits.max_records:
            out.append((format_path(loc), "validation.too_many", {"limit": limits.max_records, "env": ImportLimits.ENV["max_records"]}))
            return  # its elements are not worth checking one by one
        items = enumerate(value)
    else:
        return
    for key, item in items:
        kind = type(item)
        if kind is float:
            if not math.isfinite(item):  # 1e400 decodes to infinity
                out.append((format_path([*loc, key]), "validation.not_a_number", {}))
        elif kind is list or isinstance(item, dict):
            _suspects(item, [*loc, key], limits, out)


@dataclass
class ImportBatch:
    """A checked document, each engagement kept as compressed JSON until it is written: a
    fraction of the memory of the models, and exactly what the store writes from."""

    source: str
    # id, revision, the person's name (for the change log), zlib'd JSON
    entries: list[tuple[str, int, str, bytes]] = field(default_factory=list)
    people: list[Employee] = field(default_factory=list)  # the document's employee records
    distinct_people: list[list[str]] = field(default_factory=list)  # its rejected merge proposals

    def __len__(self) -> int:
        return len(self.entries)

    def records(self) -> Iterator[tuple[str, int, str, Callable[[], dict[str, Any]]]]:
        for engagement_id, revision, name, blob in self.entries:
            yield engagement_id, revision, name, partial(_inflated, blob)


def _inflated(blob: bytes) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(zlib.decompress(blob))  # what _compressed stored
    return data


def _compressed(engagement: Engagement) -> tuple[str, int, str, bytes]:
    # model_dump_json: pydantic's own encoder, several times faster than json.dumps of model_dump.
    blob = zlib.compress(engagement.model_dump_json().encode("utf-8"), 1)
    return engagement.id, engagement.revision, engagement.person.name, blob


class _Reader:
    """Collects a document's fields and checks its engagements as they arrive."""

    def __init__(self, source: str, limits: ImportLimits, keep: Callable[[Engagement], Any]) -> None:
        self.source, self.limits, self.keep = source, limits, keep
        self.header: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.kept: list[Any] = []
        self.ids: set[str] = set()
        self.waiting: list[tuple[int, Any]] = []
        self.version: int | None = None

    def field(self, key: str | None, value: Any) -> None:
        if key is None:
            raise InvalidData(self.source, [("", "validation.not_object", {})])
        if key in self.header:
            self.problems.append((format_path([key]), "validation.duplicate_key", {}))
        self.header[key] = value
        if key == "schema_version":
            self._version(value)
        elif type(value) is float and not math.isfinite(value):
            self.problems.append((format_path([key]), "validation.not_a_number", {}))
        if key == "engagements" and isinstance(value, list):
            for n, raw in enumerate(value):
                self.engagement(n, raw)

    def _version(self, version: Any) -> None:
        if type(version) is not int:
            # The model would coerce "2" or 2.0 to 2 and skip the newer-schema refusal below,
            # importing a future version's data as if it were ours.
            key = "validation.not_whole" if isinstance(version, float) else "validation.not_a_number"
            raise InvalidData(self.source, [("schema_version", key, {})])
        if version > SCHEMA_VERSION:
            raise XtalentError("store.newer_schema", path=self.source, found=version, supported=SCHEMA_VERSION)
        self.version = version

    def engagement(self, n: int, raw: Any) -> None:
        if n >= self.limits.max_engagements:
            raise XtalentError(
                "import.too_many_engagements", path=self.source, limit=self.limits.max_engagements,
                env=ImportLimits.ENV["max_engagements"],
            )
        if "schema_version" not in self.header:
            # Written before its version (never by xtalent itself): held until the version is known.
            self.waiting.append((n, raw))
            return
        self._check(n, raw)

    def _check(self, n: int, raw: Any) -> None:
        prefix: list[Any] = ["engagements", n]
        engagement_id = _id_of(raw)
        label = format_path(prefix) + (f" ({engagement_id})" if engagement_id else "")
        found: list[Problem] = []
        _suspects(raw, prefix, self.limits, found)
        if engagement_id is not None:
            if engagement_id in self.ids:
                found.append(("", "model.duplicate_id", {"collection": "engagements", "id": engagement_id}))
            self.ids.add(engagement_id)
        version = SCHEMA_VERSION if self.version is None else self.version
        if not found and isinstance(raw, dict) and version < SCHEMA_VERSION:
            try:
                raw = migrate_engagement(dict(raw), version, SCHEMA_VERSION)
            except Exception:  # NewerSchema, or a step meeting input it did not expect
                found.append((format_path(prefix), "validation.invalid", {"code": "migration"}))
        if not found:
            try:
                self.kept.append(self.keep(Engagement.model_validate(raw, context={FROM_FILE: True})))
                return
            except ValidationError as exc:
                found = from_validation_error(exc, self.source, prefix).problems
                # pydantic skips the cross-reference validators of a model whose fields failed, and
                # those stop at the first problem: check them leniently on the raw input too.
                seen = {_problem_key(p) for p in found}
                if isinstance(raw, dict):
                    for problem in _engagement_problems(raw, prefix):
                        if _problem_key(problem) not in seen:
                            seen.add(_problem_key(problem))
                            found.append(problem)
        head = format_path(prefix)
        for path, key, params in found:
            if path == head or path.startswith((head + ".", head + "[")):
                path = label + path[len(head):]  # which engagement, by id: `engagements[1] (en-2025-abc).items[0]`
            self.problems.append((path, key, params))

    def finish(self) -> tuple[InterchangeDocument, list[Any]]:
        """The header and the kept engagements, once all is checked; else InvalidData listing
        every problem."""
        if self.version is None and "schema_version" not in self.header:
            self.version = SCHEMA_VERSION
        for n, raw in self.waiting:
            self._check(n, raw)
        self.waiting = []
        header = {k: v for k, v in self.header.items() if v is not _STREAMED and k != "engagements"}
        if "engagements" in self.header and self.header["engagements"] is not _STREAMED and not isinstance(self.header["engagements"], list):
            header["engagements"] = self.header["engagements"]
        document = None
        try:
            document = InterchangeDocument.model_validate(header)
        except ValidationError as exc:
            self.problems[:0] = from_validation_error(exc, self.source).problems
        if self.problems or document is None:
            raise InvalidData(self.source, self.problems)
        return document, self.kept


def _read(src: _Source, limits: ImportLimits, keep: Callable[[Engagement], Any]) -> tuple[InterchangeDocument, list[Any]]:
    reader = _Reader(src.label, limits, keep)
    _read_top_level(src, reader.field, reader.engagement)
    return reader.finish()


def _document(read: tuple[InterchangeDocument, list[Engagement]]) -> InterchangeDocument:
    header, engagements = read
    # A copy, not a validation: every engagement is validated already, their ids checked unique.
    return header.model_copy(update={"engagements": engagements, "schema_version": SCHEMA_VERSION})


def parse_document(data: Any, source: str, limits: ImportLimits | None = None) -> InterchangeDocument:
    """Validate a decoded JSON value as an interchange document, migrating older versions."""
    reader = _Reader(source, limits or ImportLimits(), lambda e: e)
    if not isinstance(data, dict):
        reader.field(None, data)
    # The version first, as the reader of a file finds it in xtalent's own exports.
    for key in sorted(data, key=lambda k: k != "schema_version"):
        reader.field(key, data[key])
    return _document(reader.finish())




def _problem_key(problem: Problem) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    path, key, params = problem
    return path, key, tuple(sorted((k, str(v)) for k, v in params.items()))


def _id_of(record: Any) -> str | None:
    """A record's id when it looks like one (ids are not personal data; anything else may be)."""
    if isinstance(record, dict):
        value = record.get("id")
        if isinstance(value, str) and _ID.match(value.strip()):
            return value.strip()
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _day(value: Any) -> Any:
    from datetime import date

    from .dates import DateParseError, parse_date

    if isinstance(value, date):
        return value
    try:
        return parse_date(value) if isinstance(value, str) else None
    except (DateParseError, ValueError, TypeError):
        return None


def _engagement_problems(engagement: dict[str, Any], prefix: list[Any]) -> list[Problem]:
    out: list[Problem] = []
    start, end = _day(engagement.get("term_start")), _day(engagement.get("term_end"))
    if start is not None and end is not None and end < start:
        out.append((format_path(prefix), "model.term_end_before_start", {}))
    ids: dict[str, set[str]] = {}
    for collection in _COLLECTIONS:
        seen: set[str] = set()
        for record in _list(engagement.get(collection)):
            record_id = _id_of(record)
            if record_id is None:
                continue
            if record_id in seen:
                out.append((format_path(prefix), "model.duplicate_id", {"collection": collection, "id": record_id}))
            seen.add(record_id)
        ids[collection] = seen

    def ref(value: Any, known: str, loc: list[Any]) -> None:
        # Only a well-formed id can be reported: a malformed one already has its own error,
        # and anything else may be personal data typed into the wrong field.
        if isinstance(value, str) and _ID.match(value.strip()) and value.strip() not in ids[known]:
            out.append((format_path([*prefix, *loc]), "model.dangling_reference", {"id": value.strip()}))

    for n, target in enumerate(_list(engagement.get("targets"))):
        if isinstance(target, dict):
            for m, staff_id in enumerate(_list(target.get("staff_ids"))):
                ref(staff_id, "staff", ["targets", n, "staff_ids"])
    for n, item in enumerate(_list(engagement.get("items"))):
        if not isinstance(item, dict):
            continue
        ref(item.get("target_id"), "targets", ["items", n, "target_id"])
        for m, reception in enumerate(_list(item.get("receivers"))):
            if isinstance(reception, dict):
                ref(reception.get("staff_id"), "staff", ["items", n, "receivers", m, "staff_id"])
    for n, entry in enumerate(_list(engagement.get("log"))):
        if isinstance(entry, dict):
            ref(entry.get("target_id"), "targets", ["log", n, "target_id"])
    return out


def _open_error(path: Path, exc: OSError) -> XtalentError:
    if isinstance(exc, (FileNotFoundError, IsADirectoryError, NotADirectoryError)):
        return XtalentError("errors.no_such_file", path=str(path))
    if isinstance(exc, PermissionError):
        return XtalentError("store.unreadable_permission", path=str(path))
    return XtalentError("errors.cannot_read", path=str(path), detail=exc.strerror or type(exc).__name__)


def _from_file(
    path: Path | str, limits: ImportLimits | None, keep: Callable[[Engagement], Any]
) -> tuple[InterchangeDocument, list[Any]]:
    path = Path(path)
    limits = limits or ImportLimits.from_env()
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise _open_error(path, exc) from None
    with handle:
        try:
            _check_size(path, os.fstat(handle.fileno()).st_size, limits)
            return _read(_Source(str(path), _budget(path, handle.read, limits)), limits, keep)
        except OSError as exc:
            raise _open_error(path, exc) from None
        except UnreadableFile as exc:
            raise XtalentError("errors.not_json", path=str(path), detail=exc.detail) from None


def load_document(path: Path | str, limits: ImportLimits | None = None) -> InterchangeDocument:
    """The document in a file, every engagement validated (as models: for the few callers that
    keep them; an import reads with `load_batch`)."""
    return _document(_from_file(path, limits, lambda e: e))


def load_batch(path: Path | str, limits: ImportLimits | None = None) -> ImportBatch:
    """The document in a file, checked whole, held compactly for `Store.import_document`."""
    header, kept = _from_file(path, limits, _compressed)
    return ImportBatch(str(path), kept, header.people, header.distinct_people)


def loads_document(text: str, source: str = "<input>", limits: ImportLimits | None = None) -> InterchangeDocument:
    try:
        return _document(_read(_Source(source, text=text), limits or ImportLimits(), lambda e: e))
    except UnreadableFile as exc:
        raise XtalentError("errors.not_json", path=source, detail=exc.detail) from None


def dump_document(document: InterchangeDocument) -> str:
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def json_schema() -> dict[str, Any]:
    schema = InterchangeDocument.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://xtalent.invalid/schema/v{SCHEMA_VERSION}.json"
    return schema
