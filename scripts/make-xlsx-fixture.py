#!/usr/bin/env python3
"""Writes tests/fixtures/command-center-tables.xlsx: a spreadsheet as a command center's
statistics staff send it, for the example export (`citygrid example-export DIR`, one
subdistrict of the demo): a title row above the header, Chinese headers with units in
full-width parentheses, numbers as text with thousands separators and full-width digits,
a total row, real date cells, a rate column in Excel's percent format (fractions), one
sheet of bad cells for the error tests and one with a stray value at XFD1048576.

Usage: python3 scripts/make-xlsx-fixture.py EXPORT_DIR OUT.xlsx   (needs openpyxl)
The figures count ALL buildings of each community (what many registers count)."""
import datetime
import json
import sys

import openpyxl

export, out = sys.argv[1], sys.argv[2]
communities = json.load(open(f"{export}/communities.geojson", encoding="utf-8"))["features"]
buildings = json.load(open(f"{export}/buildings.geojson", encoding="utf-8"))["features"]

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "社区人口"
ws.append(["辽宁路街道各社区人口与房屋统计（2026年11月）"])
ws.merge_cells("A1:G1")
ws.append(["序号", "社区名称", "区划代码", "常住人口（人）", "户数（户）", "楼栋数", "建筑面积（㎡）"])
full_width = str.maketrans("0123456789", "０１２３４５６７８９")
total = [0, 0, 0, 0.0]
for i, c in enumerate(communities):
    p = c["properties"]
    mine = [b["properties"] for b in buildings if b["properties"]["parent_id"] == p["id"]]
    residents = sum(b["residents"] for b in mine) + 1000
    households = sum(b["households"] for b in mine)
    area = round(sum(b["floor_area_m2"] for b in mine), 1)
    total = [total[0] + residents, total[1] + households, total[2] + len(mine), total[3] + area]
    # Numbers as people type them: with separators, full-width, or plain number cells.
    res_cell = f"{residents:,}" if i == 0 else (str(residents).translate(full_width) if i == 1 else residents)
    ws.append([i + 1, p["name"], p["id"], res_cell, f"{households}户" if i == 2 else households,
               len(mine), f"{area:,.1f}"])
ws.append(["", "合计", "", total[0], total[1], total[2], round(total[3], 1)])

ws = wb.create_sheet("各社区指标")
ws.append(["社区", "火警接警(起)", "垃圾分类参与率（%）"])
for i, c in enumerate(communities):
    ws.append([c["properties"]["name"], i + 1, f"{60 + i}.5%"])

ws = wb.create_sheet("全区日报")
ws.append(["日期", "12345热线(件)"])
day = datetime.date(2026, 11, 20)
for i in range(7):
    ws.append([day + datetime.timedelta(days=i), 30 + i])
for row in ws.iter_rows(min_row=2, max_col=1):
    row[0].number_format = "yyyy/m/d"

ws = wb.create_sheet("错误示例")
ws.append(["区划代码", "常住人口", "社区名称"])
ws.append([communities[0]["properties"]["id"], "1,23", "不存在社区"])
ws = wb.create_sheet("办结率")
ws.append(["社区", "办结率", "办结率（混）"])
for i, c in enumerate(communities):
    # The third column as a hand edit leaves it: one cell typed 95 among fractions.
    ws.append([c["properties"]["name"], 0.9 + i / 100, 95 if i == 2 else 0.9 + i / 100])
for row in ws.iter_rows(min_row=2, min_col=2, max_col=3):
    for cell in row:
        cell.number_format = "0.0%"

ws = wb.create_sheet("散落单元格")
ws.append(["区划代码", "常住人口"])
ws.append([communities[0]["properties"]["id"], 10])
ws["XFD1048576"] = "stray"
wb.save(out)
