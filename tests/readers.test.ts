import { randomBytes } from 'node:crypto';
import { mkdir, readFile as readBytes, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText, readCsv } from '../sheets/csv-reader.ts';
import { DEFAULT_LIMITS, UnreadableFileError, type RawSheet, type ReadLimits } from '../sheets/raw-sheet.ts';
import { readFile } from '../sheets/read-file.ts';
import { sniffFormat } from '../sheets/sniff-format.ts';
import { zip } from './bad-input/containers.ts';

const dir = join(import.meta.dirname, '.tmp', `readers-${randomBytes(4).toString('hex')}`);
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

async function readAll(path: string, limits?: ReadLimits): Promise<RawSheet[]> {
  const sheets: RawSheet[] = [];
  for await (const sheet of readFile(path, limits)) sheets.push(sheet);
  return sheets;
}

/** Reads the file expecting it to be unreadable; returns the Chinese message. */
async function unreadableMessage(path: string, limits?: ReadLimits): Promise<string> {
  const error: unknown = await readAll(path, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnreadableFileError);
  const message = (error as UnreadableFileError).message;
  expect(message).toMatch(/[\u4e00-\u9fff]/);
  return message;
}

function cellValue(sheet: RawSheet | undefined, rowNumber: number, column: number): unknown {
  return sheet?.rows.find((r) => r.rowNumber === rowNumber)?.cells[column]?.value;
}

function cellAt(sheet: RawSheet | undefined, rowNumber: number, column: number) {
  return sheet?.rows.find((r) => r.rowNumber === rowNumber)?.cells[column];
}

