/**
 * The fast paths of extraction against the general readings they shortcut: each fast path must
 * give what the general one gives, on the inputs that could tell them apart (full-width forms,
 * whitespace of every kind, zero-width characters, brackets, 合计/注 rows, repeated headers
 * with aliases, dates as Date objects and as text). The general readings are kept here as they
 * were written before the fast paths, as the reference.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BRACKETED_TOTAL,
  GROUP_NAME,
  NAMED_TOTAL,
  NUMBERING,
  OPENS_NAME,
  PERIOD_ONLY,
  PERIOD_TOTAL,
  STAMP,
  TOTAL_WORD,
  WHOLE_NAME,
  WHOLE_YEAR,
  classifyRow,
  fillsRequiredColumns,
  rowTexts,
  type RowKind,
} from '../sheets/classify-row.ts';
import { detectHeader, type DetectedHeader } from '../sheets/detect-header.ts';
import { createLedgerCatalog, loadLedgerCatalog, type FieldDef, type LedgerDef } from '../sheets/ledger-catalog.ts';
import { isKnownLabel, knownLabels, labelIndex, matchLabel, matchQualified } from '../sheets/match-label.ts';
import { groupStem } from '../sheets/qualified-label.ts';
import type { RawCell, RawRow, RawValue } from '../sheets/raw-sheet.ts';
import { RowWindow } from '../sheets/row-window.ts';
import { RowBlockBuilder, dayNumber, isoDayNumber } from '../sheets/row-block.ts';
import { SheetExtractor, extractSheet, type ExtractedRow } from '../sheets/extract-sheet.ts';
import { address } from '../sheets/raw-sheet.ts';
import { hasContent, isContentCell, isUncachedFormula, type SheetGrid } from '../sheets/sheet-grid.ts';
import { foldText, normalizeKey, normalizeLabel, parseBool, parseDate, parseEnum, parseNumber, toHalfWidth } from '../sheets/values/index.ts';
import { BOOL_WORDS } from '../sheets/values/parse-bool.ts';
import { prng } from './fuzz/fuzz.ts';

const catalog = loadLedgerCatalog(join(import.meta.dirname, '..', 'packs', 'anding-2020', 'ledgers.json'));


const TEXTS: readonly string[] = [
  '', ' ', '\u3000', '\u00a0', '\t\n', '\u200b', '\u200b\u200b', ' \u200b ', '\ufeff', '张\u200b三', 'a\u0301bc', 'A\u030a', '1\u20e3',
  'Ａ', '１２３', '２０２０－０３－０５', '2020-03-05', '2020/3/5', '2020年3月5日', '二〇二〇年三月五日', '3月5日', '20200305', '43895',
  '合计', '合 计', '合\u3000计', ' 合计：12件', '合计35件', '共计：35', '总计', '小计', '小 计', '共3件', '12', ' 3 ', '１', '３',
  '注：', '注', '注 本表', '说明一、', '填报人：张三', '填表说明', '单位：件', '单位:人', '(件)', '（人次）', '件', '%', '栏次', '甲', '乙', '丙',
  '案件编号', '案号', '*案号', '案 号', '（案号）', '案号：', '案号::', '立案日期', '当事人', '当事人()', '当事人(*)', '案由', '法制审核\n日期',
  '审核日期', '重大执法决定', '是否重大执法决定', '罚款金额（元）', '罚款金额(元)', '罚款金额【元】', '罚款金额〔元〕', '罚款金额(元', '序号',
  '公示日期', '日期', '公示类别', '姓名', 'ＡＢＣ', 'abc', 'ABC', '京兴综罚〔2020〕第000001号', '安执罚（2020）1号', ' 张三 ', '张\u3000三',
  '一季度小计', '第三季度 小计：3件', '12月合计', '１２月合计', '全年合计', '2020年1-3月合计', '十二月工作合计分析会', '（盖章）', '单位（公章）：',
  '张\n三', '李四\t', '是', '否', 'TRUE', '是（出庭）', '无', '—', '约300', '1,200人次', '三十五次', 'x'.repeat(41), '案'.repeat(40),
  '后安定村小计', '前安定村 小计', '小计（后安定村）', '合计（后安定村）', '合计（人次）', '合计（一季度）', '综合执法队合计', '司法所小计：5件', '全镇合计',
  '本镇总计', '2020年全镇合计', '本页合计', '西庄村', '小计：1件', '王小计', '12月合计分析会', '关于小计算器采购纠纷', '一、合计', '3件', '共3件',
  '小计算器采购合同', '合计分析会', '合计人数', '合计共3件', '总计划',
  '𠀀abc', '\ud800', '㈠', '①', '⑴', '㍘', '一', '〇', '0', '9', '9\u0301', '案\u0301', '案\u3099',
];

const NUMBERS: readonly number[] = [
  0, -0, 1, -1, 2, 3, 0.1, 0.30000000000000004, 1.5, -2.5, 23300, 1e15, 1e15 - 1, -(1e15 - 1), -1e15, 1e16, 123456789012345678,
  2 ** 53, 2 ** 53 + 2, 20200305, 43895, 43895.25, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity,
];

const DATES: readonly Date[] = [
  new Date(Date.UTC(2020, 2, 5)), new Date(Date.UTC(2020, 1, 29, 13, 30)), new Date(Date.UTC(1949, 11, 31, 23, 59)),
  new Date(Date.UTC(1950, 0, 1)), new Date(Date.UTC(2100, 11, 31, 23, 59)), new Date(Date.UTC(2101, 0, 1)), new Date(NaN),
  new Date(Date.UTC(-5, 0, 1)), new Date(Date.UTC(12_000, 0, 1)), new Date(-1), new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)),
];

const VALUES: readonly RawValue[] = [...TEXTS, ...NUMBERS, ...DATES, true, false, null];

describe('foldText, toHalfWidth, hasContent: a test before the work', () => {
  /** foldText as written before: the replaces and the trim on every text. */
  const generalFold = (s: string): string | null => {
    const text = s.replace(/[\u200b-\u200d\u2060\ufeff]/g, '').replace(/\s+/g, ' ').trim();
    return text === '' ? null : text;
  };
  const generalHalfWidth = (s: string): string =>
    s.replace(/[\uff01-\uff5e\u3000]/g, (ch) => (ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0)));
  const generalHasContent = (v: string): boolean => v.trim().replace(/[\u3000\u00a0]/g, '') !== '';

  it('gives what the general reading gives, on every single character and on tricky texts', () => {
    const inputs = [...TEXTS];
    for (let c = 0; c <= 0xffff; c++) inputs.push(String.fromCharCode(c), `a${String.fromCharCode(c)}b`);
    for (const s of inputs) {
      expect(foldText(s), JSON.stringify(s)).toBe(generalFold(s));
      expect(toHalfWidth(s), JSON.stringify(s)).toBe(generalHalfWidth(s));
      expect(hasContent({ value: s }), JSON.stringify(s)).toBe(generalHasContent(s));
    }
  });

  it('prints a whole number as the 15-digit format does', () => {
    const format = new Intl.NumberFormat('en-US', { useGrouping: false, maximumSignificantDigits: 15 });
    const rnd = prng(7);
    const wholes = [...NUMBERS.filter(Number.isInteger), 999_999_999_999_999, -999_999_999_999_999, 100_000_000_000_000];
    for (let i = 0; i < 2000; i++) wholes.push(Math.round((rnd() - 0.5) * 10 ** Math.floor(rnd() * 16)));
    for (const n of wholes) expect(foldText(n), String(n)).toBe(Object.is(n, -0) ? '0' : format.format(n));
  });
});

