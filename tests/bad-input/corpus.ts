/**
 * The bad-input corpus: every kind of file a department's computer can send that is not a
 * clean ledger. Each case is a named function building its bytes (or, for what lives in the
 * file system rather than in bytes — a link, a pipe, a name that is not UTF-8 — placing itself
 * in its folder). The name is the scenario and the file name. tests/bad-input.test.ts runs each
 * through the pipeline beside a valid ledger and asserts the exact finding or the exact read.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { writeLedgerWorkbook, type CellInput, type SheetSpec } from '../../demo/ledger-workbook.ts';
import { compoundFile, deflatedSpaces, handWorkbook, num, row, str, WORKSHEET_NS, zip } from './containers.ts';
import { TMP } from './run-inbox.ts';

export type CorpusGroup = 'frictionless' | 'files' | 'sheets' | 'safety';

/** Bytes to write under the case's name, or a placement of its own returning the file's name. */
export type Built = Buffer | { readonly place: (folder: string) => Promise<string> };

export interface CorpusCase {
  /** The scenario, and the file's name: `csv-utf16le-with-bom.csv`. */
  readonly name: string;
  readonly group: CorpusGroup;
  readonly build: () => Promise<Built>;
}

/** A UTC-midnight date, as the workbook builder wants them. */
const D = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));

export const SERVICE = ['日期', '村居', '服务类别', '人次'];
export const PUBLICITY = ['日期', '活动名称', '形式', '参与人数'];
export const PENALTY = ['案件编号', '立案日期', '当事人', '法制审核日期'];

/** An xlsx written by exceljs (the demo's workbook builder), as bytes. */
async function workbook(sheets: SheetSpec[]): Promise<Buffer> {
  const path = join(TMP, `corpus-${randomBytes(6).toString('hex')}.xlsx`);
  await mkdir(TMP, { recursive: true });
  try {
    await writeLedgerWorkbook(path, sheets);
    return await readFile(path);
  } finally {
    await rm(path, { force: true });
  }
}

/** A 公共法律服务 sheet, header in row 1, data from row 2. */
function service(rows: CellInput[][], extra: Partial<SheetSpec> = {}): SheetSpec {
  return { name: '法律服务', header: SERVICE, rows, ...extra };
}

/** Three valid consultations: 12 + 3 + 5 人次. */
const SERVICE_ROWS: CellInput[][] = [
  [D(2020, 3, 5), '安定村', '法律咨询', 12],
  [D(2020, 4, 6), '东庄村', '法律咨询', 3],
  [D(2020, 5, 7), '西庄村', '法律援助咨询', 5],
];

const SERVICE_CSV = '日期,村居,服务类别,人次\r\n2020-03-05,安定村,法律咨询,12\r\n2020/4/6,东庄村,法律咨询,3\r\n2020年5月7日,西庄村,法律援助咨询,5\r\n';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

const c = (name: string, group: CorpusGroup, build: () => Built | Promise<Built>): CorpusCase => ({
  name,
  group,
  build: async () => build(),
});

// ---- Frictionless error types, as they occur in ledgers --------------------------------------

