/**
 * Each department's template workbook: its sheets, headers, hints, dropdowns, formats and frozen
 * header; filled by code with valid rows it reads back with zero findings, and every invalid
 * value planted in it is found at its cell.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import type { CheckCode } from '../pipeline/kernel/findings/findings.ts';
import type { FieldDef, LedgerDef } from '../sheets/ledger-catalog.ts';
import { INSTRUCTIONS_SHEET, templateSheetName, templateWorkbook } from '../reports/templates/write-template-workbook.ts';
import { runCli } from './support/cli.ts';
import { useScenarios } from './support/scenario.ts';

const SLOW = 180_000;
const config = loadConfig();
const scenarios = useScenarios();

/** The cells exceljs keeps of a data validation, typed by the part we read. */
interface Validations {
  dataValidations: { find(address: string): ExcelJS.DataValidation | undefined };
}

function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

function ledgersOf(code: string): LedgerDef[] {
  const d = config.departments.find((x) => x.code === code);
  return (d?.owes ?? []).map((id) => config.ledgers.byId(id) as LedgerDef);
}

/** A valid value for a field in data row `i` of department `dept`. */
function validValue(ledger: LedgerDef, field: FieldDef, dept: string, i: number): ExcelJS.CellValue {
  if (ledger.id === 'summary') {
    // One claim that the ledgers bear out: 2 normative documents (see the office's rows).
    return field.id === 'indicator' ? '印发行政规范性文件' : field.id === 'value' ? 2 : '本年度统计';
  }
  switch (field.type) {
    case 'date':
      return new Date(Date.UTC(2020, 2 + i, 5 + i));
    case 'enum':
      return field.values?.[0] ?? '';
    case 'bool':
      return '否';
    case 'integer':
      return 5 + i;
    case 'number':
      return 1200.5 + i;
    case 'key':
      return `${dept}-${ledger.id}-${i + 1}`;
    case 'text':
      return `${dept}第${i + 1}条${field.header}`;
  }
}

interface Planted {
  readonly sheet: string;
  readonly cell: string;
  readonly code: CheckCode;
}

/** An invalid value for a field, and the finding it must give; undefined: the field takes any text. */
function invalidValue(field: FieldDef): { value: ExcelJS.CellValue; code: CheckCode } | undefined {
  switch (field.type) {
    case 'date':
      return { value: '下个月', code: 'cell.type' };
    case 'enum':
      return { value: '不在列表里', code: 'cell.enum' };
    case 'bool':
      return { value: '也许', code: 'cell.type' };
    case 'integer':
    case 'number':
      return { value: '很多', code: 'cell.type' };
    case 'key':
    case 'text':
      return field.required ? { value: null, code: 'cell.required' } : undefined;
  }
}

/** The department's template with rows written into each ledger sheet, as a clerk would fill it. */
async function filledTemplate(code: string, mode: 'valid' | 'invalid'): Promise<{ bytes: Buffer; planted: Planted[] }> {
  const department = config.departments.find((d) => d.code === code);
  if (department === undefined) throw new Error(code);
  const wb = await load(await templateWorkbook(config, department));
  const planted: Planted[] = [];
  for (const ledger of ledgersOf(code)) {
    const ws = wb.getWorksheet(templateSheetName(ledger));
    if (ws === undefined) throw new Error(`no sheet for ${ledger.id}`);
    const rows = ledger.id === 'summary' ? 1 : 2;
    for (let i = 0; i < rows; i++) {
      ledger.fields.forEach((field, c) => {
        ws.getRow(i + 2).getCell(c + 1).value = validValue(ledger, field, code, i);
      });
    }
    if (mode === 'invalid') {
      const r = rows + 2;
      ledger.fields.forEach((field, c) => {
        const bad = invalidValue(field);
        ws.getRow(r).getCell(c + 1).value = bad === undefined ? validValue(ledger, field, code, 9) : bad.value;
        if (bad !== undefined) planted.push({ sheet: ws.name, cell: `${columnLetter(c + 1)}${r}`, code: bad.code });
      });
    }
  }
  return { bytes: Buffer.from(await wb.xlsx.writeBuffer()), planted };
}

const roster = config.departments.map((d) => ({ code: d.code, owes: d.owes }));

