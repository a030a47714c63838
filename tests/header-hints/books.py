"""The Python side of tests/header-hints.test.ts, run by Debian's /usr/bin/python3 (python3-openpyxl):
a writer independent of tally's exceljs, as a clerk's Excel or WPS would save the file.

  books.py legal-service-headers-with-hints PATH
      a 公共法律服务台账 whose every header carries a unit or a hint in brackets, one after a line
      break in the cell (服务类别⏎（法律咨询/法律援助咨询）), under a merged title: 6 rows of 2020,
      法律咨询 10+20+30 = 60 人次, 法律援助咨询 4+5+6 = 15 人次.
"""
import datetime
import sys

from openpyxl import Workbook
from openpyxl.styles import Alignment


def legal_service_headers_with_hints(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "公共法律服务"
    ws.append(["安定镇2020年公共法律服务台账"])
    ws.merge_cells("A1:D1")
    ws.append(["服务日期（年月日）", "村居(社区)", "服务类别\n（法律咨询/法律援助咨询）", "人次（人）（必填）"])
    ws["C2"].alignment = Alignment(wrap_text=True)
    rows = [
        (datetime.date(2020, 2, 3), "后安定村", "法律咨询", 10),
        (datetime.date(2020, 3, 3), "前安定村", "法律援助咨询", 4),
        (datetime.date(2020, 4, 3), "后安定村", "法律咨询", 20),
        (datetime.date(2020, 5, 3), "高店村", "法律援助咨询", 5),
        (datetime.date(2020, 6, 3), "后安定村", "法律咨询", 30),
        (datetime.date(2020, 7, 3), "前安定村", "法律援助咨询", 6),
    ]
    for row in rows:
        ws.append(list(row))
        ws.cell(ws.max_row, 1).number_format = "yyyy-mm-dd"
    wb.save(path)


BOOKS = {"legal-service-headers-with-hints": legal_service_headers_with_hints}

if __name__ == "__main__":
    BOOKS[sys.argv[1]](sys.argv[2])
