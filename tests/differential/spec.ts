/**
 * What a differential workbook holds, independent of who writes it: sheets of cells typed as
 * a clerk's ledger has them (names, dates, amounts, 是/否, long text with line breaks, emoji,
 * rare ideographs, formulas with their cached results, errors), and the model every reader's
 * result is brought to for comparison. Content is drawn from a seeded generator, so a corpus
 * is the same on every run.
 */

/** A cell as written. Dates are ISO text (`2024-03-15` or `2024-03-15T09:30:00`), shown with a date format. */
export type CellSpec =
  | { readonly t: 's'; readonly v: string }
  | { readonly t: 'n'; readonly v: number }
  | { readonly t: 'b'; readonly v: boolean }
  | { readonly t: 'd'; readonly v: string }
  | { readonly t: 'e'; readonly v: ErrorValue }
  /** A formula and its cached result. */
  | { readonly t: 'f'; readonly f: string; readonly cached: Exclude<CellSpec, { t: 'f' }> };

export const ERROR_VALUES = ['#DIV/0!', '#N/A', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#NULL!'] as const;
export type ErrorValue = (typeof ERROR_VALUES)[number];

export interface SheetSpec {
  readonly name: string;
  readonly state: 'visible' | 'hidden' | 'veryHidden';
  /** Row-major from A1; null for an empty cell. */
  readonly rows: readonly (readonly (CellSpec | null)[])[];
  readonly merges: readonly string[];
}

export interface BookSpec {
  readonly sheets: readonly SheetSpec[];
  readonly date1904: boolean;
}

/** A value as compared: the type a reader sees and the value (dates as ISO `YYYY-MM-DDTHH:MM:SS[.sss]`). */
export type ModelCell = readonly ['s', string] | readonly ['n', number] | readonly ['b', boolean] | readonly ['d', string] | readonly ['e', string] | readonly ['t', string];

export interface ModelSheet {
  readonly name: string;
  readonly hidden: boolean;
  readonly merges: readonly string[];
  /** By A1 address; an empty cell (no value, or a formula without a cached value) is absent. */
  readonly cells: Readonly<Record<string, ModelCell>>;
}

/** What a reader made of a file: its sheets, or why it could not read it. */
export type ModelBook = { readonly sheets: readonly ModelSheet[] } | { readonly unreadable: string };

/** The model of a spec cell: what any reader should see. */
export function specModel(cell: CellSpec): ModelCell {
  switch (cell.t) {
    case 'f':
      return specModel(cell.cached);
    case 'd':
      return ['d', isoDateTime(cell.v)];
    default:
      return [cell.t, cell.v] as ModelCell;
  }
}

/** `2024-03-15` → `2024-03-15T00:00:00`; a `.000` fraction dropped. */
export function isoDateTime(iso: string): string {
  const full = iso.length === 10 ? `${iso}T00:00:00` : iso;
  return full.replace(/\.000$/, '').replace(/Z$/, '');
}

/** The model a spec should read as. */
export function bookModel(book: BookSpec): { sheets: ModelSheet[] } {
  return {
    sheets: book.sheets.map((sheet) => {
      const cells: Record<string, ModelCell> = {};
      sheet.rows.forEach((row, r) =>
        row.forEach((cell, c) => {
          if (cell !== null) cells[a1(c, r + 1)] = specModel(cell);
        }),
      );
      return { name: sheet.name, hidden: sheet.state !== 'visible', merges: [...sheet.merges].sort(), cells };
    }),
  };
}

export function a1(column: number, row: number): string {
  let n = column + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return `${s}${row}`;
}

/** Excel's serial of an ISO date or date-time (UTC wall clock), in either date system. */
export function serialOf(iso: string, date1904: boolean): number {
  const t = Date.parse(`${isoDateTime(iso)}Z`);
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return (t - epoch) / 86_400_000;
}

/** A small seeded PRNG (mulberry32): the same corpus on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '周', '吴', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '强', '磊', '洋', '艳', '𪚥', '𠀀华', '䶮', '堃', '昇', '喆'];
const DEPARTMENTS = ['司法所', '综治办', '民政办', '派出所', '市场监管所', '农业农村办', '应急管理办'];
const MATTERS = [
  '邻里纠纷，经调解双方达成协议。',
  '土地承包合同纠纷\n已于当日回访，当事人表示满意。',
  '婚姻家庭纠纷：\n1. 财产分割\n2. 子女抚养\n调解成功 ✅',
  '欠薪纠纷（涉及 12 名务工人员），已移交劳动监察大队 👍',
  '道路交通事故赔偿 🚗 调解未成功，告知诉讼途径。',
  '“法律明白人”培训，宣讲《民法典》婚姻家庭编 & 继承编',
  '  前后有空格的说明  ',
  'A<B & C>D "引号" \'单引号\'',
  '001',
  '=不是公式',
  'TRUE',
  '#N/A',
  '第一行\n\n第三行\t制表符',
  '罕见字：𠀀𠀁𪚥𫝀 与表情 😀🎉🇨🇳',
];

/** A ledger-like workbook of one to three sheets, drawn from `seed`. */
export function ledgerBook(seed: number, options: { date1904?: boolean; maxRows?: number; rows?: number } = {}): BookSpec {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const sheetCount = 1 + Math.floor(rnd() * 3);
  const sheets: SheetSpec[] = [];
  for (let s = 0; s < sheetCount; s++) {
    const rows: (CellSpec | null)[][] = [];
    const title: (CellSpec | null)[] = [{ t: 's', v: `${pick(DEPARTMENTS)}${2023 + (seed % 3)}年矛盾纠纷排查调处台账` }, null, null, null, null, null, null, null];
    rows.push(title);
    rows.push(['序号', '当事人', '受理日期', '办结时间', '涉及金额（元）', '是否办结', '情况说明', '备注'].map((v) => ({ t: 's', v }) as const));
    const count = options.rows ?? 3 + Math.floor(rnd() * (options.maxRows ?? 12));
    for (let i = 0; i < count; i++) {
      const day = Date.UTC(2023, 0, 1) + Math.floor(rnd() * 900) * 86_400_000;
      const date = new Date(day).toISOString().slice(0, 10);
      const time = new Date(day + Math.floor(rnd() * 86_400) * 1000).toISOString().slice(0, 19);
      const amount = pick([0, 1200, 3560.5, 0.1, -15, 123456789012, 1e-7, 98765.4321, 3.14159265358979]);
      const row: (CellSpec | null)[] = [
        { t: 'n', v: i + 1 },
        { t: 's', v: pick(SURNAMES) + pick(GIVEN) },
        { t: 'd', v: date },
        rnd() < 0.2 ? null : { t: 'd', v: time },
        { t: 'n', v: amount },
        rnd() < 0.15 ? { t: 'b', v: rnd() < 0.5 } : { t: 's', v: rnd() < 0.6 ? '是' : '否' },
        { t: 's', v: pick(MATTERS) },
        rnd() < 0.5 ? null : rnd() < 0.5 ? { t: 'e', v: pick(ERROR_VALUES) } : { t: 's', v: pick(MATTERS) },
      ];
      rows.push(row);
    }
    const first = 3;
    const last = rows.length;
    rows.push([
      { t: 's', v: '合计' },
      null,
      null,
      null,
      { t: 'f', f: `SUM(E${first}:E${last})`, cached: { t: 'n', v: sumOf(rows.slice(2), 4) } },
      { t: 'f', f: `COUNTIF(F${first}:F${last},"是")`, cached: { t: 'n', v: rows.slice(2).filter((r) => r[5]?.t === 's' && r[5].v === '是').length } },
      { t: 'f', f: `E${last + 1}/0`, cached: { t: 'e', v: '#DIV/0!' } },
      { t: 'f', f: `IF(A${first}>0,"有记录","无")`, cached: { t: 's', v: '有记录' } },
    ]);
    rows.push([{ t: 'f', f: `A${first}>0`, cached: { t: 'b', v: true } }, null, null, null, null, null, null, null]);
    sheets.push({
      name: s === 0 ? '调解台账' : pick(['附表', '说明', '汇总 (2)', "O'Brien表", '数据&统计']) + s,
      state: s === 0 ? 'visible' : pick(['visible', 'hidden', 'veryHidden'] as const),
      rows,
      merges: ['A1:H1', `A${last + 1}:D${last + 1}`],
    });
  }
  return { sheets, date1904: options.date1904 ?? false };
}

function sumOf(rows: readonly (readonly (CellSpec | null)[])[], column: number): number {
  let sum = 0;
  for (const r of rows) {
    const c = r[column];
    if (c?.t === 'n') sum += c.v;
  }
  return sum;
}