const frictionless: CorpusCase[] = [
  c('header-blank-over-required-column.xlsx', 'frictionless', () =>
    workbook([service(SERVICE_ROWS.slice(0, 2), { header: ['日期', '村居', '服务类别', ''] })]),
  ),
  c('header-duplicate-label.xlsx', 'frictionless', () =>
    workbook([service([[D(2020, 3, 5), '安定村', '法律咨询', 12, 99]], { header: [...SERVICE, '人次'] })]),
  ),
  c('row-missing-cell.csv', 'frictionless', () => utf8('日期,村居,服务类别,人次\r\n2020-03-05,安定村,法律咨询,12\r\n2020-03-06,东庄村\r\n')),
  c('row-extra-cell.csv', 'frictionless', () => utf8('日期,村居,服务类别,人次\r\n2020-03-05,安定村,法律咨询,12,多余的一格\r\n2020-03-06,东庄村,法律咨询,3\r\n')),
  c('blank-rows-inside-data.xlsx', 'frictionless', () =>
    workbook([service([SERVICE_ROWS[0] ?? [], [], [], SERVICE_ROWS[1] ?? [], [], SERVICE_ROWS[2] ?? []])]),
  ),
  c('type-error-impossible-date.xlsx', 'frictionless', () =>
    workbook([service([SERVICE_ROWS[0] ?? [], ['2020-13-45', '东庄村', '法律咨询', 3]])]),
  ),
  c('constraint-error-negative-visits.xlsx', 'frictionless', () =>
    workbook([service([SERVICE_ROWS[0] ?? [], [D(2020, 4, 6), '东庄村', '法律咨询', -5]])]),
  ),
  // 1E+20 typed into a count: a whole number, but beyond what a count (or a BIGINT) can hold.
  c('constraint-error-visits-beyond-any-count.xlsx', 'frictionless', () =>
    workbook([service([SERVICE_ROWS[0] ?? [], [D(2020, 4, 6), '东庄村', '法律咨询', 1e20]])]),
  ),
  c('unique-error-key-twice-in-sheet.xlsx', 'frictionless', () =>
    workbook([
      {
        name: '处罚案件',
        header: PENALTY,
        rows: [
          ['安综执罚〔2020〕1号', D(2020, 4, 1), '甲商户', D(2020, 4, 3)],
          ['安综执罚〔2020〕2号', D(2020, 4, 2), '乙商户', D(2020, 4, 4)],
          ['安综执罚〔2020〕1号', D(2020, 4, 9), '丙商户', D(2020, 4, 10)],
        ],
      },
    ]),
  ),
  c('primary-key-empty.xlsx', 'frictionless', () =>
    workbook([
      {
        name: '处罚案件',
        header: PENALTY,
        rows: [
          ['安综执罚〔2020〕7号', D(2020, 4, 1), '甲商户', D(2020, 4, 3)],
          [null, D(2020, 4, 2), '乙商户', D(2020, 4, 4)],
        ],
      },
    ]),
  ),
  c('duplicate-row-without-key.xlsx', 'frictionless', () =>
    workbook([
      {
        name: '普法宣传',
        header: PUBLICITY,
        rows: [
          [D(2020, 6, 1), '重复行-宪法宣传', '讲座', 40],
          [D(2020, 6, 1), '重复行-宪法宣传', '讲座', 40],
        ],
      },
    ]),
  ),
  c('truncated-value-32767-characters.xlsx', 'frictionless', () =>
    workbook([{ name: '普法宣传', header: PUBLICITY, rows: [[D(2020, 6, 2), `长文本${'法'.repeat(32_767 - 3)}`, '展板', 10]] }]),
  ),
  c('csv-cut-off-inside-a-quoted-cell.csv', 'frictionless', () => utf8('日期,村居,服务类别,人次\r\n2020-03-05,安定村,法律咨询,12\r\n2020-03-06,"东庄')),
];

// ---- Files: containers, formats, encodings ------------------------------------------------------

const validServiceWorkbook = () => workbook([service(SERVICE_ROWS)]);

