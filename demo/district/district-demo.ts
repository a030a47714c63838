/**
 * `tally demo --district`: 大兴区's 22 towns for 2020. Twenty run tally on generated ledgers
 * (really: intake, read, checks, figures) and export Parquet into the district's inbox; two of
 * them export after the deadline, three carry mistakes (a value off the list, a case number
 * twice), one has six times its peers' disclosures, one's consultations tripled since last year.
 * 礼贤镇 does not run tally and uses a different report pack: it sends a report workbook whose
 * 指标汇总 lacks the 学法 figures and has two of its own. 长子营镇 sends nothing.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { DEMO_CONFIG, loadConfig } from '../../pipeline/kernel/config/config.ts';
import { openDatabase } from '../../pipeline/kernel/db/open-database.ts';
import { runPipeline } from '../../pipeline/run.ts';
import { exportTown } from '../../pipeline/district/export-town.ts';
import { planTownInbox, writeTownInbox, type TownPlanOptions } from './town-inbox.ts';

export const DAXING_TOWNS = [
  '兴丰街道', '林校路街道', '清源街道', '观音寺街道', '天宫院街道', '高米店街道', '荣华街道', '博兴街道', '旧宫镇', '亦庄镇', '瀛海镇',
  '黄村镇', '西红门镇', '青云店镇', '采育镇', '安定镇', '礼贤镇', '榆垡镇', '庞各庄镇', '北臧村镇', '魏善庄镇', '长子营镇',
] as const;

export const DEMO_DEADLINE = '2021-01-20';
/** The town that sends nothing, the one on another pack (a workbook), the late ones. */
export const DEMO_ROLES = {
  missing: '长子营镇',
  workbook: '礼贤镇',
  late: ['榆垡镇', '采育镇'],
  mistakes: ['黄村镇', '西红门镇', '旧宫镇'],
  spike: '亦庄镇',
  yoyJump: '魏善庄镇',
} as const;

export interface TownSpec {
  readonly name: string;
  readonly plan: TownPlanOptions;
  /** When it exported (the district's 报送时间). */
  readonly exportedAt: Date;
  /** Last year's figures as its 2019 report gave them. */
  readonly previousFactor: number;
}

function pinyinish(i: number): string {
  return `town${String(i + 1).padStart(2, '0')}`;
}

/** A town's tally configuration: the bundled demo one with its own name and coordinator. */
async function writeTownConfig(path: string, town: string, i: number): Promise<void> {
  const demo = JSON.parse(await readFile(DEMO_CONFIG, 'utf8')) as Record<string, unknown>;
  // Pack (or catalog) paths in the demo configuration are relative to its folder.
  for (const key of ['pack', 'report', 'ledgers']) {
    const v = demo[key];
    if (typeof v === 'string' && !isAbsolute(v)) demo[key] = resolve(dirname(DEMO_CONFIG), v);
  }
  delete demo['portal'];
  const code = pinyinish(i);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    JSON.stringify({ ...demo, town, coordinator: { name: `${town}司法所`, email: `fazhi@${code}.example.gov.cn` }, mail: { from: `tally <tally@${code}.example.gov.cn>` } }, null, 2),
  );
}

export function demoTownSpecs(towns: readonly string[] = DAXING_TOWNS): TownSpec[] {
  return towns.map((name, i) => {
    const late = (DEMO_ROLES.late as readonly string[]).indexOf(name);
    const day = late >= 0 ? 25 + late * 3 : 8 + (i % 11);
    return {
      name,
      plan: {
        seed: 1000 + i * 17,
        size: 0.6 + ((i * 37) % 10) / 10,
        mistakes: (DEMO_ROLES.mistakes as readonly string[]).includes(name),
        ...(name === DEMO_ROLES.spike ? { spike: { code: 'enforcement.disclosures', factor: 6 } as const } : {}),
      },
      exportedAt: new Date(Date.UTC(2021, 0, day, 2 + (i % 6), 10 * (i % 6))),
      previousFactor: name === DEMO_ROLES.yoyJump ? 1 / 3 : 0.85 + ((i * 13) % 10) / 33,
    };
  });
}

export interface DemoTownResult {
  readonly town: string;
  readonly expected: Readonly<Record<string, number>>;
  readonly kind: 'parquet' | 'xlsx' | 'missing';
}

/**
 * Runs tally for one town and exports it into the district's inbox (`<districtInbox>/<town>/`).
 */
export async function runDemoTown(spec: TownSpec, i: number, root: string, districtInbox: string): Promise<DemoTownResult> {
  const dir = join(root, 'towns', pinyinish(i));
  const configFile = join(dir, 'config.json');
  await writeTownConfig(configFile, spec.name, i);
  const plan = planTownInbox(spec.plan);
  await writeTownInbox(join(dir, 'inbox'), plan);
  const config = loadConfig(configFile);
  const values = new Map(Object.entries(plan.expected).map(([code, v]) => [code, Math.round(v * spec.previousFactor)] as const));
  const dbPath = join(dir, 'out', 'tally.duckdb');
  await runPipeline({
    config,
    inbox: join(dir, 'inbox'),
    out: join(dir, 'out'),
    dbPath,
    readers: 1,
    outputs: { report: false, mail: false },
    previous: { year: config.year - 1, source: `${spec.name}2019年度报告`, values },
    now: () => new Date(spec.exportedAt.getTime() - 3_600_000),
  });
  const tdb = await openDatabase(dbPath, config.ledgers);
  try {
    await exportTown(tdb, config, join(districtInbox, spec.name), { now: spec.exportedAt });
  } finally {
    await tdb.close();
  }
  return { town: spec.name, expected: plan.expected, kind: 'parquet' };
}

