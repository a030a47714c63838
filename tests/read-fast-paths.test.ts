/**
 * The reader's character-by-character tests against the regular expressions they stand in for
 * (every UTF-16 code unit, alone and inside a text, short and long), the row attributes the
 * scanner reads in place against the general reading of the same rows, and the table of
 * date results against formatting each date.
 */
import { describe, expect, it } from 'vitest';
import { isColumnNumberLabel, isUnitText, opensNote, opensTotal } from '../sheets/classify-row.ts';
import { DEFAULT_LIMITS, TruncationCounter, type RawRow } from '../sheets/raw-sheet.ts';
import { hasFullWidth, hasWhitespace } from '../sheets/values/fold-text.ts';
import { parseDate } from '../sheets/values/parse-date.ts';
import { MAX_CARRY, SharedStringsParser } from '../sheets/xlsx/shared-strings.ts';
import { MAX_UNFINISHED_ROW, SheetScanner } from '../sheets/xlsx/sheet-scanner.ts';
import { Utf8Decoder, type TextPiece } from '../sheets/xlsx/utf8.ts';
import { attribute } from '../sheets/xlsx/xml.ts';

describe('hasWhitespace, hasFullWidth: a character at a time', () => {
  it('answer as /\\s/ and /[\\uff01-\\uff5e\\u3000]/ do, on every code unit, in short texts and long', () => {
    const long = 'x'.repeat(70);
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `a${ch}b`, `${long}${ch}`]) {
        if (hasWhitespace(s) !== /\s/.test(s)) expect.fail(`hasWhitespace U+${c.toString(16)} in ${s.length}`);
        if (hasFullWidth(s) !== /[\uff01-\uff5e\u3000]/.test(s)) expect.fail(`hasFullWidth U+${c.toString(16)} in ${s.length}`);
      }
    }
    expect(hasWhitespace('')).toBe(false);
    expect(hasFullWidth('')).toBe(false);
  });
});

