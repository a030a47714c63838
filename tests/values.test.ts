import { describe, expect, it } from 'vitest';
import type { RawValue } from '../sheets/raw-sheet.ts';
import {
  foldText,
  normalizeKey,
  normalizeLabel,
  boolSubjects,
  parseBool,
  parseChineseNumeral,
  parseDate,
  parseEnum,
  parseInteger,
  parseNumber,
  toHalfWidth,
  type Parsed,
} from '../sheets/values/index.ts';

/** A reason must be Chinese: it goes to the clerk as a finding. */
const CHINESE = /[\u4e00-\u9fff]/;

function reasonOf<T>(p: Parsed<T>): string {
  if (p.ok) throw new Error(`expected a failure, got ${JSON.stringify(p.value)}`);
  return p.reason;
}

describe('foldText', () => {
  it.each<[string, RawValue, string | null]>([
    ['trims the text', '  张三  ', '张三'],
    ['folds a full-width space inside', '张\u3000三', '张 三'],
    ['folds an NBSP inside', '张\u00a0三', '张 三'],
    ['folds tabs and line breaks to one space', '公示\r\n\t内容', '公示 内容'],
    ['drops zero-width characters', '\u200b张三\ufeff', '张三'],
    ['reads whitespace only as empty', ' \u3000\n\u00a0', null],
    ['reads an empty string as empty', '', null],
    ['reads null as empty', null, null],
    ['writes an integer without exponent', 20200305, '20200305'],
    ['writes a large integer without exponent', 1e21, '1000000000000000000000'],
    ['writes 0.1 + 0.2 without float noise', 0.1 + 0.2, '0.3'],
    ['writes a small fraction without exponent', 0.0000001, '0.0000001'],
    ['writes a negative number', -12.5, '-12.5'],
    ['writes −0 as 0', -0, '0'],
    ['writes true as Excel does', true, 'TRUE'],
    ['writes false as Excel does', false, 'FALSE'],
    ['writes a date from its UTC parts', new Date(Date.UTC(2020, 2, 5, 23, 59)), '2020-03-05'],
  ])('%s', (_name, raw, expected) => {
    expect(foldText(raw)).toBe(expected);
  });

  it.each<[string, string]>([
    ['２０２０－０３－０５', '2020-03-05'],
    ['ＡＢＣ（１）', 'ABC(1)'],
    ['张\u3000三', '张 三'],
    ['【不变】', '【不变】'],
  ])('toHalfWidth turns %s into %s', (input, expected) => {
    expect(toHalfWidth(input)).toBe(expected);
  });
});

