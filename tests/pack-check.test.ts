/**
 * `tally pack check`: one test per kind of mistake, each made in a copy of the bundled 2020 pack,
 * each reported in Chinese with its file and key; and `tally run` refusing a broken pack with the
 * same line.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPack } from '../pipeline/kernel/pack/check-pack.ts';
import { problemLine, type PackProblem } from '../pipeline/kernel/pack/pack-problem.ts';
import { runCli } from './support/cli.ts';
import { writeTownConfig } from './support/town-config.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TMP = resolve(import.meta.dirname, '.tmp', `pack-check-${randomBytes(4).toString('hex')}`);
let n = 0;

afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** A copy of packs/anding-2020 with one mistake made in it. */
function brokenPack(change: (dir: string) => void): string {
  const dir = join(TMP, `pack-${++n}`);
  cpSync(join(ROOT, 'packs', 'anding-2020'), dir, { recursive: true });
  change(dir);
  return dir;
}

function editJson(file: string, edit: (json: Record<string, any>) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
}

const errors = (problems: readonly PackProblem[]) => problems.filter((p) => p.level === '错误');

async function onlyError(dir: string): Promise<PackProblem> {
  const found = errors(await checkPack(dir));
  expect(found.map(problemLine)).toHaveLength(1);
  return found[0] as PackProblem;
}

