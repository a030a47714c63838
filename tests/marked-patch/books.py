"""The Python side of tests/marked-patch.test.ts, run by Debian's /usr/bin/python3
(python3-openpyxl, python3-xlsxwriter):

  books.py write DIR      write DIR/openpyxl.xlsx and DIR/xlsxwriter.xlsx: ledgers with what
                          clerks' files carry (merges, styles, notes, validations, conditional
                          formats, charts, an image, defined names, print areas, a row style
                          and a column style, an active sheet other than the first)
  books.py dump FILE...   one JSON line per file: how openpyxl reads it (sheets in tab order,
                          the active sheet, defined names with the sheet each is local to,
                          and per sheet every cell's value and style, notes, merges, counts)
"""
import base64
import json
import sys
import warnings

warnings.simplefilter("ignore")

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def write_openpyxl(path):
    import datetime
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Border, Font, PatternFill, Side, Alignment
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws["A1"] = "行政复议应诉案件台账"
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A1:E1")
    thin = Side(style="thin")
    for i, h in enumerate(["案号", "类别", "日期", "备注", "人数"]):
        c = ws.cell(row=2, column=i + 1, value=h)
        c.font = Font(bold=True)
        c.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for r in range(3, 8):
        ws.cell(row=r, column=1, value=f"（2020）第{r}号")
        ws.cell(row=r, column=2, value="行政诉讼" if r % 2 else "行政复议")
        d = ws.cell(row=r, column=3, value=datetime.date(2020, r, 1))
        d.number_format = "yyyy-mm-dd"
        ws.cell(row=r, column=5, value=r)
    ws["D5"] = "已核"
    ws["D5"].fill = PatternFill("solid", fgColor="FFD9D9D9")
    ws["A8"] = "合计"
    ws["E8"] = "=SUM(E3:E7)"
    ws["A3"].comment = Comment("原来的批注：核对过", "张三")
    ws.column_dimensions["A"].width = 24
    ws.freeze_panes = "A3"
    dv = DataValidation(type="list", formula1='"行政诉讼,行政复议"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("B3:B20")
    ws.conditional_formatting.add("E3:E7", CellIsRule(operator="greaterThan", formula=["5"], fill=PatternFill("solid", fgColor="FFFF0000")))
    ws.print_area = "A1:E8"
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=5, min_row=3, max_row=7))
    ws.add_chart(chart, "G3")
    other = wb.create_sheet("说明")
    other["A1"] = "请按规定填写"
    wb.defined_names.append(DefinedName("合计人数", attr_text="'台账'!$E$8"))
    wb.defined_names.append(DefinedName("说明文字", localSheetId=1, attr_text="'说明'!$A$1"))
    wb.active = 1
    ws.sheet_view.tabSelected = False
    other.sheet_view.tabSelected = True
    wb.save(path)


def write_xlsxwriter(path, png):
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("数据")
    bold = wb.add_format({"bold": True, "border": 1})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    row_style = wb.add_format({"font_color": "#0000FF"})
    col_style = wb.add_format({"italic": True})
    ws.set_column("C:C", 14, col_style)
    ws.set_row(6, None, row_style)
    ws.write_row("A1", ["日期", "类别", "主题", "人数"], bold)
    import datetime

    for r in range(1, 6):
        ws.write_datetime(r, 0, datetime.datetime(2020, r, 5), date)
        ws.write_string(r, 1, "会前学法")
        ws.write_string(r, 2, f"民法典第{r}讲")
        ws.write_number(r, 3, r * 10)
    ws.write_formula("D7", "=SUM(D2:D6)", None, 150)
    ws.write_string("A7", "合计", row_style)
    ws.write_comment("B3", "xlsxwriter 批注", {"author": "李四"})
    ws.data_validation("D2:D20", {"validate": "integer", "criteria": ">=", "value": 0})
    ws.conditional_format("D2:D6", {"type": "cell", "criteria": ">", "value": 30, "format": bold})
    ws.autofilter("A1:D6")
    ws.write_url("A10", "https://example.org/", string="链接")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "='数据'!$D$2:$D$6"})
    ws.insert_chart("F2", chart)
    ws.insert_image("F20", png)
    ws.print_area("A1:D10")
    ws.repeat_rows(0)
    ws2 = wb.add_worksheet("汇总")
    ws2.write_string("A1", '=HYPERLINK("http://x")')
    wb.define_name("合计", "='数据'!$D$7")
    wb.define_name("汇总!本表", "='汇总'!$A$1")
    ws2.activate()
    wb.close()


def color(c):
    if c is None:
        return None
    return c.rgb if c.type == "rgb" else f"{c.type}:{c.value}"


def style_of(c):
    f, b, a = c.font, c.border, c.alignment
    return {
        "font": [f.name, f.sz, f.b, f.i, f.u, color(f.color)],
        "fill": [c.fill.fill_type, color(c.fill.fgColor)] if c.fill is not None and c.fill.fill_type else None,
        "border": [s.style if s is not None else None for s in (b.left, b.right, b.top, b.bottom)],
        "numFmt": c.number_format,
        "align": [a.horizontal, a.vertical, a.wrap_text],
        "protection": [c.protection.locked, c.protection.hidden],
    }


def dump(path):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    names = []
    for dn in wb.defined_names.definedName:
        scope = wb.sheetnames[dn.localSheetId] if dn.localSheetId is not None else None
        names.append([dn.name, scope, dn.attr_text])
    sheets = {}
    for ws in wb.worksheets:
        cells = {}
        comments = {}
        links = {}
        for row in ws.iter_rows():
            for c in row:
                if c.comment is not None:
                    comments[c.coordinate] = c.comment.text
                if c.hyperlink is not None:
                    links[c.coordinate] = c.hyperlink.target
                if c.value is None and not c.has_style:
                    continue
                cells[c.coordinate] = [None if c.value is None else str(c.value), style_of(c)]
        sheets[ws.title] = {
            "cells": cells,
            "comments": comments,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": len(ws.data_validations.dataValidation),
            "conditional": len(ws.conditional_formatting),
            "charts": len(ws._charts),
            "freeze": ws.freeze_panes,
            "printArea": ws.print_area,
            "printTitles": ws.print_title_rows,
            "autoFilter": ws.auto_filter.ref,
            "hyperlinks": links,
            "widths": {k: v.width for k, v in ws.column_dimensions.items() if v.width},
        }
    return {"sheets": wb.sheetnames, "active": wb.active.title, "names": sorted(names, key=json.dumps), "sheet": sheets}


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "write":
        d = args[0]
        with open(f"{d}/tiny.png", "wb") as f:
            f.write(PNG)
        write_openpyxl(f"{d}/openpyxl.xlsx")
        write_xlsxwriter(f"{d}/xlsxwriter.xlsx", f"{d}/tiny.png")
    elif cmd == "dump":
        for p in args:
            print(json.dumps(dump(p), ensure_ascii=False, default=str))


main()