describe('normalizeLabel', () => {
  it.each<[string, string]>([
    ['公示\n日期', '公示日期'],
    [' 公示\u3000日期\u00a0', '公示日期'],
    ['罚款金额（元）', '罚款金额(元)'],
    ['罚款金额【元】', '罚款金额(元)'],
    ['罚款金额〔元〕', '罚款金额(元)'],
    ['罚款金额[元]', '罚款金额(元)'],
    ['罚款金额｛元｝', '罚款金额(元)'],
    ['罚款金额{元}', '罚款金额(元)'],
    ['罚款金额「元」', '罚款金额(元)'],
    ['*案件编号', '案件编号'],
    ['案件编号*', '案件编号'],
    ['案件编号（*）', '案件编号'],
    ['案件编号＊：', '案件编号'],
    ['姓名：', '姓名'],
    ['姓名:', '姓名'],
    ['ABC类', 'abc类'],
    ['ＡＢＣ类', 'abc类'],
  ])('folds %j to %j', (input, expected) => {
    expect(normalizeLabel(input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['安执罚字〔2020〕第1号', '安执罚字(2020)第1号'],
    ['安执罚字[2020]第1号', '安执罚字(2020)第1号'],
    ['安执罚字【２０２０】第 1 号', '安执罚字(2020)第1号'],
    ['安执罚字（2020）第１号', '安执罚字(2020)第1号'],
    ['张\u3000三', '张三'],
  ])('normalizeKey makes %j the same key as %j', (a, b) => {
    expect(normalizeKey(a)).toBe(normalizeKey(b));
  });

  it('normalizeKey keeps a key colon and asterisk, which are no markers there', () => {
    expect(normalizeKey('A*1:')).toBe('a*1:');
  });
});

describe('parseChineseNumeral', () => {
  it.each<[string, number]>([
    ['零', 0],
    ['五', 5],
    ['十', 10],
    ['十二', 12],
    ['三十五', 35],
    ['一百', 100],
    ['一百零五', 105],
    ['两百零五', 205],
    ['一千二百', 1200],
    ['一千零五十', 1050],
    ['一万二千', 12000],
    ['一万二', 12000],
    ['三百五', 350],
    ['十万', 100000],
    ['一亿二千万', 120000000],
    ['叁拾伍', 35],
    ['壹仟贰佰', 1200],
    ['壹萬', 10000],
    ['二〇二〇', 2020],
    ['二零二零', 2020],
    ['二○二○', 2020],
  ])('reads %s as %d', (input, expected) => {
    expect(parseChineseNumeral(input)).toBe(expected);
  });

  it.each<string>(['', '待定', '三十五次', '五五十', '二十三百', '百', '3十', '一般'])('does not read %j', (input) => {
    expect(parseChineseNumeral(input)).toBeNull();
  });
});

describe('parseNumber', () => {
  it.each<[string, RawValue, number | null]>([
    ['passes a number', 1200, 1200],
    ['passes a fraction', 3.5, 3.5],
    ['removes Excel float noise', 0.1 * 3, 0.3],
    ['passes a negative number', -5, -5],
    ['reads an empty cell as empty', null, null],
    ['reads empty text as empty', '  ', null],
    ['reads digits in text', '15', 15],
    ['reads full-width digits', '１５', 15],
    ['reads a thousands separator', '1,200', 1200],
    ['reads a full-width thousands separator', '1，200', 1200],
    ['reads a decimal with separators', '12,345.67', 12345.67],
    ['reads a unit after the number', '15次', 15],
    ['reads a unit after a separated number', '1,200人次', 1200],
    ['keeps 3.5 of 3.5万元 (the header carries the unit)', '3.5万元', 3.5],
    ['reads 共 … 次 around the number', '共 15 次', 15],
    ['reads a leading minus', '-5', -5],
    ['reads the same number twice as that number', '15（15次）', 15],
    ['reads a Chinese numeral', '三十五', 35],
    ['reads a large Chinese numeral', '一千二百', 1200],
    ['reads a Chinese numeral with a unit', '三十五次', 35],
    ['reads a financial numeral with 元', '叁拾伍元', 35],
    ['keeps 35 of 三十五万元 (the header carries the unit)', '三十五万元', 35],
    ['keeps 1 of 一万人次, as of 1万人次', '一万人次', 1],
    ['keeps 1 of 1万人次', '1万人次', 1],
    ['reads 一万二千 with its 万 inside the numeral', '一万二千人次', 12000],
    ['reads 无 as zero', '无', 0],
    ['reads — as zero', '—', 0],
    ['reads —— as zero', '——', 0],
    ['reads - as zero', '-', 0],
    ['reads － as zero', '－', 0],
    ['reads / as zero', '/', 0],
    ['reads ／ as zero', '／', 0],
    ['reads 0 as zero', '0', 0],
    ['reads 零 as zero', '零', 0],
  ])('%s', (_name, raw, expected) => {
    expect(parseNumber(raw)).toEqual({ ok: true, value: expected });
  });

  // Once read in silence; now counted with a note, a cell.approximate at the cell (tests/approximate-values.test.ts).
  it.each<[string, RawValue, number, string, string]>([
    ['reads 余 after the number, noting an approximation', '280余', 280, '余', 'more'],
    ['reads 约 before the number, noting an approximation', '约300', 300, '约', 'about'],
    ['reads a Chinese numeral with 余 and a unit, noting an approximation', '二十余人', 20, '余', 'more'],
  ])('%s', (_name, raw, value, word, bound) => {
    expect(parseNumber(raw)).toEqual({ ok: true, value, notes: [{ kind: 'approximate', word, bound }] });
  });

  it.each<[string, RawValue, string]>([
    ['fails text with no number', '待定', '“待定”不是数字'],
    ['fails a reference to an attachment', '见附件', '“见附件”不是数字'],
    ['fails a word that begins with a numeral character', '一般', '“一般”不是数字'],
    ['fails text before a number', '见附件3', '“见附件3”不是数字'],
    ['fails a range', '3-5', '“3-5”含有多个数字，请只填一个数'],
    ['fails a fraction-like pair', '12/15', '“12/15”含有多个数字，请只填一个数'],
    ['fails a list that is no thousands separator', '12,15', '“12,15”含有多个数字，请只填一个数'],
    ['fails a Chinese range', '三至五', '“三至五”含有多个数字，请只填一个数'],
    ['fails a boolean', true, '“TRUE”是逻辑值，不是数字'],
    ['fails a date', new Date(Date.UTC(2020, 2, 5)), '“2020-03-05”是日期，不是数字'],
    ['fails NaN', Number.NaN, '“NaN”不是有效数字'],
    ['fails Infinity', Number.POSITIVE_INFINITY, '“Infinity”不是有效数字'],
  ])('%s', (_name, raw, reason) => {
    const r = reasonOf(parseNumber(raw));
    expect(r).toBe(reason);
    expect(r).toMatch(CHINESE);
  });
});

describe('parseInteger', () => {
  it.each<[RawValue, { min?: number } | undefined, number | null]>([
    [15, undefined, 15],
    ['1,200人次', { min: 0 }, 1200],
    ['三十五次', undefined, 35],
    [0, { min: 0 }, 0],
    ['无', { min: 0 }, 0],
    [null, { min: 0 }, null],
    [3.0000000000000004, undefined, 3],
    [-2, undefined, -2],
    [999_999_999_999_999, undefined, 999_999_999_999_999],
  ])('reads %j (options %j) as %j', (raw, opts, expected) => {
    expect(parseInteger(raw, opts)).toEqual({ ok: true, value: expected });
  });

  it.each<[RawValue, { min?: number } | undefined, string]>([
    ['3.5', undefined, '“3.5”应为整数'],
    [3.5, { min: 0 }, '“3.5”应为整数'],
    [-1, { min: 0 }, '“-1”不能小于0'],
    ['-3人', { min: 0 }, '“-3人”不能小于0'],
    ['待定', { min: 0 }, '“待定”不是数字'],
    [1e20, { min: 0 }, '“100000000000000000000”数值过大，请核对是否多输了数字'],
    ['9007199254740993', undefined, '“9007199254740993”数值过大，请核对是否多输了数字'],
  ])('fails %j (options %j) with a Chinese reason', (raw, opts, reason) => {
    expect(reasonOf(parseInteger(raw, opts))).toBe(reason);
  });
});

describe('parseDate', () => {
  const ctx = { year: 2020 };

  it.each<[string, RawValue, string | null]>([
    ['reads an empty cell as empty', null, null],
    ['reads empty text as empty', ' ', null],
    ['reads a Date by its UTC day', new Date(Date.UTC(2020, 2, 5)), '2020-03-05'],
    ['keeps the UTC day of a Date late in the evening', new Date(Date.UTC(2020, 2, 5, 23, 59)), '2020-03-05'],
    ['reads an Excel serial', 43895, '2020-03-05'],
    ['ignores the time in a serial', 43895.75, '2020-03-05'],
    ['reads the first serial of 1950', 18264, '1950-01-01'],
    ['reads a yyyymmdd number', 20200305, '2020-03-05'],
    ['reads ISO text', '2020-03-05', '2020-03-05'],
    ['reads slashes', '2020/3/5', '2020-03-05'],
    ['reads dots', '2020.3.5', '2020-03-05'],
    ['reads 年月日', '2020年3月5日', '2020-03-05'],
    ['reads 年月日 with leading zeros', '2020年03月05日', '2020-03-05'],
    ['reads 年月号', '2020年3月5号', '2020-03-05'],
    ['reads 年月日 with spaces', '2020 年 3 月 5 日', '2020-03-05'],
    ['reads yyyymmdd text', '20200305', '2020-03-05'],
    ['reads a date with a time', '2020-3-5 10:30', '2020-03-05'],
    ['reads ISO date-time', '2020-03-05T10:30:00', '2020-03-05'],
    ['reads ISO date-time with a zone', '2020-03-05T10:30:00+08:00', '2020-03-05'],
    ['reads full-width digits', '２０２０年３月５日', '2020-03-05'],
    ['reads full-width ISO text', '２０２０－０３－０５', '2020-03-05'],
    ['reads a Chinese-numeral date', '二〇二〇年三月五日', '2020-03-05'],
    ['reads a Chinese-numeral date with tens', '二零二零年十二月三十一日', '2020-12-31'],
    ['reads 月日 in the period year', '3月5日', '2020-03-05'],
    ['reads 月日 written with Chinese numerals', '三月五日', '2020-03-05'],
    ['reads a serial written as text', '43895', '2020-03-05'],
    ['reads a leap day', '2020-02-29', '2020-02-29'],
    ['reads Excel\'s long date with its weekday (as it writes it into a CSV)', '2020年3月5日星期四', '2020-03-05'],
    ['reads a date with its weekday after a space', '2020/3/5 周四', '2020-03-05'],
    ['reads a date with its weekday in brackets', '2020-03-05（周四）', '2020-03-05'],
    ['reads 星期天 as Sunday', '3月8日星期天', '2020-03-08'],
  ])('%s', (_name, raw, expected) => {
    expect(parseDate(raw, ctx)).toEqual({ ok: true, value: expected });
  });

  it('refuses a weekday that is not the date\'s, saying which weekday the date is', () => {
    expect(reasonOf(parseDate('2020年3月5日星期五', ctx))).toBe('“2020年3月5日星期五”的日期和星期对不上：2020-03-05是星期四，请核对日期');
    expect(reasonOf(parseDate('星期四', ctx))).toBe('“星期四”不是有效日期，请写成2020-03-05');
  });

  it('counts serials around the 1900 leap-year bug, then refuses the year 1900', () => {
    expect(reasonOf(parseDate(59, ctx))).toBe('“59”的年份1900不在1950—2100之间');
    expect(reasonOf(parseDate(61, ctx))).toBe('“61”的年份1900不在1950—2100之间');
    expect(reasonOf(parseDate(1, ctx))).toBe('“1”的年份1900不在1950—2100之间');
  });

  it.each<[string, RawValue, string]>([
    ['fails serial 60, the nonexistent 1900-02-29', 60, '“60”是Excel中不存在的日期1900-02-29'],
    ['fails a day that does not exist', '2020-02-30', '“2020-02-30”日期不存在'],
    ['fails 29 February in a common year', '2019-02-29', '“2019-02-29”日期不存在'],
    ['fails month 13 in ISO text', '2020-13-05', '“2020-13-05”日期不存在'],
    ['fails a yyyymmdd number that is no day', 20200230, '“20200230”日期不存在'],
    ['fails a month without a day', '2020年13月', '“2020年13月”不是有效日期，请写成2020-03-05'],
    ['fails M-D without a year (ambiguous)', '3-5', '“3-5”没有写年份，月和日谁先谁后也无法确定'],
    ['fails M.D without a year (ambiguous)', '3.5', '“3.5”没有写年份，月和日谁先谁后也无法确定'],
    ['fails a bare year', '2020', '“2020”没有写月和日'],
    ['fails words', '待定', '“待定”不是有效日期，请写成2020-03-05'],
    ['fails mixed separators', '2020-3/5', '“2020-3/5”不是有效日期，请写成2020-03-05'],
    ['fails a year before 1950', '1949-10-01', '“1949-10-01”的年份1949不在1950—2100之间'],
    ['fails a year after 2100', '2101-01-01', '“2101-01-01”的年份2101不在1950—2100之间'],
    ['fails a number past the last serial', 2958466, '“2958466”不是有效日期，请写成2020-03-05'],
    ['fails zero, saying an empty cell is what is meant when there is no date', 0, '“0”不是日期；没有日期请留空'],
    ['fails a boolean', true, '“TRUE”是逻辑值，不是日期'],
    ['fails an invalid Date', new Date(Number.NaN), '无效的日期'],
  ])('%s', (_name, raw, reason) => {
    const r = reasonOf(parseDate(raw, ctx));
    expect(r).toBe(reason);
    expect(r).toMatch(CHINESE);
  });
});

describe('parseBool', () => {
  it.each<[RawValue, boolean | null]>([
    [null, null],
    ['', null],
    ['是', true],
    ['否', false],
    ['√', true],
    ['×', false],
    ['✓', true],
    ['✔', true],
    ['✗', false],
    ['✘', false],
    ['有', true],
    ['无', false],
    ['对', true],
    ['错', false],
    ['Y', true],
    ['n', false],
    ['YES', true],
    ['No', false],
    ['Ｙ', true],
    [1, true],
    [0, false],
    ['1', true],
    ['0', false],
    [true, true],
    [false, false],
    ['TRUE', true],
    ['false', false],
    [' 是 ', true],
    ['是（出庭）', true],
    ['否(委托代理人出庭)', false],
    ['否，未出庭', false],
  ])('reads %j as %j', (raw, expected) => {
    expect(parseBool(raw)).toEqual({ ok: true, value: expected });
  });

  it.each<[RawValue, string]>([
    ['待定', '“待定”不是“是/否”'],
    ['是否', '“是否”不是“是/否”'],
    ['x', '“x”不是“是/否”'],
    [2, '“2”不是“是/否”'],
    [new Date(Date.UTC(2020, 2, 5)), '“2020-03-05”不是“是/否”'],
  ])('fails %j with a Chinese reason', (raw, reason) => {
    expect(reasonOf(parseBool(raw))).toBe(reason);
  });

  // 负责人出庭 (aliases 负责人是否出庭, 负责人出庭应诉, 是否出庭): the column's own words as its answer.
  const appeared = boolSubjects(['负责人出庭', '负责人是否出庭', '负责人出庭应诉', '是否出庭']);
  it.each<[string, boolean]>([
    ['出庭', true],
    ['已出庭', true],
    ['出庭应诉', true],
    ['负责人出庭', true],
    ['未出庭', false],
    ['不出庭', false],
    ['没有出庭', false],
    ['没出庭', false],
    ['未 出庭', false],
  ])('reads %j as %j in 负责人出庭', (raw, expected) => {
    expect(parseBool(raw, appeared)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, string]>([
    ['庭', '“庭”不是“是/否”'],
    ['未庭', '“未庭”不是“是/否”'],
    ['委托律师', '“委托律师”不是“是/否”'],
    ['出庭了吗', '“出庭了吗”不是“是/否”'],
  ])('fails %j in 负责人出庭', (raw, reason) => {
    expect(reasonOf(parseBool(raw, appeared))).toBe(reason);
  });

  it('reads nothing from a column’s words without them (出庭 in a column of no such name)', () => {
    expect(reasonOf(parseBool('出庭'))).toBe('“出庭”不是“是/否”');
    expect(reasonOf(parseBool('出庭', boolSubjects(['法律职业资格'])))).toBe('“出庭”不是“是/否”');
  });
});

describe('parseEnum', () => {
  const litigation = ['行政复议', '行政诉讼'] as const;
  const exam = ['通过', '未通过', '未参加'] as const;
  const mediation = ['调解成功', '调解不成功', '调解中'] as const;
  const disclosure = ['事前公示', '事中公示', '事后公示'] as const;

  it.each<[string, RawValue, readonly string[], Readonly<Record<string, string>> | undefined, string | null]>([
    ['reads an empty cell as empty', null, litigation, undefined, null],
    ['reads a listed value', '行政复议', litigation, undefined, '行政复议'],
    ['ignores spaces and line breaks', '行政\n复议 ', litigation, undefined, '行政复议'],
    ['reads a short form', '复议', litigation, undefined, '行政复议'],
    ['reads a long form', '行政诉讼案件', litigation, undefined, '行政诉讼'],
    ['prefers an exact match to a substring', '通过', exam, undefined, '通过'],
    ['reads a negated listed value exactly', '未通过', exam, undefined, '未通过'],
    ['takes the longest listed value inside the input', '未通过考试', exam, undefined, '未通过'],
    ['takes a listed value inside the input', '通过考试', exam, undefined, '通过'],
    ['reads 成功 as 调解成功, not 调解不成功', '成功', mediation, undefined, '调解成功'],
    ['reads 不成功 as 调解不成功', '不成功', mediation, undefined, '调解不成功'],
    ['reads an alias', '事前', disclosure, { 事前: '事前公示' }, '事前公示'],
    ['reads an alias with folded brackets', '（事前）', disclosure, { '(事前)': '事前公示' }, '事前公示'],
    ['reads a short form by substring', '事后', disclosure, undefined, '事后公示'],
  ])('%s', (_name, raw, values, aliases, expected) => {
    expect(parseEnum(raw, values, aliases)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, RawValue, readonly string[], string]>([
    ['fails a value not listed', '待定', litigation, '“待定”不在可选值内（可选：行政复议、行政诉讼）'],
    ['fails an ambiguous short form', '行政', litigation, '“行政”不在可选值内（可选：行政复议、行政诉讼）'],
    ['fails a form several values contain', '调解', mediation, '“调解”不在可选值内（可选：调解成功、调解不成功、调解中）'],
    ['fails 过, which both 通过 and 未通过 contain', '过', exam, '“过”不在可选值内（可选：通过、未通过、未参加）'],
    ['does not read 没通过 as 通过', '没通过', exam, '“没通过”不在可选值内（可选：通过、未通过、未参加）'],
  ])('%s', (_name, raw, values, reason) => {
    expect(reasonOf(parseEnum(raw, values))).toBe(reason);
  });
});
