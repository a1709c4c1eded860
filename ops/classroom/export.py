"""A class's results as CSV: question, answer, correct, time; the name column only if a student gave one.

Cells a spreadsheet would run as a formula (=, +, -, @ at the start, unless the cell is a plain number)
are prefixed with a quote.
"""

import csv
import io

from ops.classroom.tally_views import parse_number

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and parse_number(text) is None:
        return "'" + text
    return text


def results_csv(rows) -> str:
    """rows: dicts with question, lesson, kind, answer, correct, time (datetime) and name (or None)."""
    with_names = any(row["name"] for row in rows)
    header = ["question", "lesson", "kind", "answer", "correct", "time"] + (["name"] if with_names else [])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        cells = [row["question"], row["lesson"], row["kind"], row["answer"], "yes" if row["correct"] else "no",
                 row["time"].isoformat(timespec="seconds") + "Z"]
        if with_names:
            cells.append(row["name"] or "")
        writer.writerow([safe_cell(c) for c in cells])
    return out.getvalue()