describe('classifyRow: first characters that decide before the regular expressions', () => {
  // The expressions as classify-row.ts writes them.
  const TOTAL = /^(合计|总计|小计|共计|累计|总数|合\s*计|总\s*计)/;
  const NOTE = /^(注|说明|填表说明|备注|附注|填报人|填表人|审核人|制表人|统计人|负责人|单位负责人|部门负责人|分管领导|主管领导|联系人|联系电话|填报日期|制表日期|填报单位)(\s|[:：、.．0-9一二三四五六七八九（(]|$)/;
  const UNITS = /^(单位|计量单位)?[:：]?\s*[（(]?[件次人个份项元万%人次份]*[)）]?$/;
  const COLUMN_NUMBER_LABEL = /^(栏次|栏号|[甲乙丙丁戊己庚辛壬癸])$/;
  const ENDS = ['', '计', '数', ' 计', '：', '说明：', '人：张三', '负责人', '位', '位：件', '件', '）', '次', '2', 'a'];
  const STARTS = ['', '合', '总', '小', '共', '累', '注', '说明', '填表', '单位', '计量单位', '栏', '甲', '(', '（', ':', ' ', '%', '1', 'A'];

  it('answer as the expressions do, for every first code unit and for the words they open with', () => {
    const texts: string[] = [];
    for (let c = 0; c <= 0xffff; c++) for (const end of ['', '计', '件', '1']) texts.push(String.fromCharCode(c) + end);
    for (const start of STARTS) for (const end of ENDS) texts.push(start + end);
    for (const s of texts) {
      if (opensTotal(s) !== TOTAL.test(s)) expect.fail(`opensTotal ${JSON.stringify(s)}`);
      if (opensNote(s) !== NOTE.test(s)) expect.fail(`opensNote ${JSON.stringify(s)}`);
      if (isUnitText(s) !== UNITS.test(s)) expect.fail(`isUnitText ${JSON.stringify(s)}`);
      if (isColumnNumberLabel(s) !== COLUMN_NUMBER_LABEL.test(s)) expect.fail(`isColumnNumberLabel ${JSON.stringify(s)}`);
    }
    expect(texts.length).toBeGreaterThan(262_144);
  });
});

describe('SheetScanner: row attributes read in place', () => {
  const scan = (xml: string): RawRow[] => {
    const limits = { maxRowsPerSheet: DEFAULT_LIMITS.maxRowsPerSheet, maxColumns: DEFAULT_LIMITS.maxColumns };
    const scanner = new SheetScanner({
      sharedStrings: ['a'],
      dateStyles: [false],
      date1904: false,
      maxRows: limits.maxRowsPerSheet,
      maxColumns: limits.maxColumns,
      dropped: new TruncationCounter(limits),
    });
    return [...scanner.push(`<worksheet><sheetData>${xml}</sheetData></worksheet>`), ...scanner.end()];
  };
  const cell = '<c r="A{r}" t="s"><v>0</v></c>';
  /** Attributes as writers write them (read in place), and forms only attribute() reads. */
  const FORMS: readonly string[] = [
    '', ' r="{r}"', ' r="{r}" spans="1:3"', ' spans="1:3" r="{r}"', ' r="{r}" hidden="1"', ' r="{r}" hidden="true"',
    ' r="{r}" hidden="0"', ' r="{r}" hidden="false"', ' r="{r}" hidden="TRUE"', ' r="{r}"  hidden="1" ', ' r="{r}" r="99"',
    ' r="" ', ' r="0"', ' r="-3"', ' r="2.5"', ' r="1e1"', ' r="0x10"', ' r="00012"', ' r="1234567890123"', ' r="x"',
    ' hidden="1" hidden="0" r="{r}"', ' x:hidden="1" r="{r}"', ' xr="5" r="{r}"', ' r="{r}" customHeight="1" ht="20"',
    " r='{r}'", ' r = "{r}"', '\nr="{r}"', ' r="{r}"\thidden="1"', ' r="{r}" data=\'a"b\'', ' r="{r}" o="it\'s"',
  ];
  it('gives each row the number and the hidden flag attribute() reads from its attributes', () => {
    for (const form of FORMS) {
      for (const r of [1, 7]) {
        const attrs = form.replaceAll('{r}', String(r));
        const rows = scan(`<row r="3">${cell.replace('{r}', '3')}</row><row${attrs}>${cell.replace('{r}', String(r))}</row><row${attrs} />`);
        const n = Number(attribute(attrs, 'r'));
        const hiddenAttr = attribute(attrs, 'hidden');
        const rowNumber = Number.isInteger(n) && n > 0 ? n : 4;
        const hidden = hiddenAttr === '1' || hiddenAttr === 'true';
        expect(rows[1], JSON.stringify(attrs)).toMatchObject({ rowNumber, hidden });
        // The empty row after it is kept only when hidden; its number follows the same rule.
        const next = Number.isInteger(n) && n > 0 ? n : rowNumber + 1;
        expect(rows.length, JSON.stringify(attrs)).toBe(hidden ? 3 : 2);
        if (hidden) expect(rows[2], JSON.stringify(attrs)).toMatchObject({ rowNumber: next, hidden: true, cells: [] });
      }
    }
  });
});

describe('SheetScanner: what is carried from piece to piece', () => {
  const scanner = () => {
    const limits = { maxRowsPerSheet: DEFAULT_LIMITS.maxRowsPerSheet, maxColumns: DEFAULT_LIMITS.maxColumns };
    return new SheetScanner({ sharedStrings: [], dateStyles: [false], date1904: false, maxRows: limits.maxRowsPerSheet, maxColumns: limits.maxColumns, dropped: new TruncationCounter(limits) });
  };
  /** Every row a new scanner gives for these pieces, as they come. */
  const scan = (pieces: Iterable<TextPiece>): RawRow[] => {
    const s = scanner();
    const rows: RawRow[] = [];
    for (const piece of pieces) for (const row of s.push(piece)) rows.push(row);
    for (const row of s.end()) rows.push(row);
    return rows;
  };
  /** `bytes` in pieces of `size` bytes, through the reader's UTF-8 decoder. */
  function* decoded(bytes: Buffer, size: number): Generator<TextPiece> {
    const decoder = new Utf8Decoder();
    for (let at = 0; at < bytes.length; at += size) yield decoder.next(bytes.subarray(at, at + size));
    yield decoder.end();
  }
  it('fails on a row never closed once it outgrows any row Excel writes, as bytes and as text', () => {
    // A row opened, then text without end in 1 MB pieces: each piece was joined to all before it.
    const piece = 'x'.repeat(1 << 20);
    for (const asBytes of [true, false]) {
      const s = scanner();
      const feed = (text: string) => s.push(asBytes ? Buffer.from(text, 'utf8') : text);
      expect(feed('<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>')).toHaveLength(1);
      const pieces = Math.ceil(MAX_UNFINISHED_ROW / piece.length) + 1;
      expect(() => {
        for (let i = 0; i < pieces; i++) feed(piece);
      }).toThrow(/^malformed worksheet XML: \d+ characters without a row's end after row 1$/);
    }
  });
  it('gives the rows one piece gives, however the XML is split, rows that close in their tag and markers cut across pieces included', () => {
    const long = '长文本'.repeat(700);
    const xml = `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>${long}</t></is></c><c r="B1"><v>2</v></c></row>`
      + `<row r="2" hidden="1"/><row r="3"><c r="A3" t="inlineStr"><is><t>短</t></is></c><c r="B3" s="1"/></row>`
      + `<x:row r="4"><x:c r="A4" t="inlineStr"><x:is><x:t>${long}</x:t></x:is></x:c></x:row>`
      + `<row r="5"><c r="A5"><v>5</v></c></row></sheetData><mergeCells count="0"/></worksheet>`;
    const whole = scan([xml]);
    expect(whole.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5]);
    const bytes = Buffer.from(xml, 'utf8');
    for (const size of [3, 7, 64, 1000]) {
      expect(scan(decoded(bytes, size)), `${size}-byte pieces`).toEqual(whole);
      const asText = Array.from({ length: Math.ceil(xml.length / size) }, (_, i) => xml.slice(i * size, (i + 1) * size));
      expect(scan(asText), `${size}-character pieces`).toEqual(whole);
    }
  });
  it('reads a row far wider than any ledger, split into small pieces, whole', () => {
    // 200 cells of 32,767 characters each (Excel's most in a cell), inline: 6.5 million
    // characters, 19.7 MB. Joined to the row's rest at every piece it took 7.2 s.
    const text = '宽'.repeat(32_767);
    const cells = Array.from({ length: 200 }, (_, i) => `<c r="${columnName(i)}1" t="inlineStr"><is><t>${text}</t></is></c>`).join('');
    const xml = Buffer.from(`<worksheet><sheetData><row r="1">${cells}</row></sheetData></worksheet>`, 'utf8');
    const rows = scan(decoded(xml, 1 << 18));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cells.filter((c) => c !== undefined && c.value === text)).toHaveLength(Math.min(200, DEFAULT_LIMITS.maxColumns));
  });
});

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

