/**
 * Cell-by-cell comparison of tally's reading with an independent one (openpyxl, or the truth a
 * hand-built variant carries), and the differences tally makes on purpose.
 */
import type { ModelBook, ModelCell } from './spec.ts';

/** Who the other side of a comparison is. */
export type Reference = 'openpyxl' | 'truth';

export interface Difference {
  readonly where: string;
  readonly tally: unknown;
  readonly reference: unknown;
}

/**
 * Where tally reads a file differently from openpyxl on purpose, with the reason. A difference
 * is allowed only when one of these explains it; everything else fails the test. The truth of
 * a hand-built variant (what Excel shows) admits none of them.
 */
export const DELIBERATE_DIFFERENCES: readonly {
  readonly id: string;
  readonly reference: Reference;
  readonly difference: string;
  readonly reason: string;
  /** Whether the difference at one cell is this one. */
  readonly explains: (tally: ModelCell | undefined, reference: ModelCell | undefined, context: FileContext) => boolean;
  /** Whether the reference's reading of a whole file is to be set aside for this one. */
  readonly explainsFile?: (context: FileContext, reference: ModelBook) => boolean;
}[] = [
  {
    id: 'xml-escapes-decoded',
    reference: 'openpyxl',
    difference: 'Text holding `_xHHHH_` escapes (`_x000D_`, `_x0041_`) reads as the character they stand for; openpyxl 3.0 leaves them as written (it only drops `x005F_`).',
    reason:
      'ECMA-376 (ST_Xstring) defines `_xHHHH_` as the escape for a character XML cannot hold, and Excel, LibreOffice and SheetJS show the character: a clerk sees a line break, not `_x000D_`. `_x005F_xHHHH_` is a literal `_xHHHH_` and reads so.',
    explains: (t, r) => t?.[0] === 's' && r?.[0] === 's' && /_x[0-9A-F]{4}_/.test(r[1]) && decodeEscapes(r[1]) === t[1],
  },
  {
    id: 'time-of-day-serial',
    reference: 'openpyxl',
    difference:
      'A time of day (a serial below 1) reads as its serial number when its format is a time only (`h:mm`), and as that time on day 0 of the date system (1899-12-31, or 1904-01-01) when its format is a date; openpyxl gives a time of day.',
    reason:
      'A ledger column is a date, a number or text; a bare time of day has no RawValue of its own, and the serial keeps it exact for a column that wants hours. Excel itself shows day 0 as 1900-01-00.',
    explains: (t, r) => {
      if (r?.[0] !== 't') return false;
      const [h = 0, m = 0, s = 0] = r[1].split(':').map(Number);
      const seconds = h * 3600 + m * 60 + s;
      if (t?.[0] === 'n') return t[1] >= 0 && t[1] < 1 && Math.round(t[1] * 86_400) === seconds;
      return t?.[0] === 'd' && /^(1899-12-31|1904-01-01)T/.test(t[1]) && t[1].slice(11, 19) === r[1].slice(0, 8);
    },
  },
  {
    id: 'formula-results-never-calculated',
    reference: 'openpyxl',
    difference:
      'A formula of a workbook that asks for a full recalculation on opening (`<calcPr fullCalcOnLoad="1"/>`, what XlsxWriter writes) reads as having no result; openpyxl gives the result stored with it.',
    reason:
      'The flag says nothing calculated the stored results: XlsxWriter stores 0, or whatever its caller passed, for each. Read as values they became 0, 否 and 1899 dates in the figures; unknown, each is a cell.formula_error asking to open and save the file in Excel or WPS.',
    explains: (t, r, context) => context.writer === 'xlsxwriter' && t === undefined && r !== undefined,
  },
  {
    id: 'strict-ooxml',
    reference: 'openpyxl',
    difference: 'A workbook in Strict Open XML (namespaces under `http://purl.oclc.org/ooxml/`) is read; openpyxl 3.0 finds no worksheets in it.',
    reason: 'Excel saves "Strict Open XML Spreadsheet" on request and opens it like any other; only the namespace names differ. Such files are checked against the truth instead.',
    explains: () => false,
    explainsFile: (context, reference) => context.strict === true && 'sheets' in reference && reference.sheets.length === 0,
  },
];

/** `_xHHHH_` → its character (what Excel shows). */
function decodeEscapes(s: string): string {
  return s.replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export interface Comparison {
  /** Differences no deliberate choice explains. */
  readonly unexplained: Difference[];
  /** How many cells each deliberate difference explained. */
  readonly explained: Map<string, number>;
}

/** What is known of a file besides its readings. */
export interface FileContext {
  readonly strict?: boolean | undefined;
  /** The program that wrote it (the corpus's writers). */
  readonly writer?: string | undefined;
}

export function compareBooks(tally: ModelBook, other: ModelBook, reference: Reference, context: FileContext = {}): Comparison {
  const unexplained: Difference[] = [];
  const explained = new Map<string, number>();
  const rules = DELIBERATE_DIFFERENCES.filter((d) => d.reference === reference);
  const file = rules.find((d) => d.explainsFile?.(context, other) === true);
  if (file !== undefined) {
    explained.set(file.id, 1);
    return { unexplained, explained };
  }
  if ('unreadable' in tally || 'unreadable' in other) {
    if (!('unreadable' in tally && 'unreadable' in other)) {
      unexplained.push({ where: 'file', tally: 'unreadable' in tally ? tally.unreadable : 'read', reference: 'unreadable' in other ? other.unreadable : 'read' });
    }
    return { unexplained, explained };
  }
  const names = (b: typeof tally): string[] => b.sheets.map((s) => `${s.name}${s.hidden ? ' (hidden)' : ''}`);
  if (JSON.stringify(names(tally)) !== JSON.stringify(names(other))) {
    unexplained.push({ where: 'sheets', tally: names(tally), reference: names(other) });
    return { unexplained, explained };
  }
  tally.sheets.forEach((sheet, i) => {
    const ref = other.sheets[i];
    if (ref === undefined) return;
    if (JSON.stringify(sheet.merges) !== JSON.stringify(ref.merges)) {
      unexplained.push({ where: `${sheet.name}!merges`, tally: sheet.merges, reference: ref.merges });
    }
    for (const at of new Set([...Object.keys(sheet.cells), ...Object.keys(ref.cells)])) {
      const t = sheet.cells[at];
      const r = ref.cells[at];
      if (sameCell(t, r)) continue;
      const rule = rules.find((d) => d.explains(t, r, context));
      if (rule !== undefined) explained.set(rule.id, (explained.get(rule.id) ?? 0) + 1);
      else unexplained.push({ where: `${sheet.name}!${at}`, tally: t, reference: r });
    }
  });
  return { unexplained, explained };
}

function sameCell(a: ModelCell | undefined, b: ModelCell | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a[0] !== b[0]) return false;
  // A number written as text by one writer and parsed back: equal when the doubles are.
  return a[1] === b[1] || (a[0] === 'n' && Object.is(Number(a[1]), Number(b[1])));
}
