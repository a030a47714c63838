/**
 * A report pack: one folder, anywhere on disk, that the configuration points to (`"pack"`).
 * It holds everything one report is made of, and tally holds none of it:
 *
 * ```
 * pack.json            title, sections, indicators, derived figures, bounds, checks, wording
 * ledgers.json         the ledgers: headers, aliases, types, enums, keys, period dates
 * template.txt         the narrative, with {{code}} placeholders
 * indicators/<code>.sql   one trace query per indicator
 * checks/<code>.sql       the pack's own checks (tally's own are in sql/checks/)
 * ```
 *
 * {@link readPack} reads and checks it without the database, collecting every problem (in
 * Chinese, with file and key); `check-pack.ts` adds what needs DuckDB (each SQL prepared
 * against the pack's ledger views) and the roster.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import * as z from 'zod';
import { createLedgerCatalog, deepFreeze, duplicateLedgerIds, ledgerCatalogSchema, type LedgerCatalog } from '../../../sheets/ledger-catalog.ts';
import { packSchema, reportKind, type DerivedDef, type IndicatorDef, type PackCheckDef, type PackJson, type ReportCatalog } from '../../../reports/report-catalog.ts';
import { figureUses, parseTemplate, type FigureUse } from '../../../reports/parse-template.ts';
import { CHECK_CODES, LEVEL_OF, type CheckCode } from '../findings/findings.ts';
import { loadChecks } from '../sql-catalog.ts';
import { derivedOrder } from './derived-order.ts';
import { PackError, zodProblems, type PackProblem } from './pack-problem.ts';

export interface Pack {
  /** The pack folder, absolute. */
  readonly dir: string;
  readonly ledgers: LedgerCatalog;
  readonly report: ReportCatalog;
}

export const PACK_FILE = 'pack.json';

/** Reads a pack, or throws {@link PackError} listing every error found without the database. */
export function loadPack(dir: string): Pack {
  const { pack, problems } = readPack(dir);
  if (pack === null || problems.some((p) => p.level === '错误')) throw new PackError(shown(dir), problems);
  return pack;
}

/** Reads a pack and every problem a reading can find; `pack` is null when it cannot be built. */
export function readPack(dirGiven: string): { pack: Pack | null; problems: PackProblem[] } {
  const dir = resolve(dirGiven);
  const problems: PackProblem[] = [];
  const problem = (file: string, key: string, message: string, level: PackProblem['level'] = '错误') =>
    problems.push({ level, file: shown(file), key, message });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problem(dir, '', '报告包目录不存在');
    return { pack: null, problems };
  }
  const packFile = join(dir, PACK_FILE);
  const zh = { error: z.locales.zhCN().localeError };

  const packJson = readJson(packFile, problem);
  let def: PackJson | null = null;
  if (packJson !== undefined) {
    const parsed = packSchema.safeParse(packJson, zh);
    if (parsed.success) def = parsed.data;
    else problems.push(...zodProblems(shown(packFile), parsed.error)); // bounded: a pack's schema errors
  }

  const ledgerFile = join(dir, def?.ledgers ?? 'ledgers.json');
  const ledgerJson = readJson(ledgerFile, problem);
  let ledgers: LedgerCatalog | null = null;
  if (ledgerJson !== undefined) {
    const parsed = ledgerCatalogSchema.safeParse(ledgerJson, zh);
    if (!parsed.success) problems.push(...zodProblems(shown(ledgerFile), parsed.error)); // bounded: a pack's schema errors
    else {
      const dups = duplicateLedgerIds(parsed.data.ledgers);
      for (const d of dups) problem(ledgerFile, `ledgers.${d.index}.id`, `台账编码“${d.id}”重复`);
      if (dups.length === 0) ledgers = createLedgerCatalog(parsed.data.ledgers);
    }
  }
  if (def === null || ledgers === null) return { pack: null, problems };

  const report = reportOf(dir, packFile, def, ledgers, problems);
  if (report === null) return { pack: null, problems };
  return { pack: deepFreeze({ dir, ledgers, report }), problems };
}

type Problem = (file: string, key: string, message: string, level?: PackProblem['level']) => unknown;

