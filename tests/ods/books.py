"""
Workbooks for tests/ods.test.ts, written by independent writers (openpyxl, XlsxWriter), each
holding what an .ods must be read right for; LibreOffice then saves each as .ods. Also the
reading of the originals by openpyxl, as JSON, for the comparison.

usage: books.py write DIR      writes the .xlsx files into DIR
       books.py read FILE.xlsx  prints openpyxl's reading of FILE as JSON
"""
import datetime
import json
import sys


def every_construct(path):
    """openpyxl: the values, merges and hidden things of a ledger."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = '执法公示台账'
    ws['A1'] = '2020年行政执法公示台账'
    ws.merge_cells('A1:H1')
    ws.append(['公示日期', '公示类别', '数量', '比例', '金额', '公示内容', '时间', '是否'])
    rows = [
        [datetime.date(2020, 3, 5), '事前公示', 12, 0.15, 1200.5, '第一行\n第二行', datetime.time(10, 30), True],
        [datetime.datetime(2020, 12, 31, 10, 0), '事后公示', -3.25, 1, 0, '前后  有   空格', datetime.time(0, 0, 1), False],
        [datetime.date(2020, 6, 1), '事中公示', 1e15, 0.3333, 99999999.99, '𡒄村 emoji 😀 全角　空格', datetime.time(23, 59, 59), True],
    ]
    for r in rows:
        ws.append(r)
    for r in range(3, 6):
        ws[f'A{r}'].number_format = 'yyyy-mm-dd' if r != 4 else 'yyyy-mm-dd hh:mm:ss'
        ws[f'D{r}'].number_format = '0.00%'
        ws[f'E{r}'].number_format = '"¥"#,##0.00'
        ws[f'G{r}'].number_format = 'hh:mm:ss'
    # Two empty rows, then a block merged down and across.
    ws['A8'] = '合并的日期'
    ws.merge_cells('A8:A10')
    ws['B8'] = '跨列合并'
    ws.merge_cells('B8:D8')
    ws['B9'] = '下面一行隐藏'
    ws['B10'] = '隐藏的行'
    ws.row_dimensions[10].hidden = True
    # A row copied several times (LibreOffice writes it once, repeated).
    for r in range(12, 17):
        for c, v in enumerate([datetime.date(2020, 7, 1), '事前公示', 1, 0.5, 10, '复制的行', None, False], start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
        ws[f'A{r}'].number_format = 'yyyy-mm-dd'
    ws['J20'] = '远处的单元格'
    hidden = wb.create_sheet('选项（隐藏）')
    hidden.append(['公示类别'])
    for v in ['事前公示', '事中公示', '事后公示']:
        hidden.append([v])
    hidden.sheet_state = 'hidden'
    wb.create_sheet('空表')
    wb.save(path)


def formulas(path):
    """XlsxWriter: formulas with the results it is given (it cannot calculate), one an error."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet('公式')
    ws.write_row(0, 0, ['数量', '单价', '金额', '说明', '比较', '错误', '未知函数'])
    for r in range(1, 4):
        ws.write_number(r, 0, r * 2)
        ws.write_number(r, 1, 1.5)
        ws.write_formula(r, 2, f'=A{r + 1}*B{r + 1}', None, r * 3)
        ws.write_formula(r, 3, f'="第"&A{r + 1}&"件"', None, f'第{r * 2}件')
        ws.write_formula(r, 4, f'=A{r + 1}>3', None, r * 2 > 3)
    ws.write_formula(1, 5, '=A2/0', None, '#DIV/0!')
    ws.write_formula(2, 5, '=SQRT(-1)', None, '#NUM!')
    ws.write_formula(1, 6, '=NOSUCHFUNCTION(1)', None, '#NAME?')
    ws.write_formula(4, 2, '=SUM(C2:C4)', None, 18)
    ws.write_string(4, 0, '合计')
    wb.close()


def many_rows(path, count=20_000):
    """XlsxWriter: a ledger of many rows, every cell different."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet('调解台账')
    date = wb.add_format({'num_format': 'yyyy-mm-dd'})
    ws.write_row(0, 0, ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '金额'])
    base = datetime.date(2020, 1, 1)
    for i in range(1, count + 1):
        ws.write_number(i, 0, i)
        ws.write_datetime(i, 1, datetime.datetime.combine(base + datetime.timedelta(days=i % 366), datetime.time()), date)
        ws.write_string(i, 2, f'当事人{i}号')
        ws.write_string(i, 3, ['婚姻家庭', '邻里纠纷', '合同纠纷'][i % 3])
        ws.write_string(i, 4, '调解成功' if i % 5 else '调解中')
        ws.write_number(i, 5, i * 1.25)
    wb.close()


def read(path):
    """openpyxl's reading (cached values of formulas), in the terms tests/ods.test.ts compares."""
    import openpyxl
    wb = openpyxl.load_workbook(path, data_only=True)
    out = {'sheets': [], 'cells': {}}
    for ws in wb.worksheets:
        out['sheets'].append({'name': ws.title, 'hidden': ws.sheet_state != 'visible', 'merges': sorted(str(m) for m in ws.merged_cells.ranges)})
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None:
                    continue
                hidden = ws.row_dimensions[c.row].hidden
                key = f'{ws.title}!{c.coordinate}'
                if c.data_type == 'e':
                    cell = ['error', v]
                elif isinstance(v, bool):
                    cell = ['boolean', v]
                elif isinstance(v, datetime.datetime):
                    cell = ['date', v.isoformat()]
                elif isinstance(v, datetime.date):
                    cell = ['date', datetime.datetime.combine(v, datetime.time()).isoformat()]
                elif isinstance(v, datetime.time):
                    cell = ['number', (v.hour * 3600 + v.minute * 60 + v.second) / 86400]
                elif isinstance(v, (int, float)):
                    cell = ['number', v]
                else:
                    cell = ['string', v]
                out['cells'][key] = cell + (['hidden'] if hidden else [])
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == '__main__':
    if sys.argv[1] == 'write':
        d = sys.argv[2]
        every_construct(f'{d}/every-construct.xlsx')
        formulas(f'{d}/formulas.xlsx')
        many_rows(f'{d}/many-rows.xlsx')
    else:
        read(sys.argv[2])
