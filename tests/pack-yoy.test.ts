/**
 * The sentences every report writes about last year (受理行政复议案件16件，同比增长33.3%；罚没款
 * 123.45万元，同比下降3.1%；纠错率提高4.2个百分点), written by a pack in its own words: the
 * 城东街道 2022 pack (tests/unseen-report/) with a paragraph more, run through the CLI with last
 * year's report workbook (`--previous`). Growth, a fall, no change, a figure new this year, one
 * left blank last year (缺报), one that was 0, rates in points; what `tally pack check` warns of,
 * the text in 报告正文 and the .docx, `tally verify` of a draft and `tally explain`.
 */
import { randomBytes } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordChange } from '../reports/change-wording.ts';
import { reportKind } from '../reports/report-catalog.ts';
import { runCli, type CliResult } from './support/cli.ts';
import { chengdongConfig, TEMPLATE, writeChengdongInbox, writeChengdongPack, writePreviousWorkbook } from './unseen-report/chengdong-2022.ts';

const root = join(tmpdir(), `tally-pack-yoy-${randomBytes(4).toString('hex')}`);
const config = join(root, 'chengdong.json');
const out = join(root, 'out');
const EXTRAS = { 'contracts.amount': { decimals: 2 }, 'penalty.fines': { decimals: 2 }, 'publicity.audience': { decimals: 1 } };

/**
 * 2021 as its report has it. 2022 (tests/unseen-report/chengdong-2022.ts EXPECTED): 复议 16 (2
 * 纠错, 12.5%), 罚没款 123.45万元, 处罚 218件, 纠纷 300 (296 成功, 98.7%), 听证 1, 法律援助 45.
 * 普法活动 is new this year (not in the workbook); 审查合同 was left blank (缺报).
 */
const PREVIOUS = {
  'cases.reconsiderations': 12,
  'cases.corrected': 1,
  'penalty.fines': 127.4,
  'penalty.cases': 195,
  'disputes.accepted': 300,
  'disputes.resolved': 290,
  'decisions.hearings': 0,
  'contracts.reviewed': null,
  'aid.cases': 36,
};

/** A paragraph comparing with last year, appended to the report's section 一(五). */
const COMPARED = [
  '受理行政复议案件{{cases.reconsiderations}}，同比{{cases.reconsiderations:同比}}，较上年{{cases.reconsiderations:较上年}}；罚没款{{penalty.fines}}，同比{{penalty.fines:同比}}，较上年{{penalty.fines:较上年}}；办理行政处罚案件较上年{{penalty.cases:较上年}}；受理矛盾纠纷与上年{{disputes.accepted:同比}}。',
  '行政复议纠错率{{cases.correction_rate}}，较上年{{cases.correction_rate:同比}}；人民调解成功率比上年{{disputes.success_rate:较上年}}；法律援助案件上年为{{aid.cases:上年}}。',
  '开展普法活动同比{{publicity.events:同比}}；举行听证会同比{{decisions.hearings:同比}}，较上年{{decisions.hearings:较上年}}；审查合同{{contracts.reviewed}}{{contracts.reviewed:同比?（上年无可比数据）:，同比{}}}；听证{{decisions.hearings:同比?上年未举行:同比{}}}。',
].join('\n\n');

const template = TEMPLATE.replace('二、存在的不足和原因', `${COMPARED}\n\n二、存在的不足和原因`);

/** The office's draft: what it says of last year, right and wrong. */
const DRAFT = [
  '2022年街道办理行政复议案件16件，同比增长33%；罚没款123.45万元，同比下降3.1%，较上年减少3.95万元。',
  '全年办理法律援助案件45件，较上年增加9件。受理矛盾纠纷300件，与上年持平。',
  '行政复议纠错率12.5%，较上年提高4.2个百分点；人民调解成功率比上年提高5个百分点。',
  '开展普法活动86场，同比增长10%。举行听证会1次，同比增长100%。',
  '办理行政处罚案件210余件，较上年减少23件。',
];

let check: CliResult;
let run: CliResult;
let verify: CliResult;
let templates: CliResult;
const mails: { subject: string; text: string }[] = [];
const explain = new Map<string, CliResult>();
let text = '';
let docx: { xml: string; text: string }[] = [];