/** A zip with stored (uncompressed) entries, in the given order: for hand-made workbooks. */
function storedZip(
  entries: readonly (readonly [string, string])[],
  declaredSize?: (name: string, size: number) => number,
): Buffer {
  return zip(
    entries.map(([name, text]) => ({
      name,
      data: text,
      method: 'store' as const,
      ...(declaredSize === undefined ? {} : { declaredSize: declaredSize(name, Buffer.byteLength(text)) }),
    })),
  );
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL_WS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';

/**
 * A workbook as Chinese Excel writes what exceljs's writer cannot: built-in date format 31,
 * boolean and error formulas, inline strings, tab order unlike the part numbers, an absolute
 * relationship target; the worksheet parts come before workbook.xml in the zip.
 */
function handMadeWorkbook(): Buffer {
  const workbook = `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS}><workbookPr/><sheets>
<sheet name="二月" sheetId="2" r:id="rId2"/><sheet name="一月 &amp; 备用" sheetId="1" state="veryHidden" r:id="rId1"/>
</sheets></workbook>`;
  const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="${REL_WS}" Target="/xl/worksheets/sheet1.xml"/>
<Relationship Target="worksheets/sheet2.xml" Type="${REL_WS}" Id="rId2"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`;
  const styles = `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${NS}>
<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>`;
  const shared = `<?xml version="1.0" encoding="UTF-8"?><sst ${NS} count="1" uniqueCount="1"><si><t>一月数据</t></si></sst>`;
  const sheet2 = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>日期</t></is></c></row>
<row r="2"><c r="A2" s="1"><v>43895</v></c><c r="B2" t="b"><f>TRUE()</f><v>1</v></c><c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2" t="e"><v>#N/A</v></c><c r="E2" s="2"><f>A2+1</f><v>43896</v></c><c r="F2" t="str"><f>"是"</f><v>是</v></c></row>
<row r="3" spans="1:1" hidden="1"><c r="A3"><v>5</v></c></row>
<row r="5"><c r="A5" t="inlineStr"><is><t>合计</t></is></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A5:C5"/></mergeCells></worksheet>`;
  const sheet1 = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`;
  return storedZip([
    ['[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
    ['xl/worksheets/sheet1.xml', sheet1],
    ['xl/worksheets/sheet2.xml', sheet2],
    ['xl/workbook.xml', workbook],
    ['xl/_rels/workbook.xml.rels', rels],
    ['xl/styles.xml', styles],
    ['xl/sharedStrings.xml', shared],
  ]);
}

async function exceljsWorkbook(): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  const first = wb.addWorksheet('执法公示台账');
  first.mergeCells('A1:E1');
  first.getCell('A1').value = '安定镇执法公示台账（2020年）';
  first.getRow(2).values = ['公示日期', '公示类别', '罚款金额(元)', '比率', '说明'];
  first.getCell('A3').value = new Date(Date.UTC(2020, 2, 5));
  first.getCell('A3').numFmt = 'yyyy-mm-dd';
  first.getCell('B3').value = '事前公示';
  first.getCell('C3').value = 1200.5;
  first.getCell('D3').value = { formula: 'C3/0', result: { error: '#DIV/0!' } };
  first.getCell('E3').value = {
    richText: [{ text: '已' }, { font: { bold: true }, text: '公示' }],
  };
  first.getCell('A4').value = new Date(Date.UTC(2020, 11, 31));
  first.getCell('A4').numFmt = 'yyyy"年"m"月"d"日"';
  first.getCell('C4').value = { formula: 'SUM(C3:C3)', result: 1200.5 };
  first.getCell('D4').value = true;
  first.getCell('E4').value = { text: '链接文字', hyperlink: 'https://example.org' };
  first.getRow(4).hidden = true;
  wb.addWorksheet('隐藏的表', { state: 'hidden' }).getCell('A1').value = '不显示';
  wb.addWorksheet('第三张').getCell('B2').value = 42;
  return wb;
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  await mkdir(dir, { recursive: true });
  const wb = await exceljsWorkbook();
  await wb.xlsx.writeFile(join(dir, 'workbook.xlsx'));
  const valid = await readBytes(join(dir, 'workbook.xlsx'));
  await writeFile(join(dir, 'truncated.xlsx'), valid.subarray(0, Math.floor(valid.length / 2)));
  await writeFile(join(dir, 'renamed.et'), valid);

  // Many rows, so the worksheet part reaches the reader in several chunks.
  const big = new ExcelJS.Workbook();
  const ws = big.addWorksheet('大表');
  for (let r = 1; r <= 3000; r += 1) {
    ws.getCell(r, 1).value = `第${r}行 ${'很长的文字'.repeat(5)}`;
    ws.getCell(r, 2).value = r % 11 === 0 ? { formula: `${r}/0`, result: { error: '#DIV/0!' } } : r;
    if (r % 7 === 0) ws.getRow(r).hidden = true;
  }
  for (let r = 1; r <= 3000; r += 100) ws.mergeCells(r, 3, r, 4);
  await big.xlsx.writeFile(join(dir, 'big.xlsx'));

  await writeFile(join(dir, 'handmade.xlsx'), handMadeWorkbook());
  const damaged = Buffer.from(await readBytes(join(dir, 'big.xlsx')));
  damaged.fill(0xff, Math.floor(damaged.length * 0.4), Math.floor(damaged.length * 0.4) + 300);
  await writeFile(join(dir, 'damaged.xlsx'), damaged);
  await writeFile(join(dir, 'empty.xlsx'), Buffer.alloc(0));
  const ole = Buffer.alloc(1024);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
  await writeFile(join(dir, 'legacy.xls'), ole);
  const encrypted = Buffer.from(ole);
  Buffer.from('EncryptedPackage', 'utf16le').copy(encrypted, 512);
  await writeFile(join(dir, 'encrypted.xlsx'), encrypted);
  await writeFile(join(dir, 'text.xlsx'), '公示日期,公示类别\n2020-03-05,事前公示\n');
  const sheetXml = `<worksheet ${NS}><sheetData>${'<row r="1"><c r="A1"><v>1</v></c></row>'.repeat(50)}</sheetData></worksheet>`;
  await writeFile(
    join(dir, 'liar.xlsx'),
    storedZip(
      [
        ['xl/workbook.xml', `<workbook ${NS}><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>`],
        ['xl/_rels/workbook.xml.rels', `<Relationships><Relationship Id="rId1" Type="${REL_WS}" Target="worksheets/sheet1.xml"/></Relationships>`],
        ['xl/worksheets/sheet1.xml', sheetXml],
      ],
      (name, size) => (name.endsWith('sheet1.xml') ? 100 : size),
    ),
  );
  await writeFile(join(dir, 'report.docx.xlsx'), storedZip([['word/document.xml', '<w:document/>']]));
  await writeFile(join(dir, 'evil.xlsx'), storedZip([['../../etc/passwd', 'x'], ['xl/workbook.xml', '<workbook/>']]));
  // A central directory intact but the worksheet's XML broken in the middle.
  await writeFile(
    join(dir, 'badxml.xlsx'),
    storedZip([
      ['xl/workbook.xml', `<workbook ${NS}><sheets><sheet name="坏表" sheetId="1" r:id="rId1"/></sheets></workbook>`],
      ['xl/_rels/workbook.xml.rels', `<Relationships><Relationship Id="rId1" Type="${REL_WS}" Target="worksheets/sheet1.xml"/></Relationships>`],
      ['xl/worksheets/sheet1.xml', `<worksheet ${NS}><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r=A2></sheetData>`],
    ]),
  );

  await writeFile(join(dir, 'utf8.csv'), '公示日期,公示类别,人次\n2020-03-05,事前公示,15次\n');
  await writeFile(join(dir, 'bom.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('日期,人次\n2020/3/5,1\n')]));
  // 日期,人次 / 2020.3.5,三十五 in GBK, written byte by byte.
  const gbk = Buffer.from([
    0xc8, 0xd5, 0xc6, 0xda, 0x2c, 0xc8, 0xcb, 0xb4, 0xce, 0x0d, 0x0a,
    ...Buffer.from('2020.3.5,'), 0xc8, 0xfd, 0xca, 0xae, 0xce, 0xe5, 0x0d, 0x0a,
  ]);
  await writeFile(join(dir, '法律服务.csv'), gbk);
  await writeFile(join(dir, 'tabs.txt'), '日期\t活动名称\t参与人数\n2020-05-01\t宪法宣传, 进村入户\t30\n');
  await writeFile(
    join(dir, 'quoted.csv'),
    '案号,案由,结果\n"（2020）行初1号","不服处罚,\n要求撤销",驳回\n(2020)行初2号,行政强制\n\n,,\n(2020)行初3号,征收,维持,多余\n',
  );
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await rm(dir, { recursive: true, force: true });
});

describe('sniffFormat', () => {
  it('judges a zip a workbook whatever its extension, and a .csv or .txt of text a CSV', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]);
    expect(sniffFormat(zip, '台账.xlsm')).toBe('xlsx');
    expect(sniffFormat(zip, '台账.et')).toBe('xlsx');
    expect(sniffFormat(zip, '台账.csv')).toBe('xlsx');
    expect(sniffFormat(new TextEncoder().encode('a,b'), '台账.CSV')).toBe('csv');
    expect(sniffFormat(new TextEncoder().encode('a\tb'), '台账.txt')).toBe('csv');
  });

  it('hands an OLE file to the .xls reader, and tells the clerk what to do with an empty file and anything else', () => {
    expect(sniffFormat(new Uint8Array(0), 'a.xlsx')).toEqual({ unreadable: expect.stringContaining('0 字节') });
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(sniffFormat(ole, 'a.xls')).toBe('xls');
    expect(sniffFormat(ole, 'a.et')).toBe('xls');
    expect(sniffFormat(new TextEncoder().encode('这是一份工作总结，不是表格。'), 'a.xls')).toEqual({
      unreadable: expect.stringContaining('另存为'),
    });
    // An HTML table named .xls is read as Excel opens it (tests/markup-workbooks.test.ts).
    expect(sniffFormat(new TextEncoder().encode('<html>'), 'a.xls')).toBe('html');
  });
});

describe('reading an xlsx workbook', () => {
  it('yields every sheet with its real name in workbook order', async () => {
    const sheets = await readAll(join(dir, 'workbook.xlsx'));
    expect(sheets.map((s) => s.name)).toEqual(['执法公示台账', '隐藏的表', '第三张']);
  });

  it('flags a hidden sheet and a hidden row', async () => {
    const [first, hidden, third] = await readAll(join(dir, 'workbook.xlsx'));
    expect([first?.hidden, hidden?.hidden, third?.hidden]).toEqual([false, true, false]);
    expect(first?.rows.filter((r) => r.hidden).map((r) => r.rowNumber)).toEqual([4]);
  });

  it('reports a merged title row in merges, its value in the top-left cell', async () => {
    const [first] = await readAll(join(dir, 'workbook.xlsx'));
    expect(first?.merges).toEqual(['A1:E1']);
    expect(cellValue(first, 1, 0)).toBe('安定镇执法公示台账（2020年）');
  });

  it('gives a date cell back as a Date on the right UTC day', async () => {
    const [first] = await readAll(join(dir, 'workbook.xlsx'));
    const a3 = cellValue(first, 3, 0);
    expect(a3).toBeInstanceOf(Date);
    expect((a3 as Date).toISOString()).toBe('2020-03-05T00:00:00.000Z');
    expect((cellValue(first, 4, 0) as Date).toISOString().slice(0, 10)).toBe('2020-12-31');
  });

  it('gives numbers, booleans, rich text joined and a hyperlink as its text', async () => {
    const [first, , third] = await readAll(join(dir, 'workbook.xlsx'));
    expect(cellValue(first, 3, 2)).toBe(1200.5);
    expect(cellValue(first, 4, 3)).toBe(true);
    expect(cellValue(first, 3, 4)).toBe('已公示');
    expect(cellValue(first, 4, 4)).toBe('链接文字');
    expect(cellValue(third, 2, 1)).toBe(42);
    expect(third?.rows[0]?.cells[0]).toBeUndefined();
  });

  it('gives a formula its cached result and marks it a formula', async () => {
    const [first] = await readAll(join(dir, 'workbook.xlsx'));
    expect(cellAt(first, 4, 2)).toEqual({ value: 1200.5, formula: true });
  });

  it('gives a formula whose result is #DIV/0! as an error with no value', async () => {
    const [first] = await readAll(join(dir, 'workbook.xlsx'));
    expect(cellAt(first, 3, 3)).toEqual({ value: null, error: '#DIV/0!', formula: true });
  });

  it('reads a WPS .et file that is a zip as a workbook', async () => {
    const sheets = await readAll(join(dir, 'renamed.et'));
    expect(sheets).toHaveLength(3);
  });

  it('reads hidden rows, merges and formula errors across the chunks of a large sheet', async () => {
    const [sheet] = await readAll(join(dir, 'big.xlsx'));
    expect(sheet?.rows).toHaveLength(3000);
    expect(sheet?.rows.filter((r) => r.hidden).map((r) => r.rowNumber)).toEqual(
      Array.from({ length: 428 }, (_, i) => (i + 1) * 7),
    );
    expect(sheet?.merges).toHaveLength(30);
    expect(sheet?.merges[1]).toBe('C101:D101');
    const errors = sheet?.rows.filter((r) => r.cells[1]?.error === '#DIV/0!').map((r) => r.rowNumber);
    expect(errors).toEqual(Array.from({ length: 272 }, (_, i) => (i + 1) * 11));
    expect(cellValue(sheet, 2999, 1)).toBe(2999);
    // Chinese text split between two inflated chunks stays whole.
    const texts = sheet?.rows.map((r) => r.cells[0]?.value);
    expect(texts).toEqual(Array.from({ length: 3000 }, (_, i) => `第${i + 1}行 ${'很长的文字'.repeat(5)}`));
  });

  it('reads a small workbook the same way every time', async () => {
    const readings = new Set<string>();
    for (let i = 0; i < 20; i += 1) readings.add(JSON.stringify(await readAll(join(dir, 'handmade.xlsx'))));
    expect(readings.size).toBe(1);
  });

  it('lets the caller stop after the first sheet', async () => {
    for await (const sheet of readFile(join(dir, 'workbook.xlsx'))) {
      expect(sheet.name).toBe('执法公示台账');
      break;
    }
  });

  it('stops a sheet at maxRowsPerSheet rows', async () => {
    const [sheet] = await readAll(join(dir, 'big.xlsx'), { ...DEFAULT_LIMITS, maxRowsPerSheet: 100 });
    expect(sheet?.rows).toHaveLength(100);
    expect(sheet?.rows.at(-1)?.rowNumber).toBe(100);
  });

  it('reads a workbook whose sheets precede workbook.xml, in tab order, with Chinese date formats', async () => {
    const [feb, jan] = await readAll(join(dir, 'handmade.xlsx'));
    expect(feb?.name).toBe('二月');
    expect(jan?.name).toBe('一月 & 备用');
    expect(jan?.hidden).toBe(true);
    expect(cellValue(jan, 1, 0)).toBe('一月数据');
    expect(cellValue(feb, 1, 0)).toBe('日期');
    expect((cellValue(feb, 2, 0) as Date).toISOString()).toBe('2020-03-05T00:00:00.000Z');
    expect(cellAt(feb, 2, 1)).toEqual({ value: true, formula: true });
    expect(cellAt(feb, 2, 2)).toEqual({ value: null, error: '#DIV/0!', formula: true });
    expect(cellAt(feb, 2, 3)).toEqual({ value: null, error: '#N/A' });
    expect((cellAt(feb, 2, 4)?.value as Date).toISOString()).toBe('2020-03-06T00:00:00.000Z');
    expect(cellAt(feb, 2, 5)).toEqual({ value: '是', formula: true });
    expect(feb?.rows.find((r) => r.rowNumber === 3)?.hidden).toBe(true);
    expect(feb?.merges).toEqual(['A5:C5']);
  });
});

describe('reading a CSV file', () => {
  it('reads UTF-8 with every cell a string, rows numbered from 1', async () => {
    const [sheet] = await readAll(join(dir, 'utf8.csv'));
    expect(sheet?.name).toBe('utf8');
    expect(sheet?.rows.map((r) => r.rowNumber)).toEqual([1, 2]);
    expect(sheet?.rows[1]?.cells.map((c) => c?.value)).toEqual(['2020-03-05', '事前公示', '15次']);
  });

  it('reads UTF-8 with a BOM without the BOM in the first header', async () => {
    const [sheet] = await readAll(join(dir, 'bom.csv'));
    expect(cellValue(sheet, 1, 0)).toBe('日期');
    expect(cellValue(sheet, 2, 1)).toBe('1');
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])).encoding).toBe('utf-8-bom');
  });

  it('reads GB18030 as Excel on a Chinese Windows saves it', async () => {
    const [sheet] = await readAll(join(dir, '法律服务.csv'));
    expect(sheet?.name).toBe('法律服务');
    expect(sheet?.rows.map((r) => r.cells.map((c) => c?.value))).toEqual([
      ['日期', '人次'],
      ['2020.3.5', '三十五'],
    ]);
    expect(decodeText(new Uint8Array([0xc8, 0xd5, 0xc6, 0xda]))).toEqual({ text: '日期', encoding: 'gb18030' });
  });

  it('decodes UTF-16 with either byte order mark', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('日期\t人次', 'utf16le')]);
    expect(decodeText(le)).toEqual({ text: '日期\t人次', encoding: 'utf-16le' });
    const be = Buffer.from(le.subarray(2)).swap16();
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ text: '日期\t人次', encoding: 'utf-16be' });
  });

  it('detects a tab delimiter and keeps commas inside cells', async () => {
    const [sheet] = await readAll(join(dir, 'tabs.txt'));
    expect(sheet?.rows[1]?.cells.map((c) => c?.value)).toEqual(['2020-05-01', '宪法宣传, 进村入户', '30']);
  });

  it('keeps a quoted line break inside its cell, ragged rows as they are, and numbers rows by record', async () => {
    const [sheet] = await readAll(join(dir, 'quoted.csv'));
    expect(cellValue(sheet, 2, 1)).toBe('不服处罚,\n要求撤销');
    expect(sheet?.rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, 6]);
    expect(sheet?.rows.find((r) => r.rowNumber === 3)?.cells).toHaveLength(2);
    expect(sheet?.rows.find((r) => r.rowNumber === 6)?.cells.map((c) => c?.value)).toEqual([
      '(2020)行初3号',
      '征收',
      '维持',
      '多余',
    ]);
  });

  it('reads a semicolon-separated CSV given as bytes', () => {
    const sheet = readCsv(new TextEncoder().encode('a;b;c\n1;2;3\n'), 's');
    expect(sheet.rows[1]?.cells.map((c) => c?.value)).toEqual(['1', '2', '3']);
  });
});

describe('files that cannot be read', () => {
  it('rejects a zero-byte file', async () => {
    expect(await unreadableMessage(join(dir, 'empty.xlsx'))).toContain('0 字节');
  });

  it('rejects an OLE file with nothing in it as damaged, and an encrypted workbook as encrypted', async () => {
    expect(await unreadableMessage(join(dir, 'legacy.xls'))).toContain('文件已损坏或不完整');
    expect(await unreadableMessage(join(dir, 'encrypted.xlsx'))).toContain('加密');
  });

  it('rejects text renamed .xlsx', async () => {
    expect(await unreadableMessage(join(dir, 'text.xlsx'))).toContain('不是 Excel 工作簿');
  });

  it('rejects a truncated xlsx as damaged', async () => {
    expect(await unreadableMessage(join(dir, 'truncated.xlsx'))).toContain('损坏');
  });

  it('rejects a zip that holds no workbook', async () => {
    expect(await unreadableMessage(join(dir, 'report.docx.xlsx'))).toContain('没有 Excel 工作簿');
  });

  it('rejects a zip with an entry name that climbs out of the archive', async () => {
    expect(await unreadableMessage(join(dir, 'evil.xlsx'))).toContain('非法路径');
  });

  it('rejects a workbook whose sheet XML is broken, with the parser error as cause', async () => {
    const error = await readAll(join(dir, 'badxml.xlsx')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as Error).message).toContain('损坏');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('rejects a workbook whose compressed data is damaged', async () => {
    expect(await unreadableMessage(join(dir, 'damaged.xlsx'))).toMatch(/损坏|过大/);
  });

  it('rejects a zip whose entry inflates to more than its central directory declares', async () => {
    expect(await unreadableMessage(join(dir, 'liar.xlsx'))).toContain('解压后过大');
  });

  it('rejects a zip whose central directory inflates past maxInflatedBytes', async () => {
    const message = await unreadableMessage(join(dir, 'workbook.xlsx'), { ...DEFAULT_LIMITS, maxInflatedBytes: 2000 });
    expect(message).toContain('解压后过大');
  });

  it('rejects a file over maxFileBytes, naming the size and the limit', async () => {
    const limits = { ...DEFAULT_LIMITS, maxFileBytes: 2 * 1024 * 1024 };
    await writeFile(join(dir, 'large.csv'), Buffer.alloc(3 * 1024 * 1024 + 1, 0x41));
    expect(await unreadableMessage(join(dir, 'large.csv'), limits)).toMatch(/文件过大（3\.0 MB），超过 2 MB 上限/);
  });

  it('left no unhandled rejection behind', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
});
