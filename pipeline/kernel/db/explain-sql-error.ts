/**
 * A DuckDB error about a pack's SQL, told in Chinese for the person who wrote the file: the line
 * of the file (DuckDB's `LINE n:` counts the lines of the statement it was given, which tally
 * wraps), what went wrong in words (a column or table not found with DuckDB's suggestions, a
 * syntax error near a word), then DuckDB's own text for the expert.
 */

export interface SqlErrorText {
  /** 1-based line of the file; null when DuckDB names none. */
  readonly line: number | null;
  /** `找不到列“fieldx”（可用的列：“fieldy”）。（DuckDB：Binder Error: …）` */
  readonly message: string;
}

/**
 * @param message DuckDB's error message.
 * @param where `linesBefore`: how many more lines come before a line in the statement DuckDB ran
 *   than in the file (1 for tally's wrapping, less the blank lines trimmed off the file's top);
 *   `lines`: the file's lines;
 *   `lineFrom`: the message to take DuckDB's LINE from, when not `message` ('' for none).
 *
 * @example
 * explainSqlError('Binder Error: Referenced column "fieldx" not found in FROM clause!\nCandidate bindings: "fieldy"\n\nLINE 4: where fieldx = 1', { linesBefore: 1, lines: 5 });
 * // { line: 3, message: '找不到列“fieldx”，可用的列有：“fieldy”。（DuckDB：Binder Error: Referenced column "fieldx" not found in FROM clause! Candidate bindings: "fieldy"）' }
 */
export function explainSqlError(
  message: string,
  where: { readonly linesBefore: number; readonly lines: number; readonly lineFrom?: string | undefined },
): SqlErrorText {
  const lines = message.split('\n');
  const at = /^LINE (\d+):/m.exec(where.lineFrom ?? message);
  // Past the file's end (an error "at end of input" points at the wrapping's closing line): its last line.
  const line = at === null ? null : Math.min(Math.max(Number(at[1]) - where.linesBefore, 1), Math.max(where.lines, 1));
  // DuckDB's text without its LINE and caret lines (the line is told in Chinese) nor its long lists.
  const cut = lines.findIndex((l) => /^LINE \d+:/.test(l) || /^\s*Candidate functions:/.test(l));
  const original = (cut < 0 ? lines : lines.slice(0, cut))
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
  const said = inWords(message);
  return { line, message: said === null ? original : `${said}（DuckDB：${original}）` };
}

/** The common mistakes in words; null for the others (DuckDB's text alone is then shown). */
function inWords(message: string): string | null {
  const quoted = (text: string | undefined) => [...(text ?? '').matchAll(/"([^"]+)"/g)].map((m) => `“${m[1]}”`).join('、');
  const candidates = /^Candidate bindings: (.*)$/m.exec(message)?.[1];
  const didYouMean = /^Did you mean (.*)\?$/m.exec(message)?.[1];
  let m = /Referenced column "([^"]+)" not found/.exec(message);
  if (m !== null) {
    return `找不到列“${m[1]}”${candidates === undefined ? '' : `，可用的列有：${quoted(candidates)}`}。请核对 ledgers.json 中该台账字段的 id（视图的列名是字段 id，单元格地址是“id__cell”）`;
  }
  m = /Table "([^"]+)" does not have a column named "([^"]+)"/.exec(message);
  if (m !== null) return `表“${m[1]}”没有列“${m[2]}”${candidates === undefined ? '' : `，可用的列有：${quoted(candidates)}`}`;
  m = /Table with name (\S+) does not exist/.exec(message);
  if (m !== null) {
    return `找不到表“${m[1]}”${didYouMean === undefined ? '' : `，是否应为 ${quoted(didYouMean)}`}。台账视图以 ledgers.json 中台账的 id 命名`;
  }
  m = /Referenced table "([^"]+)" not found/.exec(message);
  if (m !== null) return `引用的表或别名“${m[1]}”不在 FROM 子句中`;
  m = /syntax error at or near "([^"]*)"/.exec(message);
  if (m !== null) return `语法错误，在“${m[1]}”处或其附近（常见原因：少了逗号、括号不配对、多了一个词）`;
  if (/syntax error at end of input/.test(message)) return '语法错误：语句没有写完（常见原因：括号不配对、末尾少了内容）';
  if (/unterminated quoted string/.test(message)) return '引号没有闭合：字符串少了结尾的单引号';
  m = /Scalar Function with name (\S+) does not exist/.exec(message);
  if (m !== null) return `没有名为“${m[1]}”的函数${didYouMean === undefined ? '' : `，是否应为 ${quoted(didYouMean)}`}`;
  m = /No function matches the given name and argument types '([^']+)'/.exec(message);
  if (m !== null) return `函数调用的参数类型不对：${m[1]}（可能需要 cast 转换类型）`;
  m = /Values were not provided for the following prepared statement parameters: (.+)$/m.exec(message);
  if (m !== null) return `SQL 中的参数 ${(m[1] ?? '').split(/,\s*/).map((p) => `$${p}`).join('、')} 没有定义：报告包的 SQL 只能使用 $year`;
  return null;
}