function reportOf(dir: string, packFile: string, def: PackJson, ledgers: LedgerCatalog, problems: PackProblem[]): ReportCatalog | null {
  const before = problems.length;
  const problem: Problem = (file, key, message, level = '错误') => problems.push({ level, file: shown(file), key, message });
  const known = new Set(ledgers.ledgers.map((l) => l.id));
  const sections = new Set(def.sections.map((s) => s.id));
  const figures = new Map<string, string>();
  const indicators: IndicatorDef[] = [];
  for (const [i, ind] of def.indicators.entries()) {
    const at = `indicators.${i}`;
    if (figures.has(ind.code)) problem(packFile, `${at}.code`, `指标编码“${ind.code}”重复`);
    figures.set(ind.code, ind.name);
    for (const [j, l] of ind.ledgers.entries()) {
      if (!known.has(l)) problem(packFile, `${at}.ledgers.${j}`, `台账“${l}”没有在 ${def.ledgers} 中定义`);
    }
    for (const [j, s] of ind.sections.entries()) {
      if (!sections.has(s)) problem(packFile, `${at}.sections.${j}`, `板块“${s}”不在 sections 中`);
    }
    if (ind.written === 'over' && ind.over === undefined) problem(packFile, `${at}.over`, 'written 为 over（超过某档）时需要写 over，例如 95');
    const sqlFile = join(dir, ind.sql ?? `indicators/${ind.code}.sql`);
    const sql = readText(sqlFile);
    if (sql === null) problem(packFile, ind.sql === undefined ? at : `${at}.sql`, `找不到追溯 SQL 文件 ${shown(sqlFile)}`);
    indicators.push({ ...ind, sql: sql ?? '', sqlFile });
  }

  const derived: DerivedDef[] = [];
  for (const [i, d] of def.derived.entries()) {
    const at = `derived.${i}`;
    if (figures.has(d.code)) problem(packFile, `${at}.code`, `指标编码“${d.code}”重复（与指标或其他派生指标相同）`);
    figures.set(d.code, d.name);
    const form = d.sum === undefined ? { kind: 'ratio' as const, numerator: d.numerator ?? '', denominator: d.denominator ?? '' } : { kind: 'sum' as const, of: d.sum };
    const written = d.written ?? (form.kind === 'ratio' ? 'percent' : 'exact');
    if (written === 'over' && d.over === undefined) problem(packFile, `${at}.over`, 'written 为 over（超过某档）时需要写 over，例如 95');
    for (const [j, s] of (d.sections ?? []).entries()) {
      if (!sections.has(s)) problem(packFile, `${at}.sections.${j}`, `板块“${s}”不在 sections 中`);
    }
    derived.push({ code: d.code, name: d.name, sections: d.sections ?? null, unit: d.unit ?? '%', written, over: d.over, decimals: d.decimals, form });
  }
  for (const [i, d] of def.derived.entries()) {
    const parts: [string, string | undefined][] = [['numerator', d.numerator], ['denominator', d.denominator], ...(d.sum ?? []).map((c, j): [string, string] => [`sum.${j}`, c])];
    for (const [key, code] of parts) {
      if (code !== undefined && !figures.has(code)) problem(packFile, `derived.${i}.${key}`, `指标“${code}”没有定义`);
    }
  }
  const order = derivedOrder(derived);
  if (order.cycle !== null) problem(packFile, 'derived', `派生指标循环引用：${order.cycle.join(' → ')}`);

  for (const [i, code] of def.tableOnly.entries()) {
    if (!figures.has(code)) problem(packFile, `tableOnly.${i}`, `指标“${code}”没有定义`);
  }
  for (const [i, b] of def.bounds.entries()) {
    if (!figures.has(b.figure)) problem(packFile, `bounds.${i}.figure`, `指标“${b.figure}”没有定义`);
    if (!figures.has(b.atMost)) problem(packFile, `bounds.${i}.atMost`, `指标“${b.atMost}”没有定义`);
  }

  const checks = checksOf(dir, packFile, def, problem);

  const templateFile = join(dir, def.template);
  const template = readText(templateFile);
  if (template === null) problem(packFile, 'template', `找不到报告正文模板 ${shown(templateFile)}`);
  else {
    const parsed = parseTemplate(template);
    for (const p of parsed.problems) problem(templateFile, `第${p.line}行`, `${p.message.replace(/^第\d+行：?/, '')}。这一处无法填写，tally run 会拒绝运行，请改正`);
    const uses = figureUses(parsed.nodes);
    const used = [...new Set(uses.map((u) => u.code))];
    for (const code of used) {
      if (figures.has(code)) continue;
      const lines = [...new Set(uses.filter((u) => u.code === code).map((u) => u.line))];
      problem(templateFile, `{{${code}}}`, `第${lines.join('、')}行的占位符 {{${code}}} 没有对应的指标或派生指标（pack.json 中没有这个编码）`);
    }
    problems.push(...unguardedRatios(templateFile, uses, derived, figures)); // bounded: a template's placeholders
    problems.push(...unguardedChanges(templateFile, uses, figures)); // bounded: as above
    const listed = new Set(def.tableOnly);
    const key = (code: string) => {
      const i = def.indicators.findIndex((x) => x.code === code);
      return i >= 0 ? `indicators.${i}` : `derived.${def.derived.findIndex((x) => x.code === code)}`;
    };
    for (const [code, name] of figures) {
      // A code on a line that cannot be read is reported with that line, not again here.
      if (!used.includes(code) && !listed.has(code) && !parsed.problems.some((p) => p.codes.includes(code))) {
        problem(packFile, key(code), `指标“${code}”（${name}）既没有出现在报告正文模板 ${def.template} 中，也没有列入 tableOnly`);
      }
    }
  }
  // Warnings (a share without a zero text) do not keep a pack from running.
  if (problems.slice(before).some((p) => p.level === '错误') || template === null) return null;
  return {
    title: def.title,
    kind: def.kind ?? reportKind(def.title),
    template,
    templateFile,
    sections: def.sections,
    indicators,
    derived,
    tableOnly: def.tableOnly,
    bounds: def.bounds,
    checks,
  };
}

