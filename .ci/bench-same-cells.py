#!/usr/bin/env python3
"""Checks that two XLSX workbooks hold the same cells, for .ci/bench: the C baseline's and ttusage's.

    python3 .ci/bench-same-cells.py C.xlsx TTUSAGE.xlsx

Both must have the same worksheets, by name and in order, and each worksheet's <sheetData> must be the same XML
once the style indexes (s="N") are taken out: the same cells, values and strings, in the same order. A cell held
as a shared string (t="s", a workbook written in memory) counts as the same text written inline, and a row's
spans="..." hint is ignored. The sheets are read in chunks, not whole (Daily is some 140 MB of XML).

Prints `same cells: yes (N sheets, N cells)`, or names the first sheet that differs, the offset in its
<sheetData> (style indexes taken out) and an excerpt of each side, `[` marking where they part, and exits 1.
"""
import html
import re
import sys
import zipfile
import zlib

CHUNK = 1 << 20
STYLE = re.compile(rb' s="[0-9]+"')
SPANS = re.compile(rb' spans="[0-9:]+"')
SHARED = re.compile(rb' t="s"><v>([0-9]+)</v>')
CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"')


def fail(message):
    print(f"same cells: NO: {message}", file=sys.stderr)
    sys.exit(1)


def worksheets(book, path):
    """The workbook's worksheets as (name, member) in their order."""
    workbook = book.read("xl/workbook.xml").decode()
    rels = book.read("xl/_rels/workbook.xml.rels").decode()
    targets = {}
    for rel in re.findall(r"<Relationship [^>]*>", rels):
        rel_id = re.search(r'Id="([^"]+)"', rel).group(1)
        target = re.search(r'Target="([^"]+)"', rel).group(1)
        targets[rel_id] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    sheets = []
    for sheet in re.findall(r"<sheet [^>]*>", workbook):
        name = html.unescape(re.search(r'name="([^"]*)"', sheet).group(1))
        rel_id = re.search(r'r:id="([^"]+)"', sheet).group(1)
        if rel_id not in targets:
            fail(f"{path}: sheet {name!r} has no part")
        sheets.append((name, targets[rel_id]))
    return sheets


def shared_strings(book):
    """The shared strings as the inline form of a cell, <is>…</is> (none in a streamed workbook)."""
    try:
        text = book.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    return [b"<is>" + item + b"</is>" for item in re.findall(rb"<si>(.*?)</si>", text, re.S)]


def sheet_data(book, member, strings):
    """The sheet's <sheetData> element with style indexes taken out, in pieces. Each piece but the last ends
    just before a cell (`<c r=`), so that no tag and no cell is cut between two pieces."""
    state = "before"
    pending = b""

    def inline(match):
        return b' t="inlineStr">' + strings[int(match.group(1))]

    with book.open(member) as part:
        while state != "after":
            chunk = part.read(CHUNK)
            data = pending + chunk
            if chunk:
                cut = data.rfind(b"<c r=")
                if cut <= 0:
                    pending = data
                    continue
                data, pending = data[:cut], data[cut:]
            else:
                pending = b""
            if state == "before":
                start = data.find(b"<sheetData")
                if start < 0:
                    if not chunk:
                        return
                    continue
                data = data[start:]
                state = "inside"
            end = data.find(b"</sheetData>")
            if end >= 0:
                data = data[: end + len(b"</sheetData>")]
                state = "after"
            elif data.startswith(b"<sheetData/>"):
                data = b"<sheetData/>"
                state = "after"
            data = STYLE.sub(b"", data)
            if strings:
                data = SHARED.sub(inline, SPANS.sub(b"", data))
            elif b' t="s">' in data:
                fail(f"{member} has shared strings but the workbook has no sharedStrings.xml")
            else:
                data = SPANS.sub(b"", data)
            yield data
            if not chunk:
                break


def compare(name, left, right, labels):
    """Compares two streams of pieces; returns the number of cells, or fails at the first difference."""
    a = b""
    b = b""
    done = 0  # bytes of each side found equal and dropped
    before = b""  # the last equal bytes, for the excerpt
    cells = 0
    left_open = right_open = True

    def fill(buffer, stream, is_open):
        """Reads pieces of `stream` onto `buffer` until it holds CHUNK bytes or the stream ends."""
        while is_open and len(buffer) < CHUNK:
            piece = next(stream, None)
            if piece is None:
                is_open = False
            else:
                buffer += piece
        return buffer, is_open

    while True:
        a, left_open = fill(a, left, left_open)
        b, right_open = fill(b, right, right_open)
        common = min(len(a), len(b))
        if a[:common] != b[:common] or (common == 0 and (a or b)):
            # The first differing byte (0 when one side has ended): a[:low] == b[:low], a[:high] != b[:high].
            low, high = 0, common
            while high - low > 1:
                middle = (low + high) // 2
                if a[:middle] == b[:middle]:
                    low = middle
                else:
                    high = middle
            index = low
            context = before + a[:index]
            refs = CELL.findall(context)
            near = f" (in or after cell {refs[-1].decode()})" if refs else ""
            head = context[-100:].decode(errors="replace")
            fail(
                f"sheet {name!r} differs at offset {done + index} of its <sheetData> (style indexes taken out)"
                f"{near}:\n"
                f"  {labels[0]}: ...{head}[{a[index : index + 120].decode(errors='replace')}]\n"
                f"  {labels[1]}: ...{head}[{b[index : index + 120].decode(errors='replace')}]"
            )
        if common == 0:
            return cells
        equal = a[:common]
        # The shorter side is whole pieces, so `common` ends just before a cell or at the element's end: no
        # `<c r=` is cut, and each cell is counted once.
        cells += equal.count(b"<c r=")
        before = (before + equal)[-300:]
        done += common
        a = a[common:]
        b = b[common:]


def main():
    try:
        check()
    except (OSError, KeyError, zipfile.BadZipFile, zlib.error) as error:
        fail(f"cannot read the workbooks: {error!r}")


def check():
    if len(sys.argv) != 3:
        print("usage: " + __doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        sys.exit(64)
    paths = sys.argv[1:]
    books = [zipfile.ZipFile(path) for path in paths]
    sheets = [worksheets(book, path) for book, path in zip(books, paths)]
    names = [[name for name, _ in listed] for listed in sheets]
    if names[0] != names[1]:
        fail(f"the worksheets differ: {paths[0]} has {names[0]}, {paths[1]} has {names[1]}")
    strings = [shared_strings(book) for book in books]
    width = max(len(path) for path in paths)
    labels = [path.ljust(width) for path in paths]
    cells = 0
    for (name, left), (_, right) in zip(*sheets):
        cells += compare(
            name, sheet_data(books[0], left, strings[0]), sheet_data(books[1], right, strings[1]), labels
        )
    print(f"same cells: yes ({len(names[0])} sheets, {cells:,} cells)")


if __name__ == "__main__":
    main()