const files: CorpusCase[] = [
  c('zip-corrupt-central-directory.xlsx', 'files', async () => {
    const bytes = Buffer.from(await validServiceWorkbook());
    // Every central directory header's signature overwritten: the entries cannot be found.
    for (let i = bytes.indexOf('PK\x01\x02'); i >= 0; i = bytes.indexOf('PK\x01\x02', i + 4)) bytes.write('XX', i);
    return bytes;
  }),
  c('xlsx-truncated-at-half.xlsx', 'files', async () => {
    const bytes = await validServiceWorkbook();
    return bytes.subarray(0, Math.floor(bytes.length / 2));
  }),
  c('zero-bytes.xlsx', 'files', () => Buffer.alloc(0)),
  c('password-protected-encrypted-package.xlsx', 'files', () =>
    compoundFile([
      { name: 'EncryptionInfo', data: Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]) },
      { name: 'EncryptedPackage', data: randomBytes(4096) },
    ]),
  ),
  c('legacy-excel-97-2003.xls', 'files', () =>
    // A BIFF8 BOF record (0x0809) at the start of the Workbook stream.
    compoundFile([{ name: 'Workbook', data: Buffer.from([0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00]) }]),
  ),
  c('xlsm-with-macros.xlsm', 'files', () =>
    handWorkbook(
      [
        {
          name: '法律服务',
          xml:
            row(1, SERVICE.map((h, i) => str(`${'ABCD'[i]}1`, h))) +
            row(2, [num('A2', 43895, 1), str('B2', '宏村'), str('C2', '法律咨询'), num('D2', 7)]),
        },
      ],
      {
        contentType: 'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
        // A VBA project whose Auto_Open would create a file, were macros ever run.
        extra: [
          {
            name: 'xl/vbaProject.bin',
            data: compoundFile([{ name: 'VBA', data: utf8('Sub Auto_Open()\r\n  Open "/tmp/tally-macro-ran" For Output As #1\r\nEnd Sub\r\n') }]),
          },
        ],
      },
    ),
  ),
  c('wps-et-that-is-a-zip.et', 'files', validServiceWorkbook),
  c('text-file-renamed.xlsx', 'files', () => utf8('这是一份工作总结，不是表格。\r\n请查收。\r\n')),
  c('word-document-renamed.xlsx', 'files', () =>
    zip([
      { name: '[Content_Types].xml', data: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
      { name: 'word/document.xml', data: '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>' },
    ]),
  ),
  c('csv-gbk.csv', 'files', () => iconv.encode(SERVICE_CSV, 'gbk')),
  // 𡒄 (U+21484) and 䶮 (U+4DAE) exist in GB18030 only as four-byte sequences, not in GBK.
  c('csv-gb18030-four-byte-characters.csv', 'files', () =>
    iconv.encode('日期,村居,服务类别,人次\r\n2020-03-05,𡒄村,法律咨询,4\r\n2020-03-06,䶮庄,法律咨询,6\r\n', 'gb18030'),
  ),
  c('csv-utf16le-with-bom.csv', 'files', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SERVICE_CSV.replace(/,/g, '\t'), 'utf16le')])),
  c('csv-utf16be-with-bom.csv', 'files', () =>
    Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(SERVICE_CSV, 'utf16le').swap16()]),
  ),
  c('csv-utf8-with-bom.csv', 'files', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(SERVICE_CSV)])),
  c('csv-semicolon-separated.csv', 'files', () => utf8(SERVICE_CSV.replace(/,/g, ';'))),
  c('csv-tab-separated.csv', 'files', () => utf8(SERVICE_CSV.replace(/,/g, '\t'))),
  c('csv-ragged-rows.csv', 'files', () =>
    utf8('日期,活动名称,形式,参与人数\r\n2020-07-01,参差行-宪法宣传\r\n2020-07-02,参差行-民法典宣传,讲座,30,,\r\n2020-07-03,参差行-禁毒宣传,展板\r\n'),
  ),
  c('csv-quoted-line-breaks.csv', 'files', () =>
    utf8('日期,活动名称,形式,参与人数\r\n2020-08-01,"换行-宪法宣传\r\n进村入户","讲座,展板",25\r\n2020-08-02,"换行-""民法典""宣传",展板,8\r\n'),
  ),
];

// ---- Sheets: layouts and cell contents ------------------------------------------------------------

const header = (r: number, labels: readonly string[], first = 0): string =>
  row(r, labels.map((h, i) => str(`${columnName(first + i)}${r}`, h)));