/** 礼贤镇's report workbook: another pack, so some codes are missing and two are its own. */
export async function writeOtherPackWorkbook(path: string, spec: TownSpec): Promise<Record<string, number>> {
  const plan = planTownInbox(spec.plan);
  const drop = new Set(['study.pre_meeting', 'study.staff_sessions', 'litigation.rectifications']);
  const figures: Record<string, number> = {};
  for (const [code, v] of Object.entries(plan.expected)) if (!drop.has(code)) figures[code] = v;
  figures['service.hotline_consultations'] = 412;
  figures['publicity.online_views'] = 15_300;
  const names: Record<string, [string, string]> = {
    'service.hotline_consultations': ['12345热线法律咨询', '人次'],
    'publicity.online_views': ['线上普法浏览量', '次'],
  };
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('指标汇总');
  sheet.addRow(['序号', '指标编码', '板块', '指标名称', '数值', '单位', '报告表述', '来源', '状态', '上年数值', '同比']);
  let n = 0;
  for (const [code, v] of Object.entries(figures)) {
    const [name, unit] = names[code] ?? [code, ''];
    sheet.addRow([++n, code, '', name, code === 'service.aid_cases' ? null : v, unit, null, '良种场报告包', code === 'service.aid_cases' ? '缺报' : '正常', Math.round(v * spec.previousFactor), null]);
  }
  // 出庭率 as its report states it: a rate, with no parts the district could add up.
  sheet.addRow([++n, 'litigation.appearance_rate', '', '出庭率', Math.round(((figures['litigation.leader_appearances'] ?? 0) / (figures['litigation.lawsuits'] ?? 1)) * 1000) / 10, '%', null, '派生', '正常', null, null]);
  const issues = workbook.addWorksheet('问题清单');
  issues.addRow(['序号', '级别', '规则编码', '部门', '文件', '工作表', '单元格', '说明', '期望', '实际']);
  issues.addRow([1, '错误', 'dept.missing_submission', '司法所', null, null, null, '法律援助台账未报送', null, null]);
  await mkdir(dirname(path), { recursive: true });
  await workbook.xlsx.writeFile(path);
  delete figures['service.aid_cases'];
  return figures;
}

export interface DistrictDemo {
  readonly inbox: string;
  readonly configFile: string;
  readonly towns: readonly DemoTownResult[];
}

/**
 * Lays out the district demo under `root`: `towns/<code>/` (each town's inbox, database, config),
 * `inbox/<街镇>/` (what the district received), `district.json`.
 */
export async function generateDistrictDemo(root: string, opts: { towns?: readonly string[]; progress?: (town: string) => void } = {}): Promise<DistrictDemo> {
  const names = opts.towns ?? DAXING_TOWNS;
  const specs = demoTownSpecs(names);
  const inbox = join(root, 'inbox');
  await rm(inbox, { recursive: true, force: true });
  await mkdir(inbox, { recursive: true });
  const results: DemoTownResult[] = [];
  // Two towns at a time: each run is mostly single-threaded.
  const queue = specs.map((s, i) => ({ s, i })).filter(({ s }) => s.name !== DEMO_ROLES.missing && s.name !== DEMO_ROLES.workbook);
  const worker = async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      opts.progress?.(job.s.name);
      results.push(await runDemoTown(job.s, job.i, root, inbox));
    }
  };
  await Promise.all([worker(), worker()]);
  const other = specs.find((s) => s.name === DEMO_ROLES.workbook);
  if (other !== undefined) {
    const path = join(inbox, other.name, 'report-2020.xlsx');
    const expected = await writeOtherPackWorkbook(path, other);
    const { utimes } = await import('node:fs/promises');
    await utimes(path, other.exportedAt, other.exportedAt);
    results.push({ town: other.name, expected, kind: 'xlsx' });
  }
  if (names.includes(DEMO_ROLES.missing)) results.push({ town: DEMO_ROLES.missing, expected: {}, kind: 'missing' });
  const configFile = join(root, 'district.json');
  await writeFile(
    configFile,
    JSON.stringify(
      {
        $comment: '大兴区 2020：区级汇总的演示配置（tally demo --district 生成）',
        district: '大兴区',
        year: 2020,
        deadline: DEMO_DEADLINE,
        coordinator: { name: '大兴区依法治区办', email: 'yfzq@daxing.example.gov.cn' },
        mail: { from: 'tally 区级汇总 <tally@daxing.example.gov.cn>' },
        towns: names.map((name, i) => ({ name, email: `fazhi@${pinyinish(i)}.example.gov.cn`, coordinator: `${name}司法所` })),
      },
      null,
      2,
    ),
  );
  const order = new Map(names.map((n, i) => [n, i]));
  results.sort((a, b) => (order.get(a.town) ?? 0) - (order.get(b.town) ?? 0));
  return { inbox, configFile, towns: results };
}

export const DEMO_DIR = fileURLToPath(new URL('../../', import.meta.url));
