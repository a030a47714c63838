/** Deterministic benchmark data: ledgers as clerks fill them, from a seeded generator. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogPaths } from './demo-config.ts';
import { buildXlsx, type BenchCell } from './xlsx-fast-writer.ts';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CAUSES = ['未按规定分类投放生活垃圾', '擅自占用城市道路', '无照经营', '露天焚烧垃圾', '运输车辆泄漏遗撒', '施工工地未采取扬尘防治措施'];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗';
const day = (r: () => number, year = 2020) => new Date(Date.UTC(year, Math.floor(r() * 12), 1 + Math.floor(r() * 28)));

export const PENALTY_HEADER = ['序号', '案件编号', '立案日期', '当事人', '案由', '法制审核日期', '是否重大执法决定', '集体讨论日期', '决定日期', '罚款金额(元)'];

/** The 10-column penalty ledger, `n` rows. */
export function* penaltyRows(n: number, seed = 7): Generator<BenchCell[]> {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const filed = day(r);
    const reviewed = new Date(filed.getTime() + 86_400_000 * (3 + Math.floor(r() * 10)));
    const major = r() < 0.05;
    yield [
      i + 1,
      `京兴综罚〔2020〕第${String(i + 1).padStart(6, '0')}号`,
      filed,
      `${SURNAMES[Math.floor(r() * SURNAMES.length)]}某某`,
      CAUSES[Math.floor(r() * CAUSES.length)] ?? '',
      reviewed,
      major ? '是' : '否',
      major ? reviewed : null,
      new Date(reviewed.getTime() + 86_400_000 * 3),
      Math.floor(r() * 500) * 100,
    ];
  }
}

export function writePenaltyWorkbook(path: string, rows: number): void {
  writeFileSync(path, buildXlsx('Sheet1', '行政处罚案件台账', PENALTY_HEADER, penaltyRows(rows)));
}

const DISTRICT_KINDS = [
  { dept: 'enforcement', name: '综合执法队', ledger: 'disclosure', header: ['序号', '公示日期', '公示类别', '公示内容', '公示载体'] },
  { dept: 'justice', name: '司法所', ledger: 'mediation', header: ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'] },
  { dept: 'counsel', name: '法律顾问', ledger: 'legality_review', header: ['序号', '送审日期', '审查类别', '事项名称', '标的额(万元)', '审查日期'] },
  { dept: 'office', name: '综合保障办', ledger: 'publicity', header: ['日期', '活动名称', '宣传主题', '形式', '参与人数'] },
] as const;

/** The district's roster: `towns` × 4 departments, each owing one ledger. */
function districtDepartments(towns: number): { code: string; name: string; email: string; owes: string[] }[] {
  const departments = [];
  for (let t = 1; t <= towns; t++) {
    for (const k of DISTRICT_KINDS) {
      const code = `t${String(t).padStart(2, '0')}-${k.dept}`;
      departments.push({ code, name: `第${t}镇${k.name}`, email: `${code}@district.example.gov.cn`, owes: [k.ledger] });
    }
  }
  return departments;
}

/**
 * Writes `<dir>/district.json`, the district's configuration: its roster, and the report and
 * ledger catalogs wherever the bundled configuration (config/demo.json) says they are. Cheap:
 * written before every run, so generated data outlives the catalogs moving.
 */
export function writeDistrictConfig(dir: string, towns: number): string {
  const configFile = join(dir, 'district.json');
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        district: '某区',
        town: '全区',
        year: 2020,
        ...catalogPaths(),
        coordinator: { name: '区司法局', email: 'sfj@district.example.gov.cn' },
        mail: { from: 'tally <tally@district.example.gov.cn>' },
        departments: districtDepartments(towns),
      },
      null,
      2,
    ),
  );
  return configFile;
}

/** District scale: `towns` × 4 departments, `files` workbooks, about `rows` rows in all. */
export function writeDistrict(dir: string, opts: { towns: number; files: number; rows: number }): { configFile: string; inbox: string } {
  const inbox = join(dir, 'inbox');
  const departments = districtDepartments(opts.towns);
  for (const d of departments) mkdirSync(join(inbox, d.code), { recursive: true });
  const kinds = DISTRICT_KINDS;
  const r = rng(20201231);
  const perFile = Math.round(opts.rows / opts.files);
  for (let f = 0; f < opts.files; f++) {
    const d = departments[f % departments.length];
    const k = kinds[f % kinds.length];
    if (d === undefined || k === undefined) continue;
    const rows = function* (): Generator<BenchCell[]> {
      for (let i = 0; i < perFile; i++) {
        const when = day(r);
        const tag = `${f}-${i}`;
        if (k.ledger === 'disclosure') yield [i + 1, when, ['事前公示', '事中公示', '事后公示'][i % 3] ?? '', `执法公示事项${tag}`, '镇政府网站'];
        else if (k.ledger === 'mediation') yield [i + 1, when, `当事人${tag}`, '邻里纠纷', i % 5 === 0 ? '调解不成功' : '调解成功', new Date(when.getTime() + 86_400_000 * 5)];
        else if (k.ledger === 'legality_review') yield [i + 1, when, i % 10 === 0 ? '法律意见' : '合同', `合同审查${tag}`, Math.floor(r() * 1000), new Date(when.getTime() + 86_400_000 * 2)];
        else yield [when, `普法宣传活动${tag}`, '民法典', '集中宣传', 30 + Math.floor(r() * 200)];
      }
    };
    writeFileSync(join(inbox, d.code, `台账-${String(f).padStart(5, '0')}.xlsx`), buildXlsx('Sheet1', `${d.name}台账`, k.header, rows()));
  }
  return { configFile: writeDistrictConfig(dir, opts.towns), inbox };
}