describe('parseNumber and parseDate on values already typed', () => {
  it('reads a number as rounding it to 15 digits would', () => {
    const rnd = prng(11);
    const numbers = [...NUMBERS];
    for (let i = 0; i < 2000; i++) numbers.push(Math.round((rnd() - 0.5) * 10 ** Math.floor(rnd() * 17)), (rnd() - 0.5) * 10 ** (rnd() * 20));
    for (const n of numbers.filter(Number.isFinite)) {
      expect(parseNumber(n), String(n)).toEqual({ ok: true, value: Number(n.toPrecision(15)) + 0 });
    }
  });

  it('reads a Date as its formatted text would be read', () => {
    const rnd = prng(13);
    const dates = [...DATES];
    for (let i = 0; i < 2000; i++) dates.push(new Date(Date.UTC(1940, 0, 1) + Math.floor(rnd() * 170 * 366) * 86_400_000 + Math.floor(rnd() * 86_400_000)));
    for (const d of dates) {
      const general = Number.isNaN(d.getTime()) ? { ok: false, reason: '无效的日期' } : generalDate(d);
      expect(parseDate(d, { year: 2020 }), String(d.getTime())).toEqual(general);
    }
  });

  /** The day a Date names, through the checks a date typed as text goes through. */
  function generalDate(d: Date) {
    const text = `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
    const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return { ok: false, reason: `“${text}”日期不存在` };
    if (year < 1950 || year > 2100) return { ok: false, reason: `“${text}”的年份${year}不在1950—2100之间` };
    return { ok: true, value: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
  }
});

describe('classifyRow: texts folded only when a test needs them', () => {
  it('relies on no character composing onto an ASCII digit or a CJK ideograph (NFKC keeps it first)', () => {
    // A primary composite whose decomposition starts with such a character would let NFKC
    // change it: there is none in Unicode as this Node knows it.
    const composites: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const s = String.fromCodePoint(cp);
      const d = s.normalize('NFD');
      if (d === s || s.normalize('NFC') !== s) continue;
      const c = d.charCodeAt(0);
      if ((c >= 0x30 && c <= 0x39) || (c >= 0x4e00 && c <= 0x9fff)) composites.push(s);
    }
    expect(composites).toEqual([]);
    for (const s of TEXTS) {
      const c = s.charCodeAt(0);
      if ((c >= 0x30 && c <= 0x39) || (c >= 0x4e00 && c <= 0x9fff)) expect(normalizeLabel(s).charAt(0), s).toBe(s.charAt(0));
    }
  });

  it('classifies tricky rows as the general reading does', () => {
    const sheets: RawRow[][] = [];
    const penalty = ['序号', '*案号', '立案日期', '当事人', '法制审核\n日期', '重大执法决定', '罚款金额（元）', '备注'];
    const rows = (cells: RawValue[][]): RawRow[] =>
      [penalty, ...cells].map((values, i) => ({ rowNumber: i + 1, hidden: false, cells: values.map((v) => (v === undefined ? undefined : { value: v })) }));
    sheets.push(
      rows([
        [1, '安执罚〔2020〕1号', DATES[0] ?? null, '张三', DATES[1] ?? null, '否', 500, null],
        ['合计', null, null, null, null, null, 500],
        ['合 计', null, null, null, null, null, '1,200'],
        [null, '合\u3000计：3件'],
        [3, '总计'],
        ['一', '合计'],
        ['注：本表', null],
        [' 注 ', '说明'],
        ['填报人：张三'],
        ['一季度小计', null, null, null, null, null, 500],
        [4, '12月合计'],
        [null, '全年合计', null, 500],
        [5, '十二月工作合计分析会'],
        ['（盖章）'],
        ['栏次', 1, 2, 3, 4, 5, 6, 7],
        ['甲', '乙', '１', '２', '３'],
        [1, 2, 3, 4, 5, 6, 7, 8],
        [0, 1, 2],
        [2, 3, 4],
        ['单位：件', '（人次）', '件'],
        ['%'],
        ['序号', '案号', '立案日期', '当事人', '审核日期'],
        [null, '立案编号', '立案 日期'],
        [null, '案号：', '（立案日期）'],
        [null, '案号\u0301', '立案日期'],
        [null, '案 号'],
        [null, '*案号', ' 立案日期'],
        [null, '\u3000案号', '*立案日期：'],
        ['\u200b', '\u3000'],
        [],
        [null, null, DATES[0] ?? null, true, 1.5],
        ['后安定村小计', null, null, null, null, null, 500],
        [null, '综合执法队合计', null, null, null, null, '3件'],
        ['西庄村', '小计', null, null, null, null, 500],
        [6, '司法所小计：5件'],
        ['合计（后安定村）', null, null, null, null, null, 500],
        ['合计（人次）', null, null, null, null, null, 500],
        ['全镇合计', null, null, null, null, null, 500],
        ['王小计', '安执罚〔2020〕2号', DATES[0] ?? null, '张三'],
        [null, '后安定村小计', DATES[0] ?? null],
        [null, '后安定村小计', null, '张三'],
        ['小计算器采购合同', '安执罚〔2020〕3号', DATES[0] ?? null],
        [7, '合计分析会', null, '张三'],
        ['合计人数', null, null, null, null, null, 500],
      ]),
    );
    // And random rows of tricky values, some of them merged, formulas and errors among them.
    const rnd = prng(20_200_305);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    for (let s = 0; s < 40; s++) {
      const random: RawRow[] = [{ rowNumber: 1, hidden: false, cells: penalty.map((value) => ({ value })) }];
      for (let r = 2; r < 80; r++) {
        const cells: (RawCell | undefined)[] = [];
        const width = Math.floor(rnd() * 10);
        for (let c = 0; c < width; c++) {
          const x = rnd();
          cells.push(x < 0.1 ? undefined : x < 0.13 ? { value: null, formula: true } : x < 0.16 ? { value: null, error: '#REF!' } : { value: pick(VALUES) });
        }
        random.push({ rowNumber: r, hidden: false, cells });
      }
      sheets.push(random);
    }
    let compared = 0;
    for (const [i, sheet] of sheets.entries()) {
      const merges = i % 3 === 1 ? ['A5:H5', 'B7:C7', 'A9:D9'] : [];
      const grid = new RowWindow('s', merges);
      for (const row of sheet) grid.add(row);
      grid.finish();
      const header = detectHeader(grid, catalog);
      if (header === null) throw new Error('the penalty header is not found');
      for (const r of grid.rowNumbers) {
        expect(classifyRow(grid, r, header), `sheet ${i} row ${r}`).toBe(generalClassifyRow(grid, r, header));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });
});

/** classifyRow as written before: every text of the row folded, every short text normalised. */
function generalClassifyRow(grid: SheetGrid, row: number, header: DetectedHeader): RowKind {
  const TOTAL = /^(合计|总计|小计|共计|累计|总数|合\s*计|总\s*计)/;
  const NOTE =
    /^(注|说明|填表说明|备注|附注|填报人|填表人|审核人|制表人|统计人|负责人|单位负责人|部门负责人|分管领导|主管领导|联系人|联系电话|填报日期|制表日期|填报单位)(\s|[:：、.．0-9一二三四五六七八九（(]|$)/;
  const texts = rowTexts(grid, row);
  if (texts.length === 0) return 'blank';
  const squeezed = (t: string | undefined) => (t ?? '').replace(/\s+/g, '');
  const first = squeezed(texts[0]);
  // A period's total (一季度小计) is a subtotal unless the period is the year; a 小计 is one too.
  const total = (t: string) =>
    PERIOD_TOTAL.test(t) ? (WHOLE_YEAR.test(t) ? 'total' : 'subtotal') : TOTAL.test(t) ? (t.startsWith('小计') ? 'subtotal' : 'total') : undefined;
  // The label: the first text, or the second after a 序号.
  const second = texts.length > 1 && /^\d*$/.test(first) ? squeezed(texts[1]) : undefined;
  // A named total holds nothing but counts besides its label, and leaves a required column unfilled.
  const columns: number[] = [];
  for (let c = 0; c < grid.columnCount; c++) if (isContentCell(grid.cell(row, c))) columns.push(c);
  const onlyCounts = (labels: number[], listed = false): boolean => {
    const labelColumns = labels.map((i) => columns[i]);
    let unfilled = false;
    for (const m of header.columns) {
      const cell = grid.cell(row, m.column);
      let fills = false;
      if (isContentCell(cell)) {
        if (labelColumns.includes(m.column)) fills = m.field.type === 'text' || m.field.type === 'key';
        else if (isUncachedFormula(cell) || cell.error !== undefined) fills = true;
        else if (listed && m.field.type === 'enum' && typeof cell.value === 'string' && (m.field.values ?? []).includes((foldText(cell.value) ?? '').replace(/\s+/g, ''))) fills = true;
        else {
          const v = cell.value;
          const n = typeof v === 'string' ? parseNumber(v) : undefined;
          if (!(typeof v === 'number' || (n !== undefined && n.ok && n.value !== null))) return false;
          fills = m.field.type === 'number' || m.field.type === 'integer';
        }
      }
      if (m.field.required && !fills) unfilled = true;
    }
    return unfilled;
  };
  const namedKind = (name: string, word: string): RowKind =>
    word !== '小计' && (WHOLE_NAME.test(name) || NUMBERING.test(name)) ? 'total' : 'subtotal';
  const at = total(first) === undefined && second !== undefined ? 1 : 0;
  const label = at === 0 ? first : (second ?? '');
  const kind = total(label);
  if (kind !== undefined) {
    // 合计（后安定村）: a group or a period in brackets.
    const name = BRACKETED_TOTAL.exec(label)?.[1];
    const group = name !== undefined && !WHOLE_NAME.test(name) && (GROUP_NAME.test(name) || PERIOD_ONLY.test(name));
    if (kind === 'total' && group && onlyCounts([at])) return 'subtotal';
    // 小计算器采购合同: the word opens a name, a total only in a row of counts.
    if (!OPENS_NAME.test(label) || onlyCounts([at])) return kind;
  }
  // 其中：… breaks the total down, unless the row fills the ledger's required columns.
  if (/^(其中|内含)/.test(label) && !fillsRequiredColumns(grid, row, header)) return 'subtotal';
  if (NOTE.test(first) || STAMP.test(first)) return 'note';
  // 后安定村小计, 全镇合计 (the label), or 西庄村 | 小计 (a name, then the word alone).
  const named = NAMED_TOTAL.exec(second ?? first);
  if (named !== null) {
    if (onlyCounts([second === undefined ? 0 : 1], true)) return namedKind(named[1] ?? '', named[2] ?? '');
  } else if (second === undefined && texts.length > 1) {
    const word = TOTAL_WORD.exec(squeezed(texts[1]))?.[1];
    const mayName = /^[\u4e00-\u9fff]/.test(first) && first.length >= 2 && first.length <= 20 && !NUMBERING.test(first) && !/[，,。；;：:！!？?]/.test(first);
    // A month stored as a date (2020年3月 | 小计): a subtotal whatever the word.
    const dated = grid.cell(row, columns[0] ?? 0)?.value instanceof Date;
    if (word !== undefined && (mayName || dated || PERIOD_ONLY.test(first)) && onlyCounts([0, 1], true)) return dated ? 'subtotal' : namedKind(first, word);
  }
  let anchor;
  for (let c = 0; c < grid.columnCount && anchor === undefined; c++) {
    const cell = grid.cell(row, c);
    if (cell !== undefined && hasContent(cell)) anchor = cell;
  }
  if (texts.length === 1 && anchor !== undefined && (anchor.span ?? 1) >= Math.max(2, Math.ceil(header.columns.length / 2))) return 'banner';
  if (texts.length >= Math.min(3, header.columns.length)) {
    const folded = texts.map((t) => toHalfWidth(t).replace(/\s+/g, ''));
    let i = 0;
    while (i < folded.length && /^(栏次|栏号|[甲乙丙丁戊己庚辛壬癸])$/.test(folded[i] ?? '')) i++;
    const numbers = folded.slice(i);
    const start = Number(numbers[0] ?? 0);
    if (numbers.every((t) => /^\d{1,3}$/.test(t)) && start <= 1 && numbers.every((t, k) => Number(t) === start + k)) return 'column_numbers';
  }
  if (texts.every((t) => /^(单位|计量单位)?[:：]?\s*[（(]?[件次人个份项元万%人次份]*[)）]?$/.test(t.replace(/\s+/g, '')) || /^单位[:：]/.test(t))) return 'units';
  const repeats = header.columns.filter((m) => {
    const value = grid.cell(row, m.column)?.value;
    if (typeof value !== 'string' || value.length > 40) return false;
    const label = normalizeLabel(value);
    return label !== '' && [m.field.header, ...m.field.aliases].map(normalizeLabel).includes(label);
  }).length;
  return repeats >= Math.min(2, header.columns.length) ? 'header' : 'data';
}

describe('RowBlockBuilder: a date string to its day number by arithmetic', () => {
  it('gives what Date.UTC gives, for every day of 1950–2100, days past the month end, and odd strings', () => {
    const strings = ['', 'x', '2020-3-5', '2020-03-5x', '2020-03-05T', '+20200-03-05', '2020/03/05', '２０２０-03-05', '0999-01-01', '0050-02-29', '1000-01-01', '9999-12-31', '2020-13-01', '2020-00-10', '2020-02-00', '2020-02-99', '2020-0a-01'];
    for (let y = 1900; y <= 2200; y++) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) strings.push(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
      }
    }
    for (const s of strings) expect(Object.is(isoDayNumber(s), dayNumber(s)), `${s}: ${isoDayNumber(s)} vs ${dayNumber(s)}`).toBe(true);
  });
});

describe('SheetExtractor: the cell addresses of a row made when asked for', () => {
  it('hands the sink rows whose cells are the addresses extractSheet gives', () => {
    const sheet = {
      name: 'Sheet1',
      hidden: false,
      merges: [],
      rows: [
        { rowNumber: 1, hidden: false, cells: ['案号', '立案日期', '当事人'].map((value) => ({ value })) },
        ...Array.from({ length: 30 }, (_, i) => ({
          rowNumber: i + 2,
          hidden: false,
          cells: [{ value: `安执罚〔2020〕${i}号` }, i % 5 === 0 ? undefined : { value: DATES[i % DATES.length] ?? null }, { value: '张三' }],
        })),
      ],
    };
    const whole = extractSheet(sheet, catalog, { year: 2020, department: 'justice', file: 'f.xlsx' });
    const sunk: ExtractedRow[] = [];
    const x = new SheetExtractor(sheet, catalog, { year: 2020, department: 'justice', file: 'f.xlsx' }, (row) => sunk.push(row));
    x.push(sheet.rows);
    x.end(undefined);
    expect(whole.rows.length).toBe(30);
    expect(sunk.map((r) => ({ rowNumber: r.rowNumber, values: r.values, cells: r.cells }))).toEqual(whole.rows);
    for (const row of whole.rows) {
      expect(row.cells).toEqual({ case_no: address(0, row.rowNumber), filed_on: address(1, row.rowNumber), party: address(2, row.rowNumber) });
    }
  });

  it('gives RowBlockBuilder the same values by column as by field id, in any order of fields', () => {
    const sheet = {
      name: 'Sheet1',
      hidden: false,
      merges: [],
      rows: [
        { rowNumber: 1, hidden: false, cells: ['案号', '立案日期', '罚款金额（元）', '是否重大执法决定', '当事人'].map((value) => ({ value })) },
        ...Array.from({ length: 40 }, (_, i) => ({
          rowNumber: i + 2,
          hidden: false,
          cells: [{ value: `安执罚〔2020〕${i}号` }, { value: DATES[i % DATES.length] ?? null }, { value: NUMBERS[i % NUMBERS.length] ?? null }, { value: pickBool(i) }, i % 4 === 0 ? undefined : { value: TEXTS[i] ?? null }],
        })),
      ],
    };
    const sunk: ExtractedRow[] = [];
    const x = new SheetExtractor(sheet, catalog, { year: 2020, department: 'justice', file: 'f.xlsx' }, (row) => sunk.push(row));
    x.push(sheet.rows);
    const header = x.end(undefined).header;
    if (header === null) throw new Error('the penalty header is not found');
    const fields = header.columns.map((m) => m.field);
    const columns = header.columns.map((m) => m.column);
    for (const order of [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 2]]) {
      const byColumn = new RowBlockBuilder(order.map((k) => fields[k] ?? never()), order.map((k) => columns[k] ?? 0));
      const byField = new RowBlockBuilder(order.map((k) => fields[k] ?? never()), order.map((k) => columns[k] ?? 0));
      for (const row of sunk) {
        byColumn.add(row);
        byField.add({ rowNumber: row.rowNumber, values: { ...row.values }, cells: row.cells });
      }
      expect(byColumn.build()).toEqual(byField.build());
    }
  });
});

function pickBool(i: number): RawValue {
  return [true, false, '是', '否', '√', 'Y', '待定', null][i % 8] ?? null;
}

function never(): never {
  throw new Error('unreachable');
}

describe('parseBool: the words looked up before lowering the text', () => {
  it('relies on every word being its own lower case, and on no word being both yes and no', () => {
    for (const w of BOOL_WORDS) expect(w.toLowerCase(), w).toBe(w);
    expect(new Set(BOOL_WORDS).size).toBe(BOOL_WORDS.length);
  });

  it('reads as the general reading does', () => {
    const general = (raw: RawValue) => {
      if (raw === null) return { ok: true, value: null };
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const text = foldText(raw);
      if (text === null) return { ok: true, value: null };
      const s = toHalfWidth(text).trim().toLowerCase();
      const yes = new Set(['是', '√', '✓', '✔', '☑', '有', '对', 'y', 'yes', '1', 'true']);
      const no = new Set(['否', '×', '✕', '✖', '✗', '✘', '无', '错', 'n', 'no', '0', 'false']);
      if (yes.has(s)) return { ok: true, value: true };
      if (no.has(s)) return { ok: true, value: false };
      const explained = /^([是否])[(（[【,，:：、;；\s]/.exec(s);
      if (explained) return { ok: true, value: explained[1] === '是' };
      return { ok: false, reason: `“${text}”不是“是/否”` };
    };
    const inputs: RawValue[] = [...VALUES, ...BOOL_WORDS, ...BOOL_WORDS.map((w) => w.toUpperCase()), ...BOOL_WORDS.map((w) => ` ${w}\u3000`), 'Ｙｅｓ', 'ＮＯ', 'İ', 'Yes', 'TRUE', 'False'];
    for (const raw of inputs) expect(parseBool(raw), String(raw)).toEqual(general(raw));
  });
});

describe('RowWindow: the last row looked up is remembered', () => {
  it('forgets it when the row is dropped or put again', () => {
    const grid = new RowWindow('s', []);
    const row = (rowNumber: number, value: RawValue): RawRow => ({ rowNumber, hidden: false, cells: [{ value }, undefined, { value: 'c' }] });
    grid.add(row(1, 'a'));
    expect(grid.cell(1, 0)?.value).toBe('a');
    expect(grid.cell(1, 1)).toBeUndefined();
    grid.add(row(2, 'b'));
    expect(grid.cell(2, 0)?.value).toBe('b');
    expect(grid.cell(1, 2)?.value).toBe('c');
    grid.drop(1);
    expect(grid.cell(1, 0)).toBeUndefined();
    expect(grid.cell(2, 0)?.value).toBe('b');
    grid.add(row(2, 'again'));
    expect(grid.cell(2, 0)?.value).toBe('again');
    expect(grid.cell(3, 0)).toBeUndefined();
    grid.add(row(3, 'd'));
    expect(grid.cell(3, 0)?.value).toBe('d');
  });
});

describe('detectHeader: labels read once for all ledgers, rows naming no two columns skipped', () => {
  it('finds the header the general search finds: titles, two-level headers, merges, aliases, noise', () => {
    const rnd = prng(4242);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const labelsOf = (f: FieldDef) => [f.header, ...f.aliases, `*${f.header}`, f.header.split('').join(' '), `${f.header}：`];
    let found = 0;
    for (let s = 0; s < 300; s++) {
      const ledger = pick(catalog.ledgers);
      const other = pick(catalog.ledgers);
      const width = 2 + Math.floor(rnd() * 9);
      const rows: RawRow[] = [];
      const merges: string[] = [];
      let r = 1;
      if (rnd() < 0.5) {
        rows.push({ rowNumber: r, hidden: false, cells: [{ value: ledger.name }] });
        if (rnd() < 0.5) merges.push(`A${r}:${String.fromCharCode(64 + width)}${r}`);
        r++;
      }
      if (rnd() < 0.3) rows.push({ rowNumber: r++, hidden: false, cells: [{ value: '填报单位：某某局' }] });
      const upper: (RawCell | undefined)[] = [];
      const lower: (RawCell | undefined)[] = [];
      const twoLevel = rnd() < 0.4;
      for (let c = 0; c < width; c++) {
        const f = pick(rnd() < 0.8 ? ledger.fields : other.fields);
        const x = rnd();
        if (twoLevel && x < 0.3 && f.header.length > 2) {
          upper.push({ value: f.header.slice(0, -2) });
          lower.push({ value: f.header.slice(-2) });
        } else if (twoLevel && x < 0.6) {
          upper.push({ value: pick(labelsOf(f)) });
          lower.push(undefined);
          merges.push(`${String.fromCharCode(65 + c)}${r}:${String.fromCharCode(65 + c)}${r + 1}`);
        } else if (x < 0.1) {
          upper.push(undefined);
        } else {
          upper.push({ value: pick(rnd() < 0.9 ? labelsOf(f) : TEXTS) });
          if (twoLevel) lower.push(rnd() < 0.3 ? { value: pick(labelsOf(pick(ledger.fields))) } : undefined);
        }
      }
      rows.push({ rowNumber: r++, hidden: false, cells: upper });
      if (twoLevel) rows.push({ rowNumber: r++, hidden: false, cells: lower });
      for (let k = 0; k < 10; k++) {
        rows.push({ rowNumber: r, hidden: false, cells: Array.from({ length: width }, () => (rnd() < 0.2 ? undefined : { value: pick(VALUES) })) });
        r += rnd() < 0.2 ? 2 : 1;
      }
      const grid = new RowWindow('s', merges);
      for (const row of rows) grid.add(row);
      grid.finish();
      const fast = detectHeader(grid, catalog);
      expect(fast, `sheet ${s}`).toEqual(generalDetectHeader(grid, catalog.ledgers));
      if (fast !== null) found++;
    }
    expect(found).toBeGreaterThan(150);
  });
});

/** detectHeader as written before: every ledger matched against each row's labels, folded each time. */
function generalDetectHeader(grid: SheetGrid, ledgers: readonly LedgerDef[]): DetectedHeader | null {
  const labelAt = (row: number, column: number): string => {
    const cell = grid.cell(row, column);
    if (!hasContent(cell) || cell === undefined) return '';
    return normalizeLabel(foldText(cell.value) ?? '');
  };
  const letter = (column: number): string => address(column, 1).replace(/\d+$/, '');
  const known = knownLabels(createLedgerCatalog(ledgers));
  const matchRows = (ledger: LedgerDef, rows: readonly number[]) => {
    // Labels matched as detectHeader matches them (tests/header-hints.test.ts and
    // tests/header-labels-clerks-use.test.ts test that): as the ledger writes them first, then
    // loosely where that names nothing, a loose reading kept for a field no other column names.
    const idx = labelIndex(ledger);
    const [upper = 0, lower] = rows;
    type Named = { match: DetectedHeader['columns'][number]; unitMismatch: DetectedHeader['unitMismatches'][number] | undefined; fromUpper: boolean };
    const exact: (Named | undefined)[] = [];
    const loose: (Named | undefined)[] = [];
    let carried = '';
    for (let c = 0; c < grid.columnCount; c++) {
      const top = labelAt(upper, c);
      const topOwn = grid.cell(upper, c)?.copied !== true;
      // [label, row, fromUpper, tried as written, tried loosely]
      const candidates: [string, number, boolean, boolean, boolean][] = [];
      if (lower === undefined) {
        if (topOwn) candidates.push([top, upper, false, true, true]);
      } else {
        const sub = labelAt(lower, c);
        const subOwn = grid.cell(lower, c)?.copied !== true;
        const under = subOwn && sub !== '';
        // An unmerged group label carries right over blank upper cells with labels under them,
        // unless it names a field itself.
        if (!topOwn || !under) carried = '';
        else if (top !== '') carried = isKnownLabel(known, top) ? '' : top;
        const group = topOwn && under && top === '' ? carried : top;
        if (!subOwn && topOwn && sub === top) candidates.push([top, upper, true, true, true]);
        if (under) {
          candidates.push([sub, lower, false, true, true]);
          if (group !== '') candidates.push([group + sub, lower, true, true, true]);
          const stem = groupStem(group);
          if (stem !== undefined) candidates.push([stem + sub, lower, true, false, true]);
        }
        if (topOwn) candidates.push([top, upper, true, true, !under]);
      }
      const named = (found: ReturnType<typeof matchLabel>, label: string, row: number, fromUpper: boolean): Named | undefined => {
        if (found === undefined) return undefined;
        const match = { field: found.field, column: c, address: `${letter(c)}${row}`, label };
        return { match, unitMismatch: found.unitMismatch === undefined ? undefined : { ...match, ...found.unitMismatch }, fromUpper };
      };
      exact.push(candidates.filter((x) => x[3]).map(([label, row, up]) => named(matchLabel(idx, label), label, row, up)).find((x) => x !== undefined));
      loose.push(candidates.filter((x) => x[4]).map(([label, row, up]) => named(matchQualified(idx, label), label, row, up)).find((x) => x !== undefined));
    }
    const byExact = new Set(exact.flatMap((x) => (x === undefined ? [] : [x.match.field.id])));
    const looseCount = (id: string) => loose.filter((x, c) => exact[c] === undefined && x?.match.field.id === id).length;
    const chosen = exact.map((x, c) => {
      const l = loose[c];
      return x ?? (l !== undefined && !byExact.has(l.match.field.id) && looseCount(l.match.field.id) === 1 ? l : undefined);
    });
    const columns: DetectedHeader['columns'][number][] = [];
    const duplicates: DetectedHeader['columns'][number][] = [];
    const unitMismatches: DetectedHeader['unitMismatches'][number][] = [];
    const seen = new Set<string>();
    let usesUpper = false;
    for (const x of chosen) {
      if (x === undefined) continue;
      if (x.fromUpper) usesUpper = true;
      if (x.unitMismatch !== undefined) unitMismatches.push(x.unitMismatch);
      else if (seen.has(x.match.field.id)) duplicates.push(x.match);
      else {
        seen.add(x.match.field.id);
        columns.push(x.match);
      }
    }
    const missing = ledger.fields.filter((f) => f.required && !seen.has(f.id) && !unitMismatches.some((m) => m.field.id === f.id));
    return { header: { ledger, rows, columns, duplicates, unitMismatches, missing }, usesUpper };
  };
  let best: DetectedHeader | null = null;
  let bestScore = 0;
  const rows = grid.rowNumbers.filter((r) => r > 0).slice(0, 40);
  for (const [i, r] of rows.entries()) {
    const next = rows[i + 1];
    for (const ledger of ledgers) {
      const candidates = [matchRows(ledger, [r]).header];
      if (next !== undefined && next === r + 1) {
        const two = matchRows(ledger, [r, next]);
        if (two.usesUpper) candidates.push(two.header);
      }
      for (const h of candidates) {
        // A column in another unit says which ledger the sheet is, as a column read does.
        const fields = [...new Set([...h.columns, ...h.unitMismatches].map((m) => m.field))];
        if (fields.length < 2 || fields.every((f) => !f.required)) continue;
        const score = fields.length * 2 + fields.filter((f) => f.required).length * 3;
        if (score > bestScore) {
          best = h;
          bestScore = score;
        }
      }
    }
  }
  return best;
}

describe('parseEnum: a frozen list of values folded once, its readings remembered', () => {
  it('reads as folding the values for every cell does, and a list that may change is folded each time', () => {
    const general = (raw: RawValue, values: readonly string[], aliases: Readonly<Record<string, string>>) => {
      const text = foldText(raw);
      if (text === null) return parseEnum(raw, [], {});
      const input = normalizeLabel(text);
      const exact = values.find((v) => normalizeLabel(v) === input);
      if (exact !== undefined) return { ok: true, value: exact };
      const alias = Object.entries(aliases).find(([key]) => normalizeLabel(key) === input);
      if (alias) return { ok: true, value: alias[1] };
      return parseEnum(raw, [...values], { ...aliases }); // unfrozen copies: the general path
    };
    const fields = catalog.ledgers.flatMap((l) => l.fields).filter((f) => f.type === 'enum');
    expect(fields.length).toBeGreaterThan(3);
    for (const f of fields) {
      const values = f.values ?? [];
      expect(Object.isFrozen(values) && Object.isFrozen(f.valueAliases)).toBe(true);
      const inputs: RawValue[] = [...VALUES, ...values, ...Object.keys(f.valueAliases), ...values.map((v) => ` ${v}（*）`), ...values.map((v) => `不${v}`), ...values.map((v) => v.slice(1))];
      // Twice over: the second reading of each text is the one remembered for the list.
      for (let pass = 0; pass < 2; pass++) {
        for (const raw of inputs) expect(parseEnum(raw, values, f.valueAliases), `${f.id} ${String(raw)} (${pass})`).toEqual(general(raw, values, f.valueAliases));
      }
    }
    const mutable = ['通过', '未通过'];
    expect(parseEnum('通过', mutable)).toEqual({ ok: true, value: '通过' });
    mutable[0] = '合格';
    expect(parseEnum('合格', mutable)).toEqual({ ok: true, value: '合格' });
  });
});

describe('normalizeKey and normalizeLabel: a test before the replaces', () => {
  it('fold as the replaces on every text do, on every single character and on tricky texts', () => {
    const generalKey = (s: string): string =>
      (/^[\u0020-\u007e\u3001-\u303f\u4e00-\u9fff]*$/.test(s) ? s : s.normalize('NFKC'))
        .replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, '')
        .replace(/[([{（［｛【〔〖〘〚「『⦅｟﹙﹛﹝]/g, '(')
        .replace(/[)\]}）］｝】〕〗〙〛」』⦆｠﹚﹜﹞]/g, ')')
        .replace(/[A-Z]/g, (c) => c.toLowerCase());
    const generalLabel = (s: string): string => generalKey(s).replace(/\*/g, '').replace(/\(\)/g, '').replace(/:+$/, '');
    const inputs = [...TEXTS, '(*)', '（*）', '案号(*)：', 'a::', ':', '*', '()', '( )', 'Ａ（ｂ）', '安执罚字〔2020〕第 1 号', '㈠', '︰', '﹕'];
    for (let c = 0; c <= 0xffff; c++) inputs.push(String.fromCharCode(c), `案${String.fromCharCode(c)}号`);
    for (const s of inputs) {
      expect(normalizeKey(s), JSON.stringify(s)).toBe(generalKey(s));
      expect(normalizeLabel(s), JSON.stringify(s)).toBe(generalLabel(s));
    }
  });
});