beforeAll(async () => {
  await writeChengdongPack(join(root, 'pack'), { extras: EXTRAS, template });
  // A report about something else than 法治政府建设, in the words of its mails and templates.
  const packJson = JSON.parse(await readFile(join(root, 'pack', 'pack.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(root, 'pack', 'pack.json'), JSON.stringify({ ...packJson, kind: '法治街道建设' }));
  await writeFile(config, JSON.stringify(chengdongConfig('./pack')));
  await writeChengdongInbox(join(root, 'inbox'));
  await writePreviousWorkbook(join(root, 'report-2021.xlsx'), PREVIOUS);
  check = await runCli(['pack', 'check', join(root, 'pack'), '--config', config]);
  run = await runCli(['run', '--config', config, '--inbox', join(root, 'inbox'), '--out', out, '--previous', join(root, 'report-2021.xlsx')]);
  await writeFile(join(root, '草稿.txt'), DRAFT.join('\n'));
  verify = await runCli(['verify', join(root, '草稿.txt'), '--config', config, '--out', out]);
  templates = await runCli(['templates', '--config', config, '--out', join(root, '模板')]);
  for (const name of (await readdir(join(out, 'outbox'))).filter((f) => f.endsWith('.eml')).sort()) {
    const mail = await simpleParser(await readFile(join(out, 'outbox', name)));
    mails.push({ subject: mail.subject ?? '', text: mail.text ?? '' });
  }
  for (const wanted of ['aid.cases', '行政复议纠错率', '开展普法活动', '举行听证会']) explain.set(wanted, await runCli(['explain', wanted, '--config', config, '--out', out]));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(out, 'report-2022.xlsx'));
  workbook.getWorksheet('报告正文')?.eachRow((row) => (text += `${String(row.getCell(1).value)}\n`));
  const zip = await JSZip.loadAsync(await readFile(join(out, 'report-2022.docx')));
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  docx = [...xml.matchAll(/<w:p[\s>][\s\S]*?<\/w:p>/g)].map((m) => ({
    xml: m[0],
    text: [...m[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
  }));
}, 240_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a change against last year, in the words of the report', () => {
  it('says growth and fall in percent, the difference as the figure is written, and 持平', () => {
    const figure = { unit: '件', written: 'exact' } as const;
    expect(wordChange('同比', { ...figure, value: 45, previous: 36 })).toMatchObject({ kind: 'stated', text: '增长25%' });
    expect(wordChange('同比', { ...figure, value: 31, previous: 32 })).toMatchObject({ text: '下降3.1%' });
    expect(wordChange('较上年', { ...figure, value: 40, previous: 45 })).toMatchObject({ text: '减少5件' });
    expect(wordChange('较上年', { ...figure, value: 45, previous: 45 })).toMatchObject({ text: '持平' });
    expect(wordChange('同比', { ...figure, value: 10001, previous: 10000 })).toMatchObject({ text: '基本持平' });
    expect(wordChange('较上年', { value: 1234, previous: 1000, unit: '件', written: 'approx' })).toMatchObject({ text: '增加230余件' });
    expect(wordChange('较上年', { value: 123.4, previous: 120.2, unit: '万元', written: 'exact', decimals: 2 })).toMatchObject({ text: '增加3.20万元' });
    expect(wordChange('上年', { value: 123.4, previous: 120.2, unit: '万元', written: 'exact', decimals: 2 })).toMatchObject({ text: '120.20万元' });
  });

  it('says a rate’s change in percentage points, never a percent of a percent', () => {
    const rate = { unit: '%', written: 'percent' } as const;
    expect(wordChange('同比', { ...rate, value: 12.5, previous: 10 })).toMatchObject({ text: '提高2.5个百分点' });
    expect(wordChange('较上年', { ...rate, value: 66.7, previous: 70 })).toMatchObject({ text: '下降3.3个百分点' });
    expect(wordChange('同比', { ...rate, value: 50, previous: 0 })).toMatchObject({ text: '提高50个百分点' });
  });

  it('states none without last year’s value, and no percentage from 0', () => {
    const figure = { unit: '件', written: 'exact' } as const;
    expect(wordChange('同比', { ...figure, value: 5, previous: undefined })).toEqual({ kind: 'none', why: '无上年数据' });
    expect(wordChange('较上年', { ...figure, value: 5, previous: null })).toEqual({ kind: 'none', why: '无上年数据' });
    expect(wordChange('同比', { ...figure, value: 5, previous: 0 })).toEqual({ kind: 'none', why: '上年为0' });
    expect(wordChange('较上年', { ...figure, value: 5, previous: 0 })).toMatchObject({ text: '增加5件' });
    expect(wordChange('同比', { ...figure, value: 0, previous: 0 })).toMatchObject({ text: '持平' });
  });
});

describe('城东街道 2022 against its 2021 report', () => {
  it('pack check warns of each change written without a text for no last year’s value, with the line and the way to write it', () => {
    expect(check.code, check.stderr + check.stdout).toBe(0);
    const said = check.stdout + check.stderr;
    expect(said).toContain('{{publicity.events:同比}}（开展普法活动与上年相比）没有写“无上年数据”时的文字');
    expect(said).toContain('请写成 {{publicity.events:同比?无上年数据时的文字:同比{}}}');
    expect(said).toContain('上年为0时印出“【上年为0：开展普法活动】”');
    // Written with a conditional: no warning.
    expect(said).not.toContain('{{contracts.reviewed:同比}}');
    expect(said).not.toContain('{{aid.cases:同比}}');
  });

  it('writes growth, a fall, the difference and no change against last year', () => {
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(text).toContain(
      '受理行政复议案件16件，同比增长33.3%，较上年增加4件；罚没款123.45万元，同比下降3.1%，较上年减少3.95万元；办理行政处罚案件较上年增加23件；受理矛盾纠纷与上年持平。',
    );
    expect(text).toContain('全年办理法律援助案件45件，同比增长25%。');
  });

  it('writes a rate’s change in percentage points, and last year’s value as the figure is written', () => {
    expect(text).toContain('行政复议纠错率12.5%，较上年提高4.2个百分点；人民调解成功率比上年提高2个百分点；法律援助案件上年为36件。');
  });

  it('marks a change it cannot state, or takes the text written for it: new this year, 缺报 last year, from 0', () => {
    expect(text).toContain(
      '开展普法活动同比【无上年数据：开展普法活动】；举行听证会同比【上年为0：举行听证会】，较上年增加1次；审查合同156份（上年无可比数据）；听证上年未举行。',
    );
    expect(text).not.toMatch(/\{\{|\}\}/);
  });

  it('highlights those markers in the .docx as it does 缺报', () => {
    const p = docx.find((x) => x.text.includes('【无上年数据：开展普法活动】'));
    expect(p?.xml).toMatch(/<w:highlight w:val="yellow"\/>[\s\S]*?<w:t[^>]*>【无上年数据：开展普法活动】<\/w:t>/);
    expect(p?.xml).toMatch(/<w:highlight w:val="yellow"\/>[\s\S]*?<w:t[^>]*>【上年为0：举行听证会】<\/w:t>/);
    expect(docx.some((x) => x.text.includes('同比增长33.3%，较上年增加4件'))).toBe(true);
  });
});

describe('tally verify of a draft’s sentences about last year', () => {
  /** The table line of a change as the draft writes it. */
  const line = (figure: string) => verify.stdout.split('\n').find((l) => l.includes(`第`) && l.includes(` ${figure} `)) ?? '';

  it('finds growth, a fall, the difference, 持平 and points consistent with the figures', () => {
    expect(verify.code, verify.stderr).toBe(0);
    expect(line('增长33%')).toMatch(/行政复议案件（与上年比）\s+16\s+增长33\.3%\s+一致/);
    expect(line('下降3.1%')).toMatch(/罚没款（与上年比）\s+123\.45\s+下降3\.1%\s+一致/);
    expect(line('减少3.95万元')).toMatch(/罚没款（与上年比）\s+123\.45\s+减少3\.95万元\s+一致/);
    expect(line('增加9件')).toMatch(/办理法律援助案件（与上年比）\s+45\s+增加9件\s+一致/);
    expect(line('与上年持平')).toMatch(/受理矛盾纠纷（与上年比）\s+300\s+持平\s+一致/);
    expect(line('提高4.2个百分点')).toMatch(/行政复议纠错率（与上年比）\s+12\.5\s+提高4\.2个百分点\s+一致/);
  });

  it('says where a change is wrong, and why: another number, the wrong way, a percentage from 0', () => {
    expect(line('提高5个百分点')).toMatch(/人民调解成功率（与上年比）\s+98\.7\s+提高2个百分点\s+不一致/);
    expect(line('减少23件')).toMatch(/办理行政处罚案件（与上年比）\s+218\s+增加23件\s+不一致/);
    expect(line('增长100%')).toMatch(/举行听证会（与上年比）.*不一致/);
    expect(verify.stdout).toContain('上年为0，没有增长的百分比：应写“较上年增加1次”');
    expect(verify.stdout).toContain('今年218件，上年195件（report-2021.xlsx），是增加，草稿写的是减少');
    expect(verify.stdout).toMatch(/narrative\.figure_mismatch 第3段：草稿第3段“人民调解成功率比上年提高5个百分点”写提高5个百分点，但今年98\.7%，上年96\.7%（report-2021\.xlsx），相差2个百分点，报告应写作“提高2个百分点”/);
  });

  it('cannot judge a change of a figure new this year, and says so', () => {
    expect(line('增长10%')).toMatch(/开展普法活动（与上年比）\s+86\s+—?\s*无法判断/);
    expect(verify.stdout).toContain('“开展普法活动”没有上年数值（没有上年报告、上年缺报或今年新设的指标），无法核对与上年的比较');
  });

  it('still checks the figures themselves beside the changes', () => {
    expect(line('16件')).toMatch(/一致/);
    expect(line('45件')).toMatch(/一致/);
    expect(verify.stdout).not.toMatch(/无法对应到任何指标/);
  });
});

describe('tally explain names last year’s value, where it comes from, and the change', () => {
  const said = (wanted: string) => explain.get(wanted)?.stdout ?? '';

  it('for a figure from the ledgers', () => {
    expect(explain.get('aid.cases')?.code).toBe(0);
    expect(said('aid.cases')).toContain('上年（2021年度）：36件，来源：report-2021.xlsx');
    expect(said('aid.cases')).toContain('与上年比：同比增长25%，较上年增加9件（模板写法 {{aid.cases:同比}}、{{aid.cases:较上年}}）');
  });

  it('for a rate, worked out from last year’s parts, in percentage points', () => {
    expect(said('行政复议纠错率')).toContain('上年（2021年度）：8.3%，由上年的各部分算出，来源：report-2021.xlsx');
    expect(said('行政复议纠错率')).toContain('与上年比：同比提高4.2个百分点，较上年提高4.2个百分点');
  });

  it('for a figure new this year, and one that was 0', () => {
    expect(said('开展普法活动')).toContain('上年（2021年度）：无上年数据，上年的报告中没有这一指标，或数值为空（缺报）（report-2021.xlsx）；正文中的 {{publicity.events:同比}} 会印出“【无上年数据：开展普法活动】”。');
    expect(said('举行听证会')).toContain('上年（2021年度）：0次，来源：report-2021.xlsx');
    expect(said('举行听证会')).toContain('与上年比：同比：上年为0，没有百分比（正文印出“【上年为0：举行听证会】”），较上年增加1次');
  });
});

describe('mails and templates in the words of the pack’s report', () => {
  it('lists the derived rates in the coordinator’s mail after the figures, as 指标汇总 does', () => {
    const coordinator = mails.find((m) => m.subject.includes('台账核查汇总'));
    expect(coordinator?.text).toContain('21. 行政复议纠错率：12.5%（');
    expect(coordinator?.text).toContain('人民调解成功率：98.7%（');
    expect(coordinator?.text).toContain('出庭应诉率：分母为0（行政诉讼案件为0，不计算出庭应诉率）');
    expect(coordinator?.text).toMatch(/普法受众：3\.2万人次（[^）]+）\n\s+20\. 行政规范性文件报备率/);
  });

  it('heads the mails and the template workbook with the pack’s kind of report', async () => {
    expect(mails.length).toBeGreaterThan(1);
    for (const m of mails) expect(m.subject).toMatch(/^【法治街道建设年度报告】/);
    expect(templates.code, templates.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(root, '模板', '党政办-2022年台账模板.xlsx'));
    expect(String(workbook.getWorksheet('填表说明')?.getCell('A1').value)).toBe('填表说明：临江县城东街道2022年度法治街道建设台账填报模板（党政办）');
  });

  it('takes the kind from the title when the pack does not say it', () => {
    expect(reportKind('{district}{town}{year}年度法治政府建设年度情况报告')).toBe('法治政府建设');
    expect(reportKind('{district}{town}{year}年法治政府建设年度情况报告')).toBe('法治政府建设');
    expect(reportKind('{district}{town}{year}年度法治政府建设情况报告')).toBe('法治政府建设');
    expect(reportKind('{town}{year}年普法依法治理工作总结')).toBe('普法依法治理');
  });
});
