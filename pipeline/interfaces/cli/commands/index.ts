/**
 * Every `tally` subcommand, by name: its usage lines, and its code, imported only when it runs.
 * `tally --help` (and a usage error) prints the usage lines without importing any command: the
 * commands import DuckDB, exceljs, nodemailer or the portal, and loading them all took ~1 s and
 * ~100 MB. A new command is one file here plus one entry below.
 */
import type { Command } from './command.ts';

export interface CommandEntry {
  /** Lines for the usage text, e.g. `tally run [--config 文件] …`. */
  readonly usage: readonly string[];
  readonly load: () => Promise<Command>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  pack: { usage: ['tally pack check 报告包目录 [--config 配置文件]', '  检查报告包（台账、指标 SQL、派生指标、检查规则、报告正文模板）：逐项列出问题（文件与键），有错误时退出码 1'], load: async () => (await import('./pack.ts')).packCommand },
  run: {
    usage: [
      'tally run [--config 文件] [--inbox 目录] [--out 目录] [--db 文件] [--year 年份] [--previous 上年报告.xlsx]',
      '  --config  配置文件（默认：内置的安定镇 2020 演示配置）',
      '  --inbox   收件箱目录，每个部门一个子文件夹（默认 ./inbox）',
      '  --out     输出目录：报告工作簿、邮件、原件存档（默认 ./out）',
      '  --db      数据库文件（默认 <out>/tally.duckdb）',
      '  --year    报告年度（默认取配置）',
      '  --previous 上年的报告工作簿（读其“指标汇总”的指标编码和数值），用于上年数值和同比；默认取数据库中上一年度最近一次运行的数值',
      '  --notify  changed（默认：收件人的情况有变化才发信）或 always（每次都发）',
      '  环境变量 SMTP_URL（smtp://用户:密码@主机:端口 或 smtps://…）：设置则经该服务器发信，否则写入 <out>/outbox/*.eml',
    ],
    load: async () => (await import('./run.ts')).runCommand,
  },
  serve: {
    usage: [
      'tally serve [--config 文件] [--inbox 目录] [--out 目录] [--db 文件] [--host 地址] [--port 端口] [--tokens 文件] [--base-url 网址] [--no-schedule]',
      '  上传门户（各部门专用链接、司法所总览）并按 schedule.cron 定时运行，同一进程独占数据库',
      '  --host 默认 127.0.0.1（局域网访问用 0.0.0.0）  --port 默认 8080  --no-schedule 只开门户、不定时运行',
    ],
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  tokens: {
    usage: [
      'tally tokens [--config 文件] [--tokens 文件] [--rotate 部门代码|coordinator|all] [--base-url 网址]',
      '  生成并列出上传门户的专用链接：每个部门一个，司法所总览一个（令牌存于 <配置名>.tokens.json）',
      '  --rotate    更换令牌（旧链接随即失效，需重启 tally serve）；可重复',
      '  --base-url  链接前缀，如 http://192.168.1.10:8080（默认 http://127.0.0.1:8080）',
    ],
    load: async () => (await import('./tokens.ts')).tokensCommand,
  },
  templates: {
    usage: [
      'tally templates [--config 文件] [--out 目录]',
      '  为每个部门生成填报模板：每本应报台账一个工作表，列名、填写提示、下拉选项、日期和数字格式，另附填表说明（默认写入 ./templates）',
    ],
    load: async () => (await import('./templates.ts')).templatesCommand,
  },
  demo: {
    usage: [
      'tally demo [--dir 目录]     生成演示收件箱（安定镇 2020）并运行一次（npm start）',
      'tally demo --pack liangzhu-2023 [--dir 目录]   用另一个报告包演示（良渚街道 2023）',
      'tally demo --district [--dir 目录]   区级演示：大兴区 22 个街镇（20 个运行 tally 并导出，1 个报送报告工作簿，1 个缺报）汇总',
    ],
    load: async () => (await import('./demo.ts')).demoCommand,
  },
  explain: {
    usage: [
      'tally explain <指标编码> [--db 文件] [--out 目录] [--config 文件] [--year 年份]',
      '  逐行列出一个指标由哪些台账行计入、哪些行未计入及原因（读取上次运行的数据库）',
      '  --db      数据库文件（默认 <out>/tally.duckdb）',
      '  --out     上次运行的输出目录（默认 ./out）',
    ],
    load: async () => (await import('./explain.ts')).explainCommand,
  },
  verify: {
    usage: [
      'tally verify <草稿.docx|草稿.txt> [--db 文件] [--out 目录] [--config 文件] [--year 年份]',
      '  核对报告草稿中的每个数字与台账汇总是否一致（读取上次运行的数据库）',
      '  --db      数据库文件（默认 <out>/tally.duckdb，<out> 默认 ./out）',
      '  --out     另把问题清单写入 <out>/verify-<草稿名>.xlsx',
    ],
    load: async () => (await import('./verify.ts')).verifyCommand,
  },
  schedule: {
    usage: [
      'tally schedule [--config 文件] [--inbox 目录] [--out 目录] [--db 文件] [--cron 表达式] [--notify changed|always] [--run-now]',
      '  常驻进程：按配置 schedule.cron（默认每天 02:00，Asia/Shanghai）定时运行；上一次未结束则跳过本次',
      '  --cron     覆盖配置中的 cron 表达式    --run-now  启动后立即运行一次',
      '  --notify   changed（默认：有变化才发信）或 always（每次都发）',
      '  SIGTERM/SIGINT：等当前运行结束后退出',
    ],
    load: async () => (await import('./schedule.ts')).scheduleCommand,
  },
  status: {
    usage: [
      'tally status [--config 文件] [--out 目录] [--db 文件] [--limit 条数]',
      '  最近几次运行（开始、结束、文件、问题、邮件）和发件箱中待重发、无法投递的邮件',
    ],
    load: async () => (await import('./status.ts')).statusCommand,
  },
  inspect: {
    usage: [
      'tally inspect <文件>... [--json] [--config 文件] [--year 年份]',
      '  显示 tally 在文件中读到的内容：各工作表（含隐藏）、表头行、识别出的台账或未识别的原因、读取的行数和读取时发现的问题',
      '  --json    每个文件输出一行 JSON（含读取到的每个单元格）',
      '  退出码：全部文件可读为 0；有文件无法读取为 1（其余文件照常检查）',
    ],
    load: async () => (await import('./inspect.ts')).inspectCommand,
  },
  export: {
    usage: [
      'tally export --parquet 目录 [--db 文件] [--out 目录] [--config 文件] [--year 年份]',
      '  把上次运行的指标、溯源行、问题、报送情况和各台账的行导出为 Parquet（目录/<表>/year=<年>/town=<街镇>/），供区级汇总',
    ],
    load: async () => (await import('./export.ts')).exportCommand,
  },
  district: {
    usage: [
      'tally district [--config 区配置] [--inbox 目录] [--out 目录] [--year 年份]',
      '  区级汇总：读各街镇的导出（Parquet）或报告工作簿（<inbox>/<街镇>/report-<年>.xlsx），写 district-<年>.xlsx/.docx/.html 和给各街镇的邮件',
    ],
    load: async () => (await import('./district.ts')).districtCommand,
  },
};
