"""The Python side of the differential test, run by Debian's /usr/bin/python3 (python3-openpyxl,
python3-xlsxwriter), one process per call however many files:

  books.py write JOBS.json   write each job's workbook with openpyxl or XlsxWriter
  books.py dump FILES.json   print one JSON line per file: every cell as openpyxl reads it

A job is {"path", "writer": "openpyxl"|"xlsxwriter", "options": {...}, "book": BookSpec} (see
spec.ts). The dump gives, per sheet, name, hidden, merged ranges and cells by A1 address as
[type, value]: "s" text, "n" number, "b" boolean, "e" error, "d" date-time as ISO text, "t" a
time of day (openpyxl's reading of a date-formatted serial below 1); cells without a value are
left out. openpyxl reads with data_only=True: a formula's cached result, or nothing.
"""
import datetime
import json
import sys
import warnings

warnings.simplefilter("ignore")


def parse_iso(s):
    if len(s) == 10:
        return datetime.date.fromisoformat(s)
    return datetime.datetime.fromisoformat(s)


def write_openpyxl(job):
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book, options = job["book"], job["options"]
    wb = Workbook()
    wb.remove(wb.active)
    if book["date1904"]:
        wb.epoch = CALENDAR_MAC_1904
    if options.get("isoDates"):
        wb.iso_dates = True
    for sheet in book["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        ws.sheet_state = sheet["state"]
        for r, row in enumerate(sheet["rows"], start=1):
            for c, cell in enumerate(row, start=1):
                if cell is None:
                    continue
                target = ws.cell(row=r, column=c)
                t = cell["t"]
                if t == "s":
                    target.value = cell["v"]
                    # Without this openpyxl takes "=…" for a formula and "#N/A" for an error.
                    target.data_type = "s"
                elif t in ("n", "b"):
                    target.value = cell["v"]
                elif t == "d":
                    target.value = parse_iso(cell["v"])
                    target.number_format = "yyyy-mm-dd" if len(cell["v"]) == 10 else "yyyy-mm-dd hh:mm:ss"
                elif t == "e":
                    target.value = cell["v"]
                elif t == "f":
                    # openpyxl writes no cached value: the cell reads as empty in every reader.
                    target.value = "=" + cell["f"]
        for m in sheet["merges"]:
            ws.merge_cells(m)
    wb.save(job["path"])


def write_xlsxwriter(job):
    import xlsxwriter

    book, options = job["book"], job["options"]
    wb = xlsxwriter.Workbook(
        job["path"],
        {
            "date_1904": book["date1904"],
            "constant_memory": bool(options.get("constantMemory")),
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    time_format = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    bold = wb.add_format({"bold": True})
    for sheet in book["sheets"]:
        ws = wb.add_worksheet(sheet["name"])
        if sheet["state"] != "visible":
            ws.hide()
        anchors = {}
        for m in sheet["merges"]:
            first, last = m.split(":")
            anchors[first] = m
        for r, row in enumerate(sheet["rows"]):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                t = cell["t"]
                ref = xlsxwriter.utility.xl_rowcol_to_cell(r, c)
                if ref in anchors and t == "s":
                    ws.merge_range(anchors.pop(ref), cell["v"])
                elif t == "s":
                    text = cell["v"]
                    if options.get("rich") and len(text) >= 2:
                        ws.write_rich_string(r, c, bold, text[:1], text[1:])
                    else:
                        ws.write_string(r, c, text)
                elif t == "n":
                    ws.write_number(r, c, cell["v"])
                elif t == "b":
                    ws.write_boolean(r, c, cell["v"])
                elif t == "d":
                    ws.write_datetime(r, c, parse_iso(cell["v"]) if len(cell["v"]) > 10 else datetime.datetime.fromisoformat(cell["v"]), date_format if len(cell["v"]) == 10 else time_format)
                elif t == "e":
                    # XlsxWriter writes no error constants: a formula whose cached result is the error.
                    ws.write_formula(r, c, "=NA()", None, cell["v"])
                elif t == "f":
                    cached = cell["cached"]
                    ws.write_formula(r, c, "=" + cell["f"], None, cached["v"])
    wb.close()


def iso(value):
    if isinstance(value, datetime.datetime):
        text = value.isoformat(timespec="milliseconds")
        return text[:-4] if text.endswith(".000") else text
    if isinstance(value, datetime.date):
        return value.isoformat() + "T00:00:00"
    return value.isoformat()


def dump(path):
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if v is None or type(cell).__name__ == "MergedCell":
                    continue
                if cell.data_type == "e":
                    cells[cell.coordinate] = ["e", v]
                elif isinstance(v, bool):
                    cells[cell.coordinate] = ["b", v]
                elif isinstance(v, (int, float)):
                    cells[cell.coordinate] = ["n", v]
                elif isinstance(v, datetime.time):
                    cells[cell.coordinate] = ["t", v.isoformat()]
                elif isinstance(v, datetime.timedelta):
                    cells[cell.coordinate] = ["t", str(v)]
                elif isinstance(v, (datetime.datetime, datetime.date)):
                    cells[cell.coordinate] = ["d", iso(v)]
                else:
                    cells[cell.coordinate] = ["s", str(v)]
        sheets.append(
            {
                "name": ws.title,
                "hidden": ws.sheet_state != "visible",
                "merges": sorted(str(m) for m in ws.merged_cells.ranges),
                "cells": cells,
            }
        )
    return {"sheets": sheets}


def main():
    command, jobs_file = sys.argv[1], sys.argv[2]
    with open(jobs_file, encoding="utf-8") as f:
        jobs = json.load(f)
    out = sys.stdout
    for job in jobs:
        if command == "write":
            {"openpyxl": write_openpyxl, "xlsxwriter": write_xlsxwriter}[job["writer"]](job)
        else:
            try:
                result = dump(job)
            except Exception as error:  # noqa: BLE001 — a file openpyxl cannot open is reported, not fatal
                result = {"unreadable": f"{type(error).__name__}: {error}"}
            out.write(json.dumps({"file": job, **result}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
