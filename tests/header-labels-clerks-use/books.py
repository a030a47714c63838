"""The Python side of tests/header-labels-clerks-use.test.ts, run by Debian's /usr/bin/python3
(python3-openpyxl, python3-xlsxwriter): writers independent of tally's exceljs, as a clerk's
Excel or WPS would save the file.

  books.py litigation-leader-as-clerks-write PATH      (openpyxl)
      a 行政复议应诉案件台账 under a merged title whose 负责人出庭 column is headed
      行政机关负责人是否出庭应诉: 6 cases of 2020, 5 行政诉讼 and 1 行政复议, the leader
      appeared in 3 lawsuits; no 整改意见建议 (the column is there, empty).

  books.py disclosure-group-unmerged PATH              (openpyxl)
      a 执法公示台账 whose two-level header has its group label 公示 in one cell over
      日期 | 类别 | 内容, not merged (a merge undone), under an unmerged title: 7 disclosures of 2020.

  books.py mediation-groups-with-filler PATH           (xlsxwriter)
      a 人民调解台账 whose two-level header has 受理情况 merged over 日期 | 当事人 | 纠纷类型 and
      调解情况 over 结果 | 结案日期: 5 disputes of 2020, 4 of them 调解成功.
"""
import datetime
import sys

D = datetime.date


def litigation_leader_as_clerks_write(path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "应诉"
    header = ["案号", "案件类别", "收案日期", "案由", "行政机关负责人是否出庭应诉", "出庭负责人", "结果", "整改意见建议"]
    ws.append(["安定镇2020年行政复议应诉案件台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    cases = [
        ("行政诉讼", D(2020, 2, 3), "是", "王镇长"),
        ("行政诉讼", D(2020, 3, 9), "否", None),
        ("行政复议", D(2020, 4, 14), "否", None),
        ("行政诉讼", D(2020, 6, 1), "是", "李副镇长"),
        ("行政诉讼", D(2020, 8, 20), "是", "王镇长"),
        ("行政诉讼", D(2020, 10, 12), "否", None),
    ]
    for i, (kind, received, appeared, leader) in enumerate(cases, start=1):
        ws.append([f"（2020）京0115行初{i}号", kind, received, "行政处罚", appeared, leader, "驳回", None])
        ws.cell(ws.max_row, 3).number_format = "yyyy-mm-dd"
    wb.save(path)


def disclosure_group_unmerged(path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "执法公示"
    ws.append(["2020年执法公示台账"])
    ws.append(["序号", "公示", None, None, "公示载体"])
    ws.append([None, "日期", "类别", "内容", None])
    for i in range(7):
        ws.append([i + 1, D(2020, 1 + i, 6), ["事前公示", "事中公示", "事后公示"][i % 3], f"安定镇第{i + 1}号执法检查结果", "安定镇政府网站"])
        ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    wb.save(path)


def mediation_groups_with_filler(path):
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("人民调解")
    title = wb.add_format({"bold": True, "align": "center"})
    head = wb.add_format({"bold": True, "align": "center", "text_wrap": True, "border": 1})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.merge_range("A1:G1", "安定镇2020年人民调解台账", title)
    ws.merge_range("A2:A3", "序号", head)
    ws.merge_range("B2:D2", "受理情况", head)
    ws.write_row("B3", ["日期", "当事人", "纠纷类型"], head)
    ws.merge_range("E2:F2", "调解情况", head)
    ws.write_row("E3", ["结果", "结案日期"], head)
    ws.merge_range("G2:G3", "备注", head)
    rows = [
        (D(2020, 2, 1), "张某与李某", "邻里纠纷", "调解成功", D(2020, 2, 4)),
        (D(2020, 3, 10), "王某与赵某", "婚姻家庭", "调解成功", D(2020, 3, 12)),
        (D(2020, 5, 6), "刘某与陈某", "损害赔偿", "调解不成功", D(2020, 5, 20)),
        (D(2020, 7, 8), "周某与吴某", "邻里纠纷", "调解成功", D(2020, 7, 9)),
        (D(2020, 9, 15), "郑某与孙某", "合同纠纷", "调解成功", D(2020, 9, 30)),
    ]
    for i, (received, parties, kind, result, closed) in enumerate(rows):
        r = 3 + i
        ws.write_number(r, 0, i + 1)
        ws.write_datetime(r, 1, datetime.datetime.combine(received, datetime.time()), date)
        ws.write_string(r, 2, parties)
        ws.write_string(r, 3, kind)
        ws.write_string(r, 4, result)
        ws.write_datetime(r, 5, datetime.datetime.combine(closed, datetime.time()), date)
    wb.close()


BOOKS = {
    "litigation-leader-as-clerks-write": litigation_leader_as_clerks_write,
    "disclosure-group-unmerged": disclosure_group_unmerged,
    "mediation-groups-with-filler": mediation_groups_with_filler,
}

if __name__ == "__main__":
    BOOKS[sys.argv[1]](sys.argv[2])
