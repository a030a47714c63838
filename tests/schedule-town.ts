/**
 * A small town for the schedule and deadline tests: a configuration with a deadline, an inbox the
 * test fills day by day, one DuckDB file, and a run of the whole pipeline at a fake time.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeLedgerWorkbook, type SheetSpec } from '../demo/ledger-workbook.ts';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { runPipeline, type RunSummary } from '../pipeline/run.ts';
import { tmpDir } from './smtp-sink.ts';
import { writeTownConfig } from './support/town-config.ts';

export const COORDINATOR = 'fazhi@anding.example.gov.cn';
export const EMAIL = { justice: 'sifasuo@anding.example.gov.cn', office: 'baozhangban@anding.example.gov.cn' } as const;

/** UTC midnight of a day, as the workbook builder wants dates. */
export const day = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));

export const LEGAL_AID: SheetSpec = {
  name: '法律援助',
  title: '安定镇2020年法律援助台账',
  header: ['案件编号', '受理日期', '受援人'],
  rows: [
    ['援2020-001', day(2020, 3, 5), '张三'],
    ['援2020-002', day(2020, 6, 9), '李四'],
  ],
};

export const STUDY: SheetSpec = {
  name: '学法',
  title: '安定镇2020年学法活动台账',
  header: ['日期', '类别', '主题'],
  rows: [[day(2020, 4, 1), '会前学法', '宪法']],
};

export interface Town {
  readonly dir: string;
  readonly inbox: string;
  readonly out: string;
  readonly dbPath: string;
  readonly configFile: string;
  submit(path: string, sheets: SheetSpec[]): Promise<void>;
  /** One run at `at` (the fake clock), mail through SMTP on `port`. */
  run(at: Date, port: number): Promise<RunSummary>;
  remove(): Promise<void>;
}

/** 司法所 owes legal_aid; 综合保障办 owes study and normative_docs. */
export async function makeTown(name: string, deadline: string, reminderWorkdays = 3): Promise<Town> {
  const dir = tmpDir(name);
  const inbox = join(dir, 'inbox');
  await mkdir(inbox, { recursive: true });
  const configFile = join(dir, 'config.json');
  await writeTownConfig(
    configFile,
    {
      district: '大兴区',
      coordinator: { name: '安定镇司法所', email: COORDINATOR },
      mail: { from: 'tally <tally@anding.example.gov.cn>', replyTo: COORDINATOR },
      schedule: { cron: '0 2 * * *', timezone: 'Asia/Shanghai' },
      deadline,
      reminderWorkdays,
      departments: [
        { code: 'justice', name: '司法所', email: EMAIL.justice, owes: ['legal_aid'] },
        { code: 'office', name: '综合保障办', email: EMAIL.office, owes: ['study', 'normative_docs'] },
      ],
    },
  );
  const out = join(dir, 'out');
  const dbPath = join(dir, 'tally.duckdb');
  return {
    dir,
    inbox,
    out,
    dbPath,
    configFile,
    async submit(path, sheets) {
      const file = join(inbox, path);
      await mkdir(dirname(file), { recursive: true });
      await writeLedgerWorkbook(file, sheets);
    },
    run: (at, port) =>
      runPipeline({
        config: loadConfig(configFile),
        inbox,
        out,
        dbPath,
        smtpUrl: `smtp://127.0.0.1:${port}`,
        now: () => at,
        trigger: 'schedule',
        readers: 1,
        mail: { retry: { rounds: 1, delayMs: () => 0 } },
      }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** 02:00 in Shanghai on a calendar day. */
export const at0200 = (date: string): Date => new Date(`${date}T02:00:00+08:00`);