describe('tally pack check', () => {
  it('passes the bundled packs', async () => {
    expect(errors(await checkPack(join(ROOT, 'packs', 'anding-2020')))).toEqual([]);
    expect(errors(await checkPack(join(ROOT, 'packs', 'liangzhu-2023')))).toEqual([]);
  });

  it('reports a schema error in pack.json with its key, in Chinese', async () => {
    const dir = brokenPack((d) => editJson(join(d, 'pack.json'), (j) => (j['indicators'][2]['written'] = 'roughly')));
    const p = await onlyError(dir);
    expect(p.file).toMatch(/pack\.json$/);
    expect(p.key).toBe('indicators.2.written');
    expect(p.message).toMatch(/无效选项/);
  });

  it('reports a schema error in ledgers.json with its key', async () => {
    const dir = brokenPack((d) => editJson(join(d, 'ledgers.json'), (j) => (j['ledgers'][0]['fields'][1]['type'] = 'datetime')));
    const p = await onlyError(dir);
    expect(p.file).toMatch(/ledgers\.json$/);
    expect(p.key).toBe('ledgers.0.fields.1.type');
  });

  it('reports an indicator made of a ledger the pack does not define', async () => {
    const dir = brokenPack((d) => editJson(join(d, 'pack.json'), (j) => (j['indicators'][0]['ledgers'] = ['disclosures'])));
    const p = await onlyError(dir);
    expect(p.key).toBe('indicators.0.ledgers.0');
    expect(p.message).toContain('台账“disclosures”没有在 ledgers.json 中定义');
  });

  it('reports an indicator whose trace SQL file is missing', async () => {
    const dir = brokenPack((d) => rmSync(join(d, 'indicators', 'study.pre_meeting.sql')));
    const p = await onlyError(dir);
    expect(p.key).toBe('indicators.11');
    expect(p.message).toContain('找不到追溯 SQL 文件');
  });

  it('reports indicator SQL that does not plan against the pack’s ledger views', async () => {
    const dir = brokenPack((d) => {
      const file = join(d, 'indicators', 'service.aid_cases.sql');
      writeFileSync(file, readFileSync(file, 'utf8').replace('from legal_aid', 'from legal_aids'));
    });
    const p = await onlyError(dir);
    expect(p.file).toMatch(/indicators\/service\.aid_cases\.sql$/);
    expect(p.message).toMatch(/SQL 无法在报告包的台账视图上执行：.*legal_aids/);
  });

  it('tells a table not found at the file’s line, in Chinese with DuckDB’s suggestion, keeping DuckDB’s text', async () => {
    const dir = brokenPack((d) => {
      const file = join(d, 'indicators', 'service.aid_cases.sql');
      writeFileSync(file, readFileSync(file, 'utf8').replace('from legal_aid', 'from legal_aids'));
    });
    const p = await onlyError(dir);
    // Line 9 of the file (two comment lines in Chinese come first), not DuckDB's line of the wrapped query.
    expect(p.key).toBe('第9行');
    expect(p.message).toContain('找不到表“legal_aids”，是否应为 “legal_aid”');
    expect(p.message).toContain('（DuckDB：Catalog Error: Table with name legal_aids does not exist!');
    expect(problemLine(p)).toMatch(/indicators\/service\.aid_cases\.sql 第9行：SQL 无法在报告包的台账视图上执行：找不到表/);
  });

  it('tells a column not found at the file’s line, with the columns DuckDB offers instead', async () => {
    const dir = brokenPack((d) => {
      const file = join(d, 'indicators', 'service.aid_cases.sql');
      writeFileSync(file, readFileSync(file, 'utf8').replace('when received_on is null', 'when receivd_on is null'));
    });
    const p = await onlyError(dir);
    expect(p.key).toBe('第6行');
    expect(p.message).toMatch(/^SQL 无法在报告包的台账视图上执行：找不到列“receivd_on”，可用的列有：.*“received_on”/);
    expect(p.message).toContain('DuckDB：Binder Error: Referenced column "receivd_on" not found');
  });

  it('tells a syntax error near its word at the file’s line, blank lines and Chinese comments above it counted', async () => {
    const dir = brokenPack((d) => writeFileSync(join(d, 'checks', 'row.rule.sql'), '\n-- 调解成功须有结案日期（新写的检查）\nselect department, file, sheet,\n  cell 1 from mediation\n'));
    const p = await onlyError(dir);
    expect(p.file).toMatch(/checks\/row\.rule\.sql$/);
    expect(p.key).toBe('第4行');
    expect(p.message).toContain('语法错误，在“1”处或其附近');
    expect(p.message).toContain('Parser Error: syntax error at or near "1"');
  });

  it('reports indicator SQL that lacks the trace columns', async () => {
    const dir = brokenPack((d) => writeFileSync(join(d, 'indicators', 'service.aid_cases.sql'), 'select count(*) as value from legal_aid\n'));
    const p = await onlyError(dir);
    expect(p.message).toContain('追溯查询缺少列：ledger、department、file');
  });

  it('reports a template placeholder that names no figure', async () => {
    const dir = brokenPack((d) => {
      const file = join(d, 'template.txt');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n全年开展法治讲座{{study.lectures}}。\n`);
    });
    const p = await onlyError(dir);
    expect(p.file).toMatch(/template\.txt$/);
    expect(p.key).toBe('{{study.lectures}}');
  });

  it('reports a figure neither in the template nor listed in tableOnly', async () => {
    const dir = brokenPack((d) => editJson(join(d, 'pack.json'), (j) => (j['tableOnly'] = [])));
    const p = await onlyError(dir);
    expect(p.key).toBe('derived.0');
    expect(p.message).toContain('既没有出现在报告正文模板');
  });

  it('reports derived figures that form a cycle', async () => {
    const dir = brokenPack((d) =>
      editJson(join(d, 'pack.json'), (j) => {
        j['derived'].push(
          { code: 'litigation.a', name: '甲', unit: '件', sum: ['litigation.b', 'litigation.total'] },
          { code: 'litigation.b', name: '乙', unit: '件', sum: ['litigation.a', 'litigation.total'] },
        );
        j['tableOnly'].push('litigation.a', 'litigation.b');
      }),
    );
    const p = await onlyError(dir);
    expect(p.key).toBe('derived');
    expect(p.message).toBe('派生指标循环引用：litigation.a → litigation.b → litigation.a');
  });

  it('reports a derived figure made of a figure that does not exist', async () => {
    const dir = brokenPack((d) => editJson(join(d, 'pack.json'), (j) => (j['derived'][0]['denominator'] = 'litigation.suits')));
    const p = await onlyError(dir);
    expect(p.key).toBe('derived.0.denominator');
  });

  it('reports a check of the pack’s own without a level or a message', async () => {
    const dir = brokenPack((d) => {
      writeFileSync(join(d, 'checks', 'study.no_topic.sql'), "select department, file, sheet, topic__cell as cell, 'study' as ledger from study where topic is null\n");
      editJson(join(d, 'pack.json'), (j) => j['checks'].push({ code: 'study.no_topic' }));
    });
    const found = errors(await checkPack(dir));
    expect(found.map((p) => p.key)).toEqual(['checks.4.level', 'checks.4.message']);
    expect(found[0]?.message).toContain('需要写 level');
    expect(found[1]?.message).toContain('需要写 message');
  });

  it('reports a contract check code given another level, and a built-in check defined again', async () => {
    const dir = brokenPack((d) =>
      editJson(join(d, 'pack.json'), (j) => {
        j['checks'][1]['level'] = '警告';
        j['checks'].push({ code: 'row.duplicate', sql: 'checks/row.rule.sql' });
      }),
    );
    const found = errors(await checkPack(dir));
    expect(found.map((p) => p.key)).toEqual(['checks.1.level', 'checks.4.code']);
    expect(found[0]?.message).toContain('级别固定为“错误”');
    expect(found[1]?.message).toContain('tally 自带的检查规则');
  });

  it('with --config, reports a ledger the figures use that no department owes', async () => {
    const config = join(TMP, 'one-department.json');
    await writeTownConfig(config, { departments: [{ code: 'justice', name: '司法所', email: 'j@example.gov.cn', owes: ['mediation'] }] });
    const found = errors(await checkPack(join(ROOT, 'packs', 'anding-2020'), { file: config, departments: [{ code: 'justice', owes: ['mediation'] }] }));
    expect(found.some((p) => p.key === 'departments' && p.message.includes('台账“disclosure”（执法公示台账）没有任何部门报送'))).toBe(true);
    const cli = await runCli(['pack', 'check', 'packs/anding-2020', '--config', config]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('没有任何部门报送');
  });

  it('exits 1 through the CLI, and tally run refuses the pack with the same line', async () => {
    const dir = brokenPack((d) => editJson(join(d, 'pack.json'), (j) => (j['indicators'][0]['ledgers'] = ['disclosures'])));
    const check = await runCli(['pack', 'check', dir]);
    expect(check.code).toBe(1);
    const line = check.stdout.split('\n').find((l) => l.includes('disclosures')) ?? '';
    expect(line).toContain('pack.json indicators.0.ledgers.0：台账“disclosures”没有在 ledgers.json 中定义');
    const config = join(TMP, 'broken.json');
    await writeTownConfig(config, { pack: dir, departments: [{ code: 'justice', name: '司法所', email: 'j@example.gov.cn', owes: ['mediation'] }] });
    const run = await runCli(['run', '--config', config, '--inbox', join(TMP, 'inbox'), '--out', join(TMP, 'out')]);
    expect(run.code).toBe(1);
    expect(run.stderr + run.stdout).toContain(line);
  });

  it('tally run checks the pack’s SQL again once it has changed, on a database where it passed before', async () => {
    const dir = brokenPack(() => {});
    const config = join(TMP, 'edited-later.json');
    await writeTownConfig(config, { pack: dir, departments: [{ code: 'justice', name: '司法所', email: 'j@example.gov.cn', owes: ['mediation'] }] });
    mkdirSync(join(TMP, 'inbox-later'), { recursive: true });
    const args = ['run', '--config', config, '--inbox', join(TMP, 'inbox-later'), '--out', join(TMP, 'out-later')];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    const file = join(dir, 'indicators', 'service.aid_cases.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('from legal_aid', 'from legal_aids'));
    const second = await runCli(args);
    expect(second.code).toBe(1);
    expect(second.stderr + second.stdout).toMatch(/service\.aid_cases\.sql.*SQL 无法在报告包的台账视图上执行：.*legal_aids/);
  });

  it('passes through the CLI with a summary that counts only the pack’s own check codes as its own', async () => {
    const ok = await runCli(['pack', 'check', 'packs/liangzhu-2023', '--config', 'config/liangzhu-2023.json']);
    expect(ok.code, ok.stdout).toBe(0);
    // enforcer.cert_missing and enforcer.cert_expired are the pack's; row.date_order is the contract's.
    expect(ok.stdout).toContain('检查通过：13 个指标、4 个派生指标、6 本台账、2 条自有检查规则、1 条合同规则编码的检查');
  });
});