describe('department templates', () => {
  it.each(config.departments.map((d) => [d.code, d]))('%s: one sheet per owed ledger with exact headers, hints, dropdowns, formats, frozen header', async (_code, department) => {
    const wb = await load(await templateWorkbook(config, department));
    const ledgers = ledgersOf(department.code);
    const visible = wb.worksheets.filter((w) => w.state === 'visible').map((w) => w.name);
    // The instructions first, then one sheet per owed ledger.
    expect(visible).toEqual(['填表说明', ...ledgers.map((l) => l.name)]);
    const instructions = wb.getWorksheet(INSTRUCTIONS_SHEET);
    expect(instructions).toBeDefined();
    const text: string[] = [];
    instructions?.eachRow((row) => text.push(String(row.getCell(1).value)));
    expect(text[0]).toContain(department.name);
    for (const l of ledgers) expect(text.join('\n')).toContain(`《${l.name}》`);

    for (const ledger of ledgers) {
      const ws = wb.getWorksheet(ledger.name) as ExcelJS.Worksheet & Validations;
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      ledger.fields.forEach((field, i) => {
        const col = i + 1;
        const header = ws.getRow(1).getCell(col);
        expect(header.value).toBe(field.header);
        const note = header.note;
        const noteText = typeof note === 'string' ? note : (note?.texts ?? []).map((t) => t.text).join('');
        expect(noteText).toContain(field.required ? '必填' : '选填');
        const dv = ws.dataValidations.find(`${columnLetter(col)}2`);
        const bottom = ws.dataValidations.find(`${columnLetter(col)}1001`);
        expect(bottom, `${ledger.id}.${field.id} covers the rows`).toEqual(dv);
        expect(dv?.prompt ?? '').not.toBe('');
        if (field.type === 'enum') expect(dv).toMatchObject({ type: 'list', formulae: [`"${(field.values ?? []).join(',')}"`] });
        if (field.type === 'bool') expect(dv).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
        if (field.type === 'date') expect(dv?.type).toBe('date');
        if (field.type === 'integer') expect(dv?.type).toBe('whole');
        if (field.type === 'number') expect(dv?.type).toBe('decimal');
        const fmt = ws.getColumn(col).numFmt;
        if (field.type === 'date') expect(fmt).toBe('yyyy-mm-dd');
        if (field.type === 'integer') expect(fmt).toBe('0');
        if (field.type === 'key' || field.type === 'text') expect(fmt).toBe('@');
      });
    }
  }, SLOW);

  it('filled with valid rows, read back with zero findings', async () => {
    const files = Object.fromEntries(
      await Promise.all(
        config.departments.map(async (d) => {
          const { bytes } = await filledTemplate(d.code, 'valid');
          return [`${d.code}/${d.name}-2020年台账模板.xlsx`, { bytes }] as const;
        }),
      ),
    );
    const run = await scenarios.run('templates-valid', { roster, files });
    expect(run.findings).toEqual([]);
    for (const d of config.departments) {
      for (const l of d.owes) expect(run.submission(d.code, l).status, `${d.code}/${l}`).toBe('已报');
    }
    expect(run.indicator('decision.normative_docs').value).toBe(2);
  }, SLOW);

  it('filled with invalid values, each one found at its cell', async () => {
    const planted: (Planted & { file: string })[] = [];
    const files: Record<string, { bytes: Buffer }> = {};
    for (const d of config.departments) {
      const file = `${d.code}/${d.name}-2020年台账模板.xlsx`;
      const filled = await filledTemplate(d.code, 'invalid');
      files[file] = { bytes: filled.bytes };
      planted.push(...filled.planted.map((p) => ({ ...p, file })));
    }
    expect(planted.length).toBeGreaterThan(30);
    const run = await scenarios.run('templates-invalid', { roster, files });
    const found = run.findings.map((f) => `${f.file}|${f.sheet}|${f.cell}|${f.code}`);
    for (const p of planted) expect(found, `${p.file} ${p.sheet}!${p.cell}`).toContain(`${p.file}|${p.sheet}|${p.cell}|${p.code}`);
  }, SLOW);

  it('`tally templates --out DIR` writes one workbook per department', async () => {
    const dir = join(import.meta.dirname, '.tmp', `templates-cli-${process.pid}`);
    try {
      const result = await runCli(['templates', '--out', dir]);
      expect(result.code, result.stderr).toBe(0);
      expect((await readdir(dir)).sort()).toEqual(config.departments.map((d) => `${d.name}-2020年台账模板.xlsx`).sort());
      expect(result.stdout).toContain('综合执法队');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, SLOW);
});