describe('parseDate: one result for each day of a Date', () => {
  it('gives for each day what formatting it gives, at any time of the day, however often asked', () => {
    const days: number[] = [];
    for (let d = Date.UTC(1949, 11, 25); d <= Date.UTC(2101, 0, 5); d += 86_400_000 * 37) days.push(d);
    days.push(Date.UTC(1950, 0, 1), Date.UTC(1949, 11, 31), Date.UTC(2100, 11, 31), Date.UTC(2101, 0, 1));
    for (const day of days) {
      for (const ms of [0, 1, 43_200_000, 86_399_999]) {
        const date = new Date(day + ms);
        const expected = parseDateFormatted(date);
        expect(parseDate(date, { year: 2020 }), date.toISOString()).toEqual(expected);
        expect(parseDate(new Date(date.getTime()), { year: 2020 }), date.toISOString()).toEqual(expected);
      }
    }
  });
});

/** parseDate of a Date as it was before the table: its UTC date formatted, or the year refused. */
function parseDateFormatted(d: Date): unknown {
  const year = d.getUTCFullYear();
  const text = `${String(year).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  if (year < 1950 || year > 2100) return { ok: false, reason: `“${text}”的年份${year}不在1950—2100之间` };
  return { ok: true, value: text };
}

describe('SharedStringsParser: the table read as bytes', () => {
  const table = (items: string): string =>
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9">${items}</sst>`;
  const ITEMS = [
    '<si><t>案件编号</t></si>',
    '<si><t xml:space="preserve"> 徐某某 </t></si>',
    '<si/>',
    '<si><t>京兴综罚〔2020〕第000001号</t></si>',
    '<si><r><rPr><b/></rPr><t>粗</t></r><r><t>体</t></r></si>',
    '<si><t>a &amp; b &#20013;</t></si>',
    '<si><t>line_x000D_break</t></si>',
    '<si><t>😀 emoji 𠀀</t></si>',
    '<si><t>东京</t><rPh sb="0" eb="2"><t>とうきょう</t></rPh><phoneticPr fontId="1"/></si>',
    '<si>\n  <t>spaced</t>\n</si>',
    '<si><t></t></si>',
    '<sit>not an item</sit>',
    '<si><t>a\r\nb</t></si>',
  ];
  const read = (pieces: readonly TextPiece[]): string[] => {
    const parser = new SharedStringsParser();
    for (const piece of pieces) parser.push(piece);
    return parser.strings.toArray();
  };

  it('gives the strings the text gives, however the bytes are split', () => {
    const xml = table(ITEMS.join(''));
    const expected = read([xml]);
    expect(expected.length).toBe(12);
    const bytes = Buffer.from(xml, 'utf8');
    for (let k = 0; k <= bytes.length; k++) {
      for (const m of [k, Math.min(bytes.length, k + 7), Math.min(bytes.length, k + 60)]) {
        const decoder = new Utf8Decoder();
        const pieces = [decoder.next(bytes.subarray(0, k)), decoder.next(bytes.subarray(k, m)), decoder.next(bytes.subarray(m)), decoder.end()];
        const got = read(pieces);
        if (JSON.stringify(got) !== JSON.stringify(expected)) expect(got, `split at ${k}, ${m}`).toEqual(expected);
      }
    }
  });

  it('fails on an item never closed once it outgrows any entry Excel writes, as bytes and as text', () => {
    // One `<si>` opened and never closed, in 1 MB pieces: each piece was joined to all that came before it.
    const piece = 'x'.repeat(1 << 20);
    const pieces = (asBytes: boolean): TextPiece[] => {
      const texts = [table('<si><t>ok</t></si><si><t>'), ...Array.from({ length: Math.ceil(MAX_CARRY / piece.length) + 1 }, () => piece)];
      return asBytes ? texts.map((t) => Buffer.from(t, 'utf8')) : texts;
    };
    expect(() => read(pieces(true))).toThrow(/^shared string 1: unfinished after \d+ characters$/);
    expect(() => read(pieces(false))).toThrow(/^shared string 1: unfinished after \d+ characters$/);
    // An entry of 32,767 characters, Excel's most, in pieces far smaller than it: read whole.
    const long = '长'.repeat(32_767);
    const xml = Buffer.from(table(`<si><t>${long}</t></si>`), 'utf8');
    const decoder = new Utf8Decoder();
    const split = Array.from({ length: Math.ceil(xml.length / 1000) }, (_, i) => decoder.next(xml.subarray(i * 1000, (i + 1) * 1000)));
    expect(read([...split, decoder.end()])).toEqual([long]);
  });

  it('fails on an item without text as the text does, naming the item', () => {
    const xml = table('<si><t>ok</t></si><si><b>没有文字的条目</b></si>');
    const bytes = Buffer.from(xml, 'utf8');
    const cut = bytes.indexOf('<si><b>');
    expect(() => read([xml])).toThrow('shared string 1: no text in <si><b>没有文字的条目</b>');
    expect(() => read([bytes.subarray(0, cut), bytes.subarray(cut)])).toThrow('shared string 1: no text in <si><b>没有文字的条目</b>');
  });
});