function columnName(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const sheets: CorpusCase[] = [
  c('hidden-sheet-holding-a-ledger.xlsx', 'sheets', () =>
    workbook([{ name: '封面', header: [], rows: [] }, { ...service(SERVICE_ROWS), name: '隐藏的台账', state: 'hidden' }]),
  ),
  c('hidden-lookup-sheet.xlsx', 'sheets', () =>
    workbook([service(SERVICE_ROWS), { name: '下拉选项', header: ['服务类别选项'], rows: [['法律咨询'], ['法律援助咨询']], state: 'hidden' }]),
  ),
  c('very-wide-sheet-2000-columns.xlsx', 'sheets', () => {
    const labels = ['日期', '活动名称', ...Array.from({ length: 1997 }, (_, i) => `备注${i + 1}`), '参与人数'];
    const rows: CellInput[][] = [1, 2].map((n) => [D(2020, 9, n), `宽表-活动${n}`, ...Array.from({ length: 1997 }, (_, i) => `注${i}`), 10 * n]);
    return workbook([{ name: '宽表', header: labels, rows }]);
  }),
  c('sheet-last-row-1048576.xlsx', 'sheets', () =>
    handWorkbook([
      {
        name: '法律服务',
        xml:
          header(1, SERVICE) +
          row(2, [num('A2', 43895, 1), str('B2', '安定村'), str('C2', '法律咨询'), num('D2', 2)]) +
          row(1_048_576, [num('A1048576', 43896, 1), str('B1048576', '末行村'), str('C1048576', '法律咨询'), num('D1048576', 9)]),
      },
    ]),
  ),
  c('data-starting-at-row-5000.xlsx', 'sheets', () =>
    handWorkbook([
      {
        name: '法律服务',
        xml:
          header(4999, SERVICE) +
          row(5000, [num('A5000', 43895, 1), str('B5000', '安定村'), str('C5000', '法律咨询'), num('D5000', 11)]) +
          row(5001, [num('A5001', 43896, 1), str('B5001', '东庄村'), str('C5001', '法律援助咨询'), num('D5001', 1)]),
      },
    ]),
  ),
  c('two-ledgers-side-by-side.xlsx', 'sheets', () =>
    workbook([
      {
        name: '两表并排',
        header: [...SERVICE, '', ...PUBLICITY],
        rows: [
          [D(2020, 3, 5), '安定村', '法律咨询', 12, null, D(2020, 3, 8), '并排-宪法宣传', '讲座', 50],
          [D(2020, 4, 6), '东庄村', '法律咨询', 3, null, D(2020, 4, 9), '并排-民法典宣传', '展板', 20],
          [null, null, null, null, null, D(2020, 5, 1), '并排-禁毒宣传', '讲座', 30],
        ],
      },
    ]),
  ),
  c('formula-without-cached-value.xlsx', 'sheets', () =>
    handWorkbook([
      {
        name: '法律服务',
        xml:
          header(1, SERVICE) +
          row(2, [num('A2', 43895, 1), str('B2', '安定村'), str('C2', '法律咨询'), '<c r="D2"><f>3*4</f></c>']) +
          row(3, [num('A3', 43896, 1), str('B3', '东庄村'), str('C3', '法律咨询'), '<c r="D3"><f>2+1</f><v></v></c>']) +
          row(4, [num('A4', 43897, 1), str('B4', '西庄村'), str('C4', '法律咨询'), num('D4', 5)]) +
          row(5, [str('A5', '合计'), '<c r="D5"><f>SUM(D2:D4)</f></c>']),
      },
    ]),
  ),
  c('formula-errors-ref-na-div0.xlsx', 'sheets', () =>
    workbook([
      service([
        [D(2020, 3, 5), '安定村', '法律咨询', 12],
        [D(2020, 3, 6), '东庄村', '法律咨询', { formula: 'Sheet2!A1', result: { error: '#REF!' } }],
        [D(2020, 3, 7), '西庄村', '法律咨询', { formula: 'VLOOKUP(B4,名单!A:B,2,0)', result: { error: '#N/A' } }],
        // The very last cell of the sheet.
        [D(2020, 3, 8), '南庄村', '法律咨询', { formula: 'D2/0', result: { error: '#DIV/0!' } }],
      ]),
    ]),
  ),
  c('merged-data-cells.xlsx', 'sheets', () =>
    workbook([
      service(
        [
          [D(2020, 3, 5), '安定村', '法律咨询', 1],
          [null, null, '法律咨询', 2],
          [null, null, '法律援助咨询', 3],
        ],
        { merges: ['A2:A4', 'B2:B4'] },
      ),
    ]),
  ),
  c('rich-text-cells.xlsx', 'sheets', () =>
    workbook([service([[D(2020, 3, 5), { richText: ['安定', '村'] }, { richText: ['法律', '咨询'] }, 6]])]),
  ),
  c('dates-as-text-every-form.xlsx', 'sheets', () => {
    const forms = ['2020-03-05', '2020/3/5', '2020.3.5', '2020年3月5日', '20200305', '3月5日', '２０２０－０３－０５', '二〇二〇年三月五日', '43895'];
    return workbook([{ name: '普法宣传', header: PUBLICITY, rows: forms.map((f, i) => [f, `日期文本-活动${i + 1}`, '讲座', 1]) }]);
  }),
  c('date-serials-including-60.xlsx', 'sheets', () =>
    workbook([
      {
        name: '普法宣传',
        header: PUBLICITY,
        rows: [
          [43895, '序列号-活动1', '讲座', 1],
          [D(2020, 12, 31), '序列号-活动2', '讲座', 1],
          [44196.5, '序列号-活动3', '讲座', 1],
          [60, '序列号-活动4', '讲座', 1],
        ],
      },
    ]),
  ),
  c('csv-wider-than-16384-columns.csv', 'sheets', () => {
    const wide = (cells: string[]): string => [...cells, ...Array.from({ length: 16_384 - cells.length }, () => ''), '溢出1', '溢出2'].join(',');
    return utf8(`${SERVICE.join(',')}\r\n${wide(['2020-03-05', '安定村', '法律咨询', '12'])}\r\n2020-03-06,东庄村,法律咨询,3\r\n`);
  }),
];

// ---- Safety: bombs, entities, paths, sizes, formula injection ---------------------------------------

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>`;
const EXTERNAL = `<?xml version="1.0"?>\n<!DOCTYPE root [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`;

const serviceRowsXml = (village: string): string =>
  header(1, SERVICE) + row(2, [num('A2', 43895, 1), str('B2', village), str('C2', '法律咨询'), num('D2', 1)]);

/** A workbook whose sheet (or shared strings, or workbook part) starts with a DOCTYPE. */
function withDoctype(where: 'sheet' | 'sharedStrings' | 'workbook', doctype: string, entity: string): Buffer {
  if (where === 'sheet') {
    return handWorkbook([{ name: '法律服务', xml: `${doctype}\n<worksheet ${WORKSHEET_NS}><sheetData>${serviceRowsXml(`&${entity};`)}</sheetData></worksheet>` }]);
  }
  if (where === 'sharedStrings') {
    const xml = header(1, SERVICE) + row(2, [num('A2', 43895, 1), '<c r="B2" t="s"><v>0</v></c>', str('C2', '法律咨询'), num('D2', 1)]);
    return handWorkbook([{ name: '法律服务', xml }], {
      sharedStrings: `${doctype}\n<sst ${WORKSHEET_NS} count="1" uniqueCount="1"><si><t>&${entity};</t></si></sst>`,
    });
  }
  return workbookPartWithDoctype(doctype);
}

/** xl/workbook.xml (read before anything else, for the sheet names) declaring the entity. */
function workbookPartWithDoctype(doctype: string): Buffer {
  return zip([
    { name: 'xl/workbook.xml', data: `${doctype}\n<workbook ${WORKSHEET_NS}><sheets><sheet name="&xxe;" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
    { name: 'xl/worksheets/sheet1.xml', data: `<worksheet ${WORKSHEET_NS}><sheetData>${serviceRowsXml('安定村')}</sheetData></worksheet>` },
  ]);
}

