"""Read a large CSV export in chunks, with the physical line number of every row.

The file is read in blocks of raw bytes. Each block is cut at a record boundary found
with numpy (a newline preceded by an even number of ``"`` characters ends a record:
RFC 4180 quoting, doubled quotes included), which also yields the physical line on
which every record starts, however many lines its quoted fields span. The block is then
parsed by pandas' C parser (no NA conversion, only the columns asked for), so a
million-row export reads in a few seconds with bounded memory.

pandas makes a ``str`` per cell of an ``object`` column, holding the GIL (which the
conversion in the other thread needs too). So a column is read as fixed-width bytes
while its values are short (``FIXED_WIDTH``): pandas copies those without the GIL,
the values are grouped by hashing their bytes with numpy, and only each distinct value
is decoded to ``str``; the chunk comes with the codes. A block holding a longer value
reads that column again as text, and the next blocks use a width that fits it (or text,
past ``FIXED_WIDTH``). The text is the same either way: pandas hands both conversions
the same NUL-terminated field. Columns read on demand (``chunks(on_demand=…)``) stay
bytes (up to ``ON_DEMAND_WIDTH``), checked to be UTF-8, and only the rows the caller asks
for are decoded (``CsvChunk.texts``).

Blocks are parsed by a background thread one block ahead of the caller, so that
parsing (which spends much of its time outside the GIL) overlaps the conversion of the
previous block. The fixed-width columns are grouped and decoded in the caller's thread,
which balances the two threads' work (at a million rows, doing it in the reading thread
made that thread the slower one).

Quotes follow Python's ``csv`` module and pandas: a ``"`` that opens a field starts a
quoted field; a ``"`` inside an unquoted field (``a 5" shell``, which RFC 4180 forbids
but hand-edited files contain) is a literal character. Counting quotes cannot place
such a ``"``, so the scan checks that every quote it pairs opens a field; when one does
not (or pandas and the scan disagree about a block), the whole file is read again with
Python's ``csv`` module, which is slower (1.4 to 1.7 times the CPU time) but tracks
physical lines itself. Either way every record is read, or reported.

The header is read with Python's ``csv`` module; a header field over its limit
(131,072 characters), or a header that does not end within ``MAX_HEADER_BYTES``, is a
``DataError``. The slow reader raises that limit while it reads, so a long field reads
the same both ways.

Handled here, so the format importers see clean rows:

* a UTF-8 byte-order mark; CRLF, LF and (old Mac) CR line ends; quoted multi-line fields;
* header names are stripped and lower-cased (older ACLED files use upper case);
* blank lines are skipped;
* the second row of HDX copies, which holds HXL hashtags (``#event+id``, ``#date`` …),
  is dropped (``hdx_line`` says where it was);
* a row with more fields than the header, a quoted field that is never closed and text
  that is not UTF-8 are reported as problems naming the physical line. Rows with fewer
  fields than the header are padded with empty strings, as pandas does.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from queue import Full, Queue
from typing import Any, NoReturn, TypeVar

import numpy as np
import pandas as pd

from geo.errors import DataError, Problem

Progress = Callable[[int, int], None]
T = TypeVar("T")

BLOCK_BYTES = 16 << 20
# The header is read in pieces of _HEAD_BYTES; one that does not end within
# MAX_HEADER_BYTES is not a CSV header.
_HEAD_BYTES = 1 << 20
MAX_HEADER_BYTES = 16 << 20
# Blocks parsed ahead of the caller by a background thread (0: parse in the caller).
PREFETCH_CHUNKS = 1
_SLOW_BATCH_ROWS = 50_000
# Bytes of a block searched at a time for line breaks and quotes (see ``_positions``).
_SCAN_BYTES = 1 << 20
_NL, _CR, _QUOTE, _COMMA = 10, 13, 34, 44
_BLANK_BYTES = b" \t\r"
_BOM = b"\xef\xbb\xbf"
_EXTRA = "\x00extra"
# Fixed-width bytes columns: the first width tried, and the widest one used (beyond it
# a column is read as text). A width is a multiple of 8, for the hash below.
FIRST_WIDTH = 8
FIXED_WIDTH = 128
# The widest bytes of a column read on demand (its rows are rarely decoded).
ON_DEMAND_WIDTH = 1024
_TEXT = 0  # the width of a column read as text
_OBJECT, _CATEGORY = np.dtype(object), pd.CategoricalDtype()
# Odd multiplier of the hash that groups the 8-byte words of fixed-width values.
_MIX = np.uint64(0x9E3779B97F4A7C15)
_HXL_TAG = re.compile(r"#[a-z][a-z0-9_]*(?:\s*\+[a-z][a-z0-9_]*)*", re.IGNORECASE)


@dataclass(frozen=True)
class CsvChunk:
    """A block of parsed rows: string columns and the physical line each row starts on.

    Attributes
    ----------
    frame : pandas.DataFrame
        One ``object`` column per requested header column (missing ones are absent);
        every cell is a ``str``, empty when the file has nothing there.
    lines : numpy.ndarray
        ``int64`` physical line number (1-based) of each row's first line.
    codes : dict
        For the columns read as codes (short ones, and ``chunks(coded=…)``): column
        name → (codes, values), with ``frame[name]`` equal to ``values[codes]`` (the
        same objects) and every code occurring at least once. Empty when the slow
        reader was used.
    unit : str
        What ``lines`` count: ``"line"`` in a file, ``"row"`` (the position) in a DataFrame.
    undecoded : dict
        Columns read on demand (``chunks(on_demand=…)``) that are not in ``frame``: column
        name → fixed-width ``bytes`` array, every value UTF-8. Read them with ``texts``.
    """

    frame: pd.DataFrame
    lines: np.ndarray
    codes: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    unit: str = "line"
    undecoded: dict[str, np.ndarray] = field(default_factory=dict)

    def texts(self, name: str, rows: np.ndarray) -> np.ndarray:
        """The ``str`` values of column ``name`` in ``rows`` (positions); ``""`` if there is none."""
        if name in self.undecoded:
            return _texts(self.undecoded[name][rows])
        if name in self.frame.columns:
            taken: np.ndarray = self.frame[name].to_numpy(dtype=object)[rows]
            return taken
        return np.full(len(rows), "", dtype=object)


# A block's columns, the line of each row, the bytes of the file read so far, the codes
# of the columns that have them and the columns left undecoded (see ``CsvChunk``).
_Parsed = tuple[
    pd.DataFrame, np.ndarray, int, dict[str, tuple[np.ndarray, np.ndarray]], dict[str, np.ndarray]
]


@dataclass
class _Block:
    """A block as pandas read it in the reading thread, before its columns are decoded.

    ``read`` holds every record's value of each wanted column (a ``Categorical``, or an
    array of ``bytes`` or of ``str``); ``extra`` marks the records with too many fields
    (left out); ``lines`` are the other records' lines; ``done`` counts the bytes of the
    file up to the block's end. The block is ``stop`` bytes from byte ``offset`` of the
    file, its first line ``line``: where to look for a byte that is not UTF-8 (the bytes
    themselves are not kept for that).
    """

    read: dict[str, Any]
    extra: np.ndarray
    lines: np.ndarray
    done: int
    offset: int
    stop: int
    line: int


class LayoutMismatch(Exception):
    """The fast byte scan and pandas disagree; the caller must re-read the slow way."""


class CsvReader:
    """One CSV file: its header, then its rows in chunks.

    Parameters
    ----------
    path : pathlib.Path or str
        The file to read.
    block_bytes : int, optional
        Size of the raw blocks handed to pandas (default ``BLOCK_BYTES``, 16 MiB).

    Attributes
    ----------
    columns : tuple of str
        The header's column names, stripped and lower-cased.
    problems : list of Problem
        Structural problems found while reading rows (too many fields, unclosed quote).
    rows_rejected : int
        How many records those problems made unreadable.
    hdx_line : int or None
        Physical line of the HDX hashtag row that was dropped, if there was one.
    """

    def __init__(self, path: Path | str, *, block_bytes: int | None = None) -> None:
        self.path = Path(path)
        self.file = self.path.name
        self.block_bytes = block_bytes or BLOCK_BYTES
        self.size = self.path.stat().st_size
        self.problems: list[Problem] = []
        self.rows_rejected = 0
        self.hdx_line: int | None = None
        self._cr_only = False
        self._data_offset = 0
        self._data_line = 2
        self.columns: tuple[str, ...] = self._read_header()

    # -- header ---------------------------------------------------------------------

    def _read_header(self) -> tuple[str, ...]:
        with self.path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
            offset = len(_BOM) if head.startswith(_BOM) else 0
            head = head[offset:]
            self._cr_only = b"\n" not in head and b"\r" in head
            while True:
                ended = len(head) + offset >= self.size
                lines, breaks = self._header_extent(head, ended)
                if len(breaks) >= lines or ended:
                    break
                if len(head) >= MAX_HEADER_BYTES:
                    raise DataError(
                        [
                            Problem(
                                self.file,
                                "line 1",
                                "",
                                f"the header line does not end within the first {MAX_HEADER_BYTES >> 20} MB; "
                                "expected a CSV file whose first line names its columns",
                            )
                        ]
                    )
                more = handle.read(_HEAD_BYTES)
                if not more:
                    break
                head += more
        if not head.strip(b" \t\r\n"):
            raise DataError(
                [Problem(self.file, "line 1", "", "the file is empty; expected a CSV header line")]
            )
        end = int(breaks[lines - 1]) if len(breaks) >= lines else len(head)
        text = self._decode(head[:end], 1)
        fields = self._header_fields(text.rstrip("\r"))
        self._data_offset = offset + end + 1
        self._data_line = 1 + lines
        return tuple(field.strip().lower() for field in fields)

    def _header_extent(self, head: bytes, ended: bool) -> tuple[int, np.ndarray]:
        """Physical lines the header record spans (as Python's ``csv`` reads it), and the line breaks."""
        data = self._lines(head)
        reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
        self._header_fields_of(reader)
        return max(reader.line_num, 1), _Scan(data, final=ended).newlines

    def _header_fields(self, text: str) -> list[str]:
        return self._header_fields_of(csv.reader(io.StringIO(text, newline="")))

    def _header_fields_of(self, reader: Iterator[list[str]]) -> list[str]:
        try:
            return next(reader, [])
        except csv.Error as error:
            raise DataError(
                [
                    Problem(
                        self.file,
                        "line 1",
                        "",
                        f"the header cannot be read as CSV ({error}); expected a line of column names",
                    )
                ]
            ) from None

    def _lines(self, data: bytes) -> bytes:
        return data.replace(b"\r", b"\n") if self._cr_only else data

    def _decode(self, data: bytes, first_line: int) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = first_line + self._lines(data[: error.start]).count(b"\n")
            bad = data[error.start : error.start + 1]
            raise DataError(
                [
                    Problem(
                        self.file,
                        f"line {line}",
                        "",
                        f"the file is not UTF-8 text (byte {bad!r} cannot be decoded); "
                        "expected a UTF-8 CSV export, re-save the file as UTF-8",
                    )
                ]
            ) from None

    # -- rows -----------------------------------------------------------------------

    def chunks(
        self,
        usecols: Sequence[str],
        progress: Progress | None = None,
        *,
        slow: bool = False,
        coded: Collection[str] = (),
        on_demand: Collection[str] = (),
    ) -> Iterator[CsvChunk]:
        """Yield the data rows in chunks, with only the requested columns.

        Parameters
        ----------
        usecols : sequence of str
            Lower-case column names to keep; names not in the header are ignored.
        progress : callable, optional
            Called as ``progress(bytes_done, bytes_total)`` after each block.
        slow : bool, optional
            Use Python's ``csv`` module instead of the byte scan and pandas.
        coded : collection of str, optional
            Columns with few distinct values: when their values are too long to be
            read as fixed-width bytes (which every short column is, with its codes in
            ``CsvChunk.codes``), pandas reads them as categories (which it hashes
            without holding the GIL and turns into ``str`` once per distinct value),
            and ``CsvChunk.codes`` gives their codes too. The text is the same.
        on_demand : collection of str, optional
            Columns of which the caller needs only a few rows: while their values fit
            ``ON_DEMAND_WIDTH`` bytes they are checked to be UTF-8 but not decoded, and
            are in ``CsvChunk.undecoded`` instead of the frame (``CsvChunk.texts``
            reads them either way).

        Raises
        ------
        LayoutMismatch
            The fast path met a block it cannot number reliably (only when ``slow`` is
            false); discard what was yielded and call again with ``slow=True``.
        DataError
            The file is not UTF-8.
        """
        self.problems = []
        self.rows_rejected = 0
        self.hdx_line = None
        names = _unique_names(self.columns)
        first_of: dict[str, str] = {}
        for name, column in zip(names, self.columns, strict=True):
            first_of.setdefault(column, name)
        wanted = [name for column, name in first_of.items() if column in usecols]
        categories = frozenset(name for column, name in first_of.items() if column in coded)
        lazy = frozenset(name for column, name in first_of.items() if column in on_demand)
        rename = {name: column for name, column in zip(names, self.columns, strict=True)}
        first = True
        if slow:
            source = self._slow_chunks(names, wanted)
        else:
            columns = _Columns(wanted, categories, lazy)
            blocks = _prefetched(self._fast_chunks(names, columns), PREFETCH_CHUNKS)
            source = self._decoded(blocks, columns)
        for frame, lines, done, codes, undecoded in source:
            frame = frame.rename(columns=rename)
            codes = {rename[name]: value for name, value in codes.items()}
            undecoded = {rename[name]: values for name, values in undecoded.items()}
            if first and len(frame):
                first = False
                if _is_hashtag_row(frame.iloc[0]):
                    self.hdx_line = int(lines[0])
                    frame = frame.iloc[1:].reset_index(drop=True)
                    lines = lines[1:]
                    codes = {name: dense_codes(code[1:], values) for name, (code, values) in codes.items()}
                    undecoded = {name: values[1:] for name, values in undecoded.items()}
            if progress is not None:
                progress(done, self.size)
            if len(frame):
                yield CsvChunk(frame, lines, codes, undecoded=undecoded)

    def _fast_chunks(self, names: list[str], columns: _Columns) -> Iterator[_Block]:
        line = self._data_line
        done = self._data_offset
        pending: bytes | bytearray = b""
        read_size = self.block_bytes
        with self.path.open("rb") as handle:
            handle.seek(self._data_offset)
            while True:
                buffer, final = self._read_block(handle, pending, read_size)
                if not buffer:
                    return
                scan = _Scan(buffer, final=final)
                if scan.stray >= 0:
                    raise LayoutMismatch(f"a quote inside an unquoted field, byte {done + scan.stray}")
                if final:
                    cut = len(buffer)
                elif scan.terminators.size:
                    cut = int(scan.newlines[scan.terminators[-1]]) + 1
                    read_size = self.block_bytes
                else:
                    pending, read_size = buffer, read_size * 2
                    continue
                block, used_lines = self._parse_block(buffer, cut, scan, line, names, columns, done)
                done += cut
                yield block
                if final:
                    return
                pending = bytes(buffer[cut:])
                line += used_lines

    def _read_block(
        self, handle: io.BufferedReader, pending: bytes | bytearray, size: int
    ) -> tuple[bytes | bytearray, bool]:
        """``pending`` and up to ``size`` more bytes of the file; whether the file ended.

        The bytes are read straight behind ``pending``, so a block is not copied again.
        """
        if self._cr_only:
            data = self._lines(handle.read(size))
            return (pending + data if pending else data), not data
        buffer = bytearray(len(pending) + size)
        buffer[: len(pending)] = pending
        view, filled = memoryview(buffer), len(pending)
        while filled < len(buffer):
            count = handle.readinto(view[filled:])
            if not count:
                break
            filled += count
        view.release()
        final = filled == len(pending)
        del buffer[filled:]
        return buffer, final

    def _parse_block(
        self,
        buffer: bytes | bytearray,
        cut: int,
        scan: _Scan,
        line: int,
        names: list[str],
        columns: _Columns,
        done: int,
    ) -> tuple[_Block, int]:
        """The records of ``buffer[:cut]`` as pandas reads them, and the lines they span.

        ``done`` is how many bytes of the file come before the block.
        """
        terminators = scan.terminators
        ends = scan.newlines[terminators]
        starts = np.concatenate(([0], ends + 1))
        lines = line + np.concatenate(([0], terminators + 1))
        stop = cut
        if cut == len(buffer) and (not ends.size or ends[-1] + 1 < cut):
            # A last record without a final newline; or an unclosed quote.
            ends = np.append(ends, cut)
            if scan.quotes_after(int(starts[len(ends) - 1])) % 2:
                ends = ends[:-1]
                stop = int(starts[len(ends)])
                trailing = int(scan.newlines.size and scan.newlines[-1] == cut - 1)
                self._unclosed_quote(int(lines[len(ends)]), line + scan.newlines.size - trailing)
        starts, lines = starts[: len(ends)], lines[: len(ends)]
        blank = _blank_records(buffer, starts, ends)
        kept = ~blank
        # A first row one field wider than the header lets pandas read a field past the
        # last column into _EXTRA for rows that have too many fields; pandas would
        # otherwise drop those fields silently when usecols is given.
        head = b"," * len(names) + b"\n"
        records = int(kept.sum())
        try:
            read = self._tokenized(head, buffer, stop, names, columns.dtypes(), records)
            long = columns.overflowing(read)
            if long:
                read.update(self._tokenized(head, buffer, stop, names, columns.texts(long), records))
                columns.widen(long, read)
        except UnicodeDecodeError:
            self._not_utf8(buffer, stop, line)
        extra = read.pop(_EXTRA) != ""
        lines = lines[kept].astype(np.int64)
        for line_number in lines[extra]:
            self._too_many_fields(int(line_number), len(names), None)
        used = int(terminators[-1]) + 1 if terminators.size else 0
        return _Block(read, extra, lines[~extra], done + cut, done, stop, line), used

    def _decoded(self, blocks: Iterator[_Block], columns: _Columns) -> Iterator[_Parsed]:
        """Each block's columns as ``str`` (and codes), its good rows only.

        This runs in the caller's thread: most of it holds the GIL, while the reading
        thread mostly does not.
        """
        for block in blocks:
            undecoded = columns.undecoded(block.read)
            try:
                for values in undecoded.values():
                    _check_utf8(values)
                # Popped: each column's bytes are freed as soon as they are decoded.
                codes = {name: _codes(block.read.pop(name)) for name in list(block.read)}
            except UnicodeDecodeError:
                with self.path.open("rb") as handle:
                    handle.seek(block.offset)
                    self._not_utf8(self._lines(handle.read(block.stop)), block.stop, block.line)
            if block.extra.any():
                keep = ~block.extra
                codes = {
                    name: (None, values[keep]) if code is None else dense_codes(code[keep], values)
                    for name, (code, values) in codes.items()
                }
                undecoded = {name: values[keep] for name, values in undecoded.items()}
            frame = pd.DataFrame(
                {
                    name: pd.Series(values if code is None else values[code], dtype=object, copy=False)
                    for name, (code, values) in codes.items()
                },
                columns=list(codes),
                copy=False,
            )
            coded = {name: (code, values) for name, (code, values) in codes.items() if code is not None}
            yield frame, block.lines, block.done, coded, undecoded

    def _not_utf8(self, data: bytes | bytearray, stop: int, line: int) -> NoReturn:
        """Raise ``DataError`` for the first byte of ``data[:stop]`` that is not UTF-8."""
        self._decode(bytes(data[:stop]), line)
        raise LayoutMismatch("pandas failed to decode text Python can decode")

    def _tokenized(
        self,
        head: bytes,
        buffer: bytes | bytearray,
        stop: int,
        names: list[str],
        dtypes: dict[str, Any],
        records: int,
    ) -> dict[str, Any]:
        """The columns named in ``dtypes`` as pandas reads ``head`` + ``buffer[:stop]``.

        The row ``head`` is left out; the rest must be ``records`` rows, or the block
        cannot be read this way (``LayoutMismatch``).
        """
        try:
            frame = pd.read_csv(
                _BlockSource(head, buffer, stop),
                header=None,
                names=[*names, _EXTRA],
                usecols=list(dtypes),
                index_col=False,
                dtype=dtypes,
                keep_default_na=False,
                na_filter=False,
                encoding="utf-8",
                engine="c",
                # In one piece: pandas' pieces would each convert every column again,
                # and each conversion of a bytes column waits for the GIL once more.
                low_memory=False,
            )
        except UnicodeDecodeError:
            raise
        except (pd.errors.ParserError, ValueError) as error:
            raise LayoutMismatch(str(error)) from None
        read = {name: _values(frame[name])[1:] for name in dtypes}
        if len(frame) - 1 != records:
            # pandas decodes text as it reads it: text that is not UTF-8 is reported
            # before a block is read the slow way, whichever way its columns were read.
            for values in read.values():
                _codes(values)
            raise LayoutMismatch(f"{records} records scanned, pandas read {len(frame) - 1}")
        return read

    def _slow_chunks(self, names: list[str], wanted: list[str]) -> Iterator[_Parsed]:
        positions = [names.index(name) for name in wanted]
        width = len(names)
        with _field_limit(self.size + 1), self.path.open("rb") as raw:
            raw.seek(self._data_offset)
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            rows: list[list[str]] = []
            lines: list[int] = []
            last: list[str] = []
            before = 0
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    break
                except UnicodeDecodeError:
                    self._raise_bad_utf8()
                except csv.Error as error:
                    self.rows_rejected += 1
                    self.problems.append(
                        Problem(
                            self.file,
                            f"line {self._data_line + before}",
                            "",
                            f"unreadable CSV record ({error}); expected RFC 4180 quoting",
                        )
                    )
                    before = reader.line_num
                    continue
                start, before, last = self._data_line + before, reader.line_num, record
                if not record or (len(record) == 1 and not record[0].strip(" \t\r")):
                    continue
                if len(record) > width:
                    self._too_many_fields(start, width, len(record))
                    continue
                rows.append(record)
                lines.append(start)
                if len(rows) >= _SLOW_BATCH_ROWS:
                    done = min(raw.tell(), self.size)
                    frame = _frame_from_rows(rows, positions, wanted, width)
                    yield frame, np.array(lines, np.int64), done, {}, {}
                    rows, lines = [], []
        if rows and rows[-1] is last and self._last_record_unclosed(lines[-1], last, width):
            rows.pop()
            self._unclosed_quote(lines.pop(), self._data_line + before - 1)
        yield _frame_from_rows(rows, positions, wanted, width), np.array(lines, np.int64), self.size, {}, {}

    def _last_record_unclosed(self, line: int, record: list[str], width: int) -> bool:
        """Whether the file's last record ends inside a quoted field.

        Python's lenient reader puts the rest of the file into such a field, so only a
        last record that is short or has a line break in a field is re-read strictly.
        """
        if len(record) == width and not any("\n" in f or "\r" in f for f in record):
            return False
        with self.path.open("rb") as raw:
            raw.seek(self._data_offset)
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            for _ in range(line - self._data_line):
                text.readline()
            with _field_limit(self.size + 1):
                return _ends_inside_quotes(text.read())

    def _raise_bad_utf8(self) -> NoReturn:
        """Find the first byte that is not UTF-8 and raise ``DataError`` naming its line."""
        decoder_carry = b""
        line = self._data_line
        with self.path.open("rb") as handle:
            handle.seek(self._data_offset)
            while True:
                block = self._lines(handle.read(self.block_bytes))
                data = decoder_carry + block
                try:
                    data.decode("utf-8")
                except UnicodeDecodeError as error:
                    if block and error.reason == "unexpected end of data":
                        decoder_carry = data[error.start :]
                        line += data.count(b"\n", 0, error.start)
                        continue
                    self._decode(data, line)
                if not block:
                    break
                line += data.count(b"\n")
                decoder_carry = b""
        raise LayoutMismatch("text Python could not decode decodes in blocks")

    def _too_many_fields(self, line: int, expected: int, found: int | None) -> None:
        self.rows_rejected += 1
        count = "more" if found is None else str(found)
        self.problems.append(
            Problem(
                self.file,
                f"line {line}",
                "",
                f"expected {expected} fields (one per header column), found {count}; "
                "is there a comma in an unquoted value?",
            )
        )

    def _unclosed_quote(self, line: int, last_line: int) -> None:
        self.rows_rejected += 1
        self.problems.append(
            Problem(
                self.file,
                f"line {line}",
                "",
                f"a quoted field opened in this record is never closed, so lines {line}-"
                f"{max(line, last_line)} could not be read; expected a closing '\"'",
            )
        )


class _Scan:
    """Line breaks and quotes of a block, and which line breaks end a record.

    A line break is a LF, or a CR not followed by LF (as pandas, Python's ``csv`` and
    editors count them); a CR at the end of a block that is not the file's last is left
    for the next block, which will see whether a LF follows.
    """

    def __init__(self, data: bytes | bytearray, *, final: bool = True) -> None:
        array = np.frombuffer(data, dtype=np.uint8)
        newlines, quotes = _positions(array, _NL, _QUOTE)
        if data.find(b"\r") >= 0:
            returns = np.flatnonzero(array == _CR)
            following = returns + 1
            inside = following < len(array)
            lone = np.full(len(returns), final)
            lone[inside] = array[following[inside]] != _NL
            if lone.any():
                newlines = np.sort(np.concatenate((newlines, returns[lone])))
        self.newlines = newlines
        self.quotes = quotes
        self.stray = _stray_quote(array, self.quotes)
        if self.quotes.size:
            even = (np.searchsorted(self.quotes, self.newlines) & 1) == 0
            self.terminators = np.flatnonzero(even)
        else:
            self.terminators = np.arange(self.newlines.size)

    def quotes_after(self, position: int) -> int:
        """Number of ``"`` at or after ``position``."""
        return int(self.quotes.size - np.searchsorted(self.quotes, position))


def _positions(array: np.ndarray, *values: int) -> list[np.ndarray]:
    """Where each of ``values`` occurs in ``array``, found a slice at a time.

    Slices of ``_SCAN_BYTES`` keep numpy's masks small enough to stay in the cache, which
    makes the search over a 16 MB block about a third faster.
    """
    found: list[list[np.ndarray]] = [[] for _ in values]
    for start in range(0, len(array), _SCAN_BYTES):
        piece = array[start : start + _SCAN_BYTES]
        for positions, value in zip(found, values, strict=True):
            positions.append(np.flatnonzero(piece == value) + start)
    return [np.concatenate(positions) if positions else np.empty(0, dtype=np.intp) for positions in found]


def _stray_quote(array: np.ndarray, quotes: np.ndarray) -> int:
    """Where the first ``"`` that counting cannot place is, or -1.

    The scan pairs quotes in order: the 1st, 3rd, 5th … must each open a quoted field
    (at the start of the block, after a comma or a line break) or continue one (right
    after the quote that ended it: a doubled ``""``). A ``"`` anywhere else is a
    literal character inside an unquoted field (Python's ``csv`` and pandas read it
    so); counting it would shift every later record, so the file is read slowly.
    """
    opening = quotes[0::2]
    inner = opening[opening > 0]
    if not inner.size:
        return -1
    before = array[inner - 1]
    placed = (before == _COMMA) | (before == _NL) | (before == _CR) | (before == _QUOTE)
    return -1 if placed.all() else int(inner[np.argmin(placed)])


class _BlockSource(io.RawIOBase):
    """A binary file holding ``head`` and then ``block[:stop]``, for pandas' C parser.

    ``read`` hands over everything at once, whatever size pandas asks for (its reader
    takes what it is given). pandas' tokenizer runs without the GIL, but takes the GIL
    back for every read, 256 kB at a time by default; while the caller converts the
    previous block in another thread, each of those waits up to the interpreter's
    switch interval, and the tokenizer would mostly wait.
    """

    def __init__(self, head: bytes, block: bytes | bytearray, stop: int) -> None:
        super().__init__()
        with memoryview(block) as view:
            self._data = head + view[:stop]
        self._offset = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._data[self._offset :] if self._offset else self._data
        self._data, self._offset = b"", 0
        return data

    def readinto(self, target: Any) -> int:
        count = min(len(target), len(self._data) - self._offset)
        target[:count] = self._data[self._offset : self._offset + count]
        self._offset += count
        return count


class _Columns:
    """The columns the blocks of one read ask pandas for, and how: bytes, categories or text.

    ``widths`` (column → width in bytes, or ``_TEXT``) starts at ``FIRST_WIDTH``; a width
    that turns out too narrow for a block is widened for the next blocks. ``categories``
    are the coded columns, ``lazy`` the ones read on demand.
    """

    def __init__(self, wanted: list[str], categories: frozenset[str], lazy: frozenset[str]) -> None:
        self.wanted = wanted
        self.widths = dict.fromkeys(wanted, FIRST_WIDTH)
        self.categories = categories
        self.lazy = lazy

    def dtypes(self) -> dict[str, Any]:
        """The dtypes pandas reads the wanted columns and ``_EXTRA`` with, in that order."""
        return {**{name: self._dtype(name, self.widths[name]) for name in self.wanted}, _EXTRA: _OBJECT}

    def texts(self, names: list[str]) -> dict[str, Any]:
        """The dtypes that read ``names`` as text (categories for the coded ones)."""
        return {name: self._dtype(name, _TEXT) for name in names}

    def _dtype(self, name: str, width: int) -> Any:
        # Dtype objects, not names: pandas looks a name up among all its dtypes, 32
        # times per block.
        if width:
            return np.dtype(f"S{width}")
        return _CATEGORY if name in self.categories else _OBJECT

    def overflowing(self, read: dict[str, Any]) -> list[str]:
        """The fixed-width columns of ``read`` holding a value that fills the width.

        pandas cuts a longer value to the width without a word; one that fills it may
        have been cut, so the column is read again as text.
        """
        return [name for name in self.wanted if self.widths[name] and _filled(read[name])]

    def widen(self, names: list[str], read: dict[str, Any]) -> None:
        """Fit the widths of ``names`` to the longest value ``read`` has of each.

        A column widened before is at least doubled, so that values growing from block
        to block make it read again only a few times.
        """
        for name in names:
            values = read[name]
            distinct = values.categories if isinstance(values, pd.Categorical) else pd.unique(values)
            longest = max((len(text.encode("utf-8")) for text in distinct.tolist()), default=0)
            width = (longest + 8) // 8 * 8
            if self.widths[name] > FIRST_WIDTH:
                width = max(width, 2 * self.widths[name])
            self.widths[name] = (
                width if width <= (ON_DEMAND_WIDTH if name in self.lazy else FIXED_WIDTH) else _TEXT
            )

    def undecoded(self, read: dict[str, Any]) -> dict[str, np.ndarray]:
        """Take the columns read on demand that ``read`` holds as bytes out of it."""
        return {name: read.pop(name) for name in self.lazy if _is_bytes(read[name])}


def _codes(values: Any) -> tuple[np.ndarray | None, np.ndarray]:
    """(codes, the text of each code) of a column pandas read; (None, the texts) for text."""
    if isinstance(values, pd.Categorical):
        code = np.asarray(values.codes)
        if len(code) and code.min() < 0:  # no missing values with na_filter=False
            return None, np.asarray(values.to_numpy(dtype=object, na_value=""))
        return dense_codes(code, values.categories.to_numpy(dtype=object))
    if _is_bytes(values):
        return _fixed_codes(values)
    return None, values


def _is_bytes(values: Any) -> bool:
    """Whether a column pandas read is fixed-width bytes."""
    return isinstance(values, np.ndarray) and values.dtype.kind == "S"


def _values(column: pd.Series) -> Any:
    """A column pandas read: a ``Categorical``, or an array of ``bytes`` or of ``str``."""
    array = column.array
    return array if isinstance(array, pd.Categorical) else column.to_numpy()


def _filled(values: np.ndarray) -> bool:
    """Whether a value of a fixed-width bytes array fills the whole width (no NUL at its end)."""
    return bool(values.view(np.uint8)[values.itemsize - 1 :: values.itemsize].any())


def _fixed_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (in order of first appearance) and texts of a fixed-width bytes column.

    The 8-byte words of each value are hashed into one ``uint64`` for pandas to group
    (without the GIL); rows whose hash is equal are checked to be equal, and grouped
    word by word if any are not. Only the first row of each code is decoded, strictly as
    UTF-8, as pandas decodes every cell (``UnicodeDecodeError`` when one is not).
    """
    size = len(values)
    if not size:
        return np.zeros(0, dtype=np.intp), np.empty(0, dtype=object)
    words = values.view(np.uint64).reshape(size, -1)
    key = words[:, 0]
    if words.shape[1] > 1:
        key = key * _MIX
        for index in range(1, words.shape[1]):
            key += words[:, index]
            key *= _MIX
    codes, keys = pd.factorize(key)
    first = _first_rows(codes, len(keys))
    if words.shape[1] > 1 and not np.array_equal(words[first[codes]], words):
        codes, first = _exact_codes(words)
    return codes, _texts(values[first])


def _texts(values: np.ndarray) -> np.ndarray:
    """The values of a fixed-width bytes array as ``str`` (``UnicodeDecodeError`` if one is not UTF-8)."""
    if not len(values):
        return np.empty(0, dtype=object)
    # A value holds no NUL (pandas copies up to the first), so NULs can separate them.
    texts = b"\0".join(values.tolist()).decode("utf-8").split("\0")
    return np.fromiter(texts, dtype=object, count=len(texts))


def _check_utf8(values: np.ndarray) -> None:
    """Raise ``UnicodeDecodeError`` if a value of a fixed-width bytes array is not UTF-8.

    Only the values with a byte past ASCII are decoded.
    """
    data = values.view(np.uint8).reshape(len(values), values.itemsize)
    if data.size and data.max() >= 0x80:
        _texts(values[data.max(axis=1) >= 0x80])


def _exact_codes(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the rows of ``words`` (in order of first appearance) and each code's first row."""
    codes, uniques = pd.factorize(words[:, 0])
    for index in range(1, words.shape[1]):
        part, part_uniques = pd.factorize(words[:, index])
        codes, uniques = pd.factorize(codes * len(part_uniques) + part)
    return codes, _first_rows(codes, len(uniques))


def _first_rows(codes: np.ndarray, count: int) -> np.ndarray:
    """The first row of each of ``count`` codes (each occurs)."""
    first = np.empty(count, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return first


def dense_codes(code: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (as ``intp``) and values with the values no row uses left out."""
    code = code.astype(np.intp, copy=False)
    used = np.bincount(code, minlength=len(values)) > 0 if len(code) else np.zeros(len(values), bool)
    if used.all():
        return code, values
    return (np.cumsum(used) - 1)[code], values[used]


def _prefetched(source: Iterator[T], ahead: int) -> Iterator[T]:
    """The items of ``source``, produced by a background thread up to ``ahead`` items early.

    pandas' C tokenizer runs without the GIL, so the next block is parsed on the other
    core while the caller converts this one. ``source`` runs in that one thread from
    start to end, so its side effects happen in order; an exception it raises is raised
    here at the same point of the sequence. When the caller stops early (an exception,
    or ``close``), the thread is stopped and joined before this generator exits, so
    nothing runs on after it.
    """
    if ahead <= 0:
        yield from source
        return
    queue: Queue[tuple[object, Any]] = Queue(maxsize=ahead)
    stop = threading.Event()

    def put(message: tuple[object, Any]) -> bool:
        while not stop.is_set():
            try:
                queue.put(message, timeout=0.05)
            except Full:
                continue
            return True
        return False

    def produce() -> None:
        try:
            for item in source:
                if not put((_ITEM, item)):
                    return
            put((_END, None))
        except BaseException as error:  # handed to the consumer, raised there
            put((_ERROR, error))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="csv-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            kind, item = queue.get()
            if kind is _ITEM:
                yield item
            elif kind is _END:
                return
            else:
                raise item
    finally:
        stop.set()
        thread.join()


_ITEM, _END, _ERROR = object(), object(), object()


def _blank_records(buffer: bytes | bytearray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Records pandas skips as blank: nothing but spaces, tabs and carriage returns."""
    blank = np.zeros(len(ends), dtype=bool)
    if not len(ends):
        return blank
    array = np.frombuffer(buffer, dtype=np.uint8)
    empty = ends <= starts
    first = array[np.minimum(starts, len(array) - 1)]
    candidates = np.flatnonzero(empty | (first == 32) | (first == 9) | (first == _CR))
    for index in candidates:
        start, end = int(starts[index]), int(ends[index])
        blank[index] = not buffer[start:end].strip(_BLANK_BYTES)
    return blank


def _unique_names(columns: tuple[str, ...]) -> list[str]:
    """Positional names for pandas: unique even when the header repeats or omits names."""
    return [f"{index}:{column}" for index, column in enumerate(columns)]


def _is_hashtag_row(row: pd.Series) -> bool:
    """True for the HXL hashtag row of HDX copies (``#event+id``, ``#date`` …)."""
    values = [value.strip() for value in row.tolist() if isinstance(value, str) and value.strip()]
    return bool(values) and all(_HXL_TAG.fullmatch(value) for value in values)


def _frame_from_rows(
    rows: list[list[str]], positions: list[int], wanted: list[str], width: int
) -> pd.DataFrame:
    """Columns from parsed records, short records padded with empty strings."""
    if not rows:
        return pd.DataFrame({name: np.empty(0, dtype=object) for name in wanted}, columns=wanted)
    if any(len(row) != width for row in rows):
        rows = [row if len(row) == width else row + [""] * (width - len(row)) for row in rows]
    table = np.empty((len(rows), width), dtype=object)
    table[:] = rows
    return pd.DataFrame(
        {
            name: pd.Series(_shared(table[:, i]), dtype=object)
            for name, i in zip(wanted, positions, strict=True)
        },
        columns=wanted,
    )


def _shared(values: np.ndarray) -> np.ndarray:
    """Equal strings as one object when they repeat (pandas' C parser does the same)."""
    codes, uniques = pd.factorize(values)
    if len(uniques) * 2 > len(values):
        return values
    return np.asarray(uniques, dtype=object)[codes]


@contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let Python's ``csv`` read fields up to ``size`` characters (as pandas does), then restore.

    The limit is the ``csv`` module's one global setting (131,072 by default); it is
    raised only while a file is read the slow way, so that a long field reads the same
    whichever way the file is read.
    """
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, min(size, 2**31 - 1)))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _ends_inside_quotes(text: str) -> bool:
    """Whether a record's raw text ends inside a quoted field (strict RFC 4180 reading)."""
    if '"' not in text:
        return False
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        try:
            next(reader)
        except StopIteration:
            return False
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                return True
