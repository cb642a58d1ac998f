#!/usr/bin/env python3
"""Reads a DATEV Buchungsstapel (EXTF) file independently of the Swift encoder and prints a JSON summary.

Usage: python3 scripts/datev_reader.py EXTF_Buchungsstapel.csv

Output: {"header": [31 header fields], "columns": [column names], "bookings": count,
         "sumCents": integer (Soll positive, Haben negative), "lineEndings": "CRLF" | "mixed"}

Only the standard library: the bytes are decoded as cp1252 (Windows-1252, strict: a byte the code page
leaves undefined is an error) and split by the csv module with ";" as delimiter and '"' as quote.
Exit status 1 (with a message on stderr) when the file cannot be read as a Buchungsstapel.
"""

import csv
import io
import json
import sys

AMOUNT = "Umsatz (ohne Soll/Haben-Kz)"
FLAG = "Soll/Haben-Kennzeichen"


def line_endings(data: bytes) -> str:
    """CRLF when every line break is CR LF and the file ends with one; otherwise mixed."""
    lf = data.count(b"\n")
    cr = data.count(b"\r")
    crlf = data.count(b"\r\n")
    if lf == crlf == cr and data.endswith(b"\r\n"):
        return "CRLF"
    return "mixed"


def cents(text: str) -> int:
    """'1234,50' -> 123450; digits, a decimal comma and exactly two decimals."""
    whole, sep, fraction = text.partition(",")
    if sep != "," or not whole.isdigit() or len(fraction) != 2 or not fraction.isdigit() \
            or not whole.isascii() or not fraction.isascii():
        raise ValueError(f"not a DATEV amount: {text!r}")
    return int(whole) * 100 + int(fraction)


def read(path: str) -> dict:
    with open(path, "rb") as handle:
        data = handle.read()
    text = data.decode("cp1252")
    # newline="" hands CR LF to the csv module untranslated; it treats CR LF as the record end.
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', strict=True))
    if len(rows) < 2:
        raise ValueError("expected a header line and a column line")
    header, columns = rows[0], rows[1]
    if header[:1] != ["EXTF"]:
        raise ValueError(f"header does not start with EXTF: {header[:1]!r}")
    amount_index = columns.index(AMOUNT)
    flag_index = columns.index(FLAG)
    total = 0
    count = 0
    for number, row in enumerate(rows[2:], start=3):
        if not row:
            continue
        if len(row) != len(columns):
            raise ValueError(f"line {number}: {len(row)} fields, expected {len(columns)}")
        value = cents(row[amount_index])
        flag = row[flag_index]
        if flag == "S":
            total += value
        elif flag == "H":
            total -= value
        else:
            raise ValueError(f"line {number}: Soll/Haben-Kennzeichen {flag!r}")
        count += 1
    return {
        "header": header,
        "columns": columns,
        "bookings": count,
        "sumCents": total,
        "lineEndings": line_endings(data),
    }


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: datev_reader.py FILE", file=sys.stderr)
        return 2
    try:
        summary = read(sys.argv[1])
    except (OSError, UnicodeDecodeError, ValueError, csv.Error) as error:
        print(f"datev_reader: {error}", file=sys.stderr)
        return 1
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