/**
 * A share written as a plain `{{rate}}` where its denominator may be 0: the text would say
 * 【分母为0：…】. Fine inside the non-zero text of a conditional on the denominator (or on the
 * share itself), else a warning with the way to write it.
 */
function unguardedRatios(templateFile: string, uses: readonly FigureUse[], derived: readonly DerivedDef[], figures: ReadonlyMap<string, string>): PackProblem[] {
  const out: PackProblem[] = [];
  for (const use of uses) {
    const d = derived.find((x) => x.code === use.code);
    // A change of the share ({{rate:同比}}) is warned of as a change (below).
    if (d === undefined || d.form.kind !== 'ratio' || use.conditional || use.change !== null) continue;
    const { numerator, denominator } = d.form;
    if (use.inOtherOf.includes(denominator)) continue;
    const base = figures.get(denominator) ?? denominator;
    out.push({
      level: '警告',
      file: shown(templateFile),
      key: `第${use.line}行`,
      message:
        `{{${d.code}}}（${d.name} = ${figures.get(numerator) ?? numerator} ÷ ${base}）没有写“分母为0”时的文字：${base}为 0 时正文会印出“【分母为0：${d.name}】”。` +
        `请写成 {{${d.code}?${base}为0时的文字:${d.name}{}}}，或放进 {{${denominator}?…:…}} 的非零文字中`,
    });
  }
  return out;
}

/**
 * A change against last year written as a plain `{{code:同比}}`: where last year's value is
 * unknown (no previous report, a figure new this year, 缺报 last year) the text would say
 * 【无上年数据：…】. A warning with the conditional that says something else then.
 */
function unguardedChanges(templateFile: string, uses: readonly FigureUse[], figures: ReadonlyMap<string, string>): PackProblem[] {
  const out: PackProblem[] = [];
  for (const use of uses) {
    if (use.change === null || use.conditional) continue;
    const name = figures.get(use.code) ?? use.code;
    const placeholder = `{{${use.code}:${use.change}}}`;
    out.push({
      level: '警告',
      file: shown(templateFile),
      key: `第${use.line}行`,
      message:
        `${placeholder}（${name}${use.change === '上年' ? '的上年数值' : '与上年相比'}）没有写“无上年数据”时的文字：没有上年报告、上年缺报或今年新设的指标，正文会印出“【无上年数据：${name}】”` +
        `${use.change === '同比' ? `，上年为0时印出“【上年为0：${name}】”` : ''}。请写成 {{${use.code}:${use.change}?无上年数据时的文字:${use.change === '上年' ? '上年{}' : `${use.change}{}`}}}（无上年数据时的文字可以为空）`,
    });
  }
  return out;
}

function checksOf(dir: string, packFile: string, def: PackJson, problem: Problem): PackCheckDef[] {
  const contract = new Set<string>(CHECK_CODES);
  const builtIn = new Set(loadChecks().map((c) => c.code));
  const seen = new Set<string>();
  const out: PackCheckDef[] = [];
  for (const [i, c] of def.checks.entries()) {
    const at = `checks.${i}`;
    if (seen.has(c.code)) problem(packFile, `${at}.code`, `检查规则编码“${c.code}”重复`);
    seen.add(c.code);
    if (builtIn.has(c.code)) problem(packFile, `${at}.code`, `“${c.code}”是 tally 自带的检查规则（sql/checks/），报告包不能再定义一次`);
    let level = c.level;
    if (contract.has(c.code)) {
      const own = LEVEL_OF[c.code as CheckCode];
      if (level !== undefined && level !== own) problem(packFile, `${at}.level`, `“${c.code}”是合同规定的规则编码，级别固定为“${own}”`);
      level = own;
    } else {
      if (level === undefined) problem(packFile, `${at}.level`, `报告包自己的检查规则“${c.code}”需要写 level（错误 或 警告）`);
      if (c.message === undefined) problem(packFile, `${at}.message`, `报告包自己的检查规则“${c.code}”需要写 message（中文说明：错在哪里、怎么改）`);
    }
    const file = join(dir, c.sql ?? `checks/${c.code}.sql`);
    const sql = readText(file);
    if (sql === null) problem(packFile, c.sql === undefined ? at : `${at}.sql`, `找不到检查规则 SQL 文件 ${shown(file)}`);
    out.push({
      code: c.code,
      level: level ?? '错误',
      message: c.message ?? null,
      phase: c.phase ?? (c.code.startsWith('indicator.') ? 'indicators' : 'rows'),
      sql: sql ?? '',
      file,
    });
  }
  return out;
}

function readJson(file: string, problem: Problem): unknown {
  const text = readText(file);
  if (text === null) {
    problem(file, '', '文件不存在或无法读取');
    return undefined;
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    problem(file, '', `不是有效的 JSON：${(cause as Error).message}`);
    return undefined;
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** A path as people read it: relative to the working directory when below it. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