/** A workbook whose one sheet part is the given raw deflate data (a bomb). */
function bomb(declaredSize: number | undefined): Buffer {
  const spaces = deflatedSpaces(96); // 1.5 GB of spaces from about 1.5 MB
  return zip([
    { name: 'xl/workbook.xml', data: `<workbook ${WORKSHEET_NS}><sheets><sheet name="法律服务" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
    { name: 'xl/worksheets/sheet1.xml', data: '', deflated: spaces, ...(declaredSize === undefined ? {} : { declaredSize }) },
  ]);
}

/** The strings a spreadsheet would run as formulas if written as they are. */
export const FORMULA_LIKE = ['=1+2', '+1+2', '-1+2', '@SUM(A1)', '=HYPERLINK("http://evil.example","点我")'];

const safety: CorpusCase[] = [
  c('zip-bomb-1gb-declared.xlsx', 'safety', () => bomb(undefined)),
  c('zip-bomb-lying-central-directory.xlsx', 'safety', () => bomb(20_000)),
  c('xml-billion-laughs-in-sheet.xlsx', 'safety', () => withDoctype('sheet', BILLION_LAUGHS, 'lol9')),
  c('xml-billion-laughs-in-shared-strings.xlsx', 'safety', () => withDoctype('sharedStrings', BILLION_LAUGHS, 'lol9')),
  c('xml-external-entity-in-sheet.xlsx', 'safety', () => withDoctype('sheet', EXTERNAL, 'xxe')),
  c('xml-external-entity-in-shared-strings.xlsx', 'safety', () => withDoctype('sharedStrings', EXTERNAL, 'xxe')),
  c('xml-external-entity-in-workbook-part.xlsx', 'safety', () => withDoctype('workbook', EXTERNAL, 'xxe')),
  c('zip-entry-path-traversal.xlsx', 'safety', () =>
    zip([
      { name: '../../etc/passwd', data: 'root:x:0:0:root:/root:/bin/bash\n' },
      { name: 'xl/workbook.xml', data: `<workbook ${WORKSHEET_NS}><sheets/></workbook>` },
    ]),
  ),
  c('zip-entry-absolute-path.xlsx', 'safety', () =>
    zip([
      { name: '/etc/cron.d/tally', data: '* * * * * root touch /tmp/pwned\n' },
      { name: 'xl/workbook.xml', data: `<workbook ${WORKSHEET_NS}><sheets/></workbook>` },
    ]),
  ),
  // A name cannot hold `/` on this system; `\` and `..` it can. (A name starting with `.` is a
  // hidden file, ignored by decision: macOS's `._台账.xlsx` and `.DS_Store` are no submissions.)
  c('inbox-file-name-with-dotdot-backslashes', 'safety', async () => {
    const bytes = await validServiceWorkbook();
    return {
      place: async (folder) => {
        const name = '台账\\..\\..\\..\\etc\\passwd.xlsx';
        await writeFile(join(folder, name), bytes);
        return name;
      },
    };
  }),
  c('inbox-symlink-to-etc-passwd.xlsx', 'safety', () => ({
    place: async (folder) => {
      await symlink('/etc/passwd', join(folder, 'inbox-symlink-to-etc-passwd.xlsx'));
      return 'inbox-symlink-to-etc-passwd.xlsx';
    },
  })),
  c('inbox-file-name-in-gbk-bytes.csv', 'safety', () => ({
    place: async (folder) => {
      // 法律服务台账.csv as a zip made on a Chinese Windows names it: GBK bytes, not UTF-8.
      await writeFile(Buffer.concat([Buffer.from(`${folder}/`), iconv.encode('法律服务台账.csv', 'gbk')]), utf8(SERVICE_CSV));
      return '法律服务台账.csv';
    },
  })),
  c('inbox-named-pipe.xlsx', 'safety', () => ({
    place: async (folder) => {
      execFileSync('mkfifo', [join(folder, 'inbox-named-pipe.xlsx')]);
      return 'inbox-named-pipe.xlsx';
    },
  })),
  c('oversized-file.csv', 'safety', () => {
    // Over the 4 MB limit the safety inbox is run with: a valid CSV padded with blank lines.
    return Buffer.concat([utf8(SERVICE_CSV), Buffer.alloc(4.5 * 1024 * 1024, '\n')]);
  }),
  c('cells-starting-with-formula-characters.xlsx', 'safety', () =>
    workbook([service(FORMULA_LIKE.map((text, i) => [D(2020, 3, 5 + i), text, text, 1]))]),
  ),
];

export const CORPUS: readonly CorpusCase[] = [...frictionless, ...files, ...sheets, ...safety];
