/**
 * Workbooks built part by part, for what the writer libraries never write but real files hold:
 * namespace prefixes on every element, Strict OOXML namespaces, rows and cells without `r`,
 * inline and rich-text strings with phonetic runs, CDATA, character references, CRLF inside
 * text, `_xHHHH_` escapes, `t="d"` dates, shared formulas, the 1904 date system, absolute part
 * names in relationships, embedded packages and OLE objects, and the zip layouts of
 * {@link ZipLayout}. Each variant carries its truth: the model Excel shows for it.
 */
import { zipSync } from 'fflate';
import { a1, bookModel, serialOf, type BookSpec, type CellSpec, type ModelCell, type ModelSheet } from './spec.ts';
import { PLAIN_ZIP, writeZip, type ZipLayout } from './zip-writer.ts';

export interface HandVariant {
  /** A prefix on every SpreadsheetML element (`x:`), the namespace bound to it. */
  readonly prefix: '' | 'x:';
  /** Strict OOXML (`http://purl.oclc.org/ooxml/…`) namespaces and relationship types. */
  readonly strict: boolean;
  /** Which elements omit their `r` attribute (then positional). */
  readonly omitR: 'none' | 'rows' | 'cells' | 'both';
  /** How text cells are written. */
  readonly strings: 'shared' | 'inline' | 'str';
  /** Text split into rich-text runs (`<r><rPr>…</rPr><t>…</t></r>`). */
  readonly rich: boolean;
  /** Phonetic runs (`<rPh>`) and properties after the text: never part of the value. */
  readonly phonetic: boolean;
  /** Every line break written as CR LF, as Windows programs do. */
  readonly crlf: boolean;
  /** Every non-ASCII character as a character reference (hex and decimal alternately). */
  readonly charRefs: boolean;
  /** Inline text in CDATA sections. */
  readonly cdata: boolean;
  /** An extra row of `_xHHHH_` escapes, `&#13;`, and a lone CR. */
  readonly escapes: boolean;
  /** Dates as serials with a date style, or as `t="d"` ISO text. */
  readonly dates: 'serial' | 'iso';
  readonly sharedFormulas: boolean;
  readonly absoluteTargets: boolean;
  /** Embedded workbook and OLE object parts, related from the sheet. */
  readonly embeddings: boolean;
  /** Indented XML, single-quoted attributes with spaces around `=`, a byte order mark. */
  readonly pretty: boolean;
  readonly zip: ZipLayout;
}

export const PLAIN_VARIANT: HandVariant = {
  prefix: '',
  strict: false,
  omitR: 'none',
  strings: 'shared',
  rich: false,
  phonetic: false,
  crlf: false,
  charRefs: false,
  cdata: false,
  escapes: false,
  dates: 'serial',
  sharedFormulas: false,
  absoluteTargets: false,
  embeddings: false,
  pretty: false,
  zip: PLAIN_ZIP,
};

const TRANSITIONAL = {
  main: 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  r: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  rel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
};
const STRICT = {
  main: 'http://purl.oclc.org/ooxml/spreadsheetml/main',
  r: 'http://purl.oclc.org/ooxml/officeDocument/relationships',
  rel: 'http://purl.oclc.org/ooxml/officeDocument/relationships',
};
const PACKAGE_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CONTENT_TYPES = 'http://schemas.openxmlformats.org/package/2006/content-types';

/** Extra cells of the `escapes` variant: XML as written, and what Excel shows. */
const ESCAPES: readonly (readonly [string, string])[] = [
  ['第一行_x000D_\n第二行', '第一行\r\n第二行'],
  ['字面的 _x005F_x000D_ 不是回车', '字面的 _x000D_ 不是回车'],
  ['回车&#13;换行&#10;结束', '回车\r换行\n结束'],
  ['孤立\r回车', '孤立\n回车'],
  ['_x0041__x4E2D_ &#x1F600; &#20013; &#x2A6A5;', 'A中 😀 中 𪚥'],
  ['tab\tand  two spaces ', 'tab\tand  two spaces '],
];

/** The workbook's bytes and the model Excel shows for it. */
export function handBuilt(book: BookSpec, v: HandVariant): { bytes: Buffer; truth: { sheets: ModelSheet[] } } {
  const ns = v.strict ? STRICT : TRANSITIONAL;
  const p = v.prefix;
  const q = (s: string): string => (v.pretty ? `'${s.replace(/'/g, '&apos;')}'` : `"${s}"`);
  const at = (name: string, value: string): string => (v.pretty ? ` ${name} = ${q(value)}` : ` ${name}=${q(value)}`);
  const nl = v.pretty ? '\n' : '';
  const indent = (n: number): string => (v.pretty ? '  '.repeat(n) : '');
  const bom = v.pretty ? '\uFEFF' : '';
  const decl = `${bom}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n`;
  const rootNs = p === '' ? ` xmlns="${ns.main}"` : ` xmlns:${p.slice(0, -1)}="${ns.main}"`;

  const truth = bookModel(book);
  const shared: string[] = [];
  const sharedIndex = new Map<string, number>();

  /** Text content as written: escaped, CRLF, character references. */
  const text = (s: string): string => {
    let out = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    if (v.crlf) out = out.replace(/\n/g, '\r\n');
    if (v.charRefs) {
      let n = 0;
      out = out.replace(/[^\x00-\x7f]/gu, (ch) => {
        const code = ch.codePointAt(0) ?? 0;
        return n++ % 2 === 0 ? `&#x${code.toString(16).toUpperCase()};` : `&#${code};`;
      });
    }
    return out;
  };
  /** `<t>` with `xml:space` when it matters (always, when pretty). */
  const t = (s: string, raw = false): string => {
    const space = v.pretty || /^\s|\s$|\n/.test(s) ? ' xml:space="preserve"' : '';
    const body = raw ? s : v.cdata && !s.includes(']]>') ? `<![CDATA[${v.crlf ? s.replace(/\n/g, '\r\n') : s}]]>` : text(s);
    return `<${p}t${space}>${body}</${p}t>`;
  };
  /** The inner XML of an `<si>` or `<is>`. */
  const stringItem = (s: string, raw = false): string => {
    let inner: string;
    if (v.rich && !raw) {
      const chars = [...s];
      const cut1 = Math.floor(chars.length / 3);
      const cut2 = Math.floor((2 * chars.length) / 3);
      const runs = [chars.slice(0, cut1), chars.slice(cut1, cut2), chars.slice(cut2)].map((c) => c.join('')).filter((r) => r !== '');
      inner = runs
        .map((r, i) => `<${p}r>${i === 1 ? `<${p}rPr><${p}b/><${p}sz val="11"/><${p}rFont val="宋体"/></${p}rPr>` : ''}${t(r)}</${p}r>`)
        .join('');
      if (runs.length === 0) inner = t('');
    } else {
      inner = t(s, raw);
    }
    if (v.phonetic) inner += `<${p}rPh sb="0" eb="1"><${p}t>チョウ</${p}t></${p}rPh><${p}phoneticPr fontId="1" type="noConversion"/>`;
    return inner;
  };
  const sharedRef = (xml: string): number => {
    let i = sharedIndex.get(xml);
    if (i === undefined) {
      i = shared.length;
      shared.push(xml);
      sharedIndex.set(xml, i);
    }
    return i;
  };

  const stringCell = (ref: string, s: string, raw = false): string => {
    if (v.strings === 'shared') return `<${p}c${ref}${at('t', 's')}><${p}v>${sharedRef(stringItem(s, raw))}</${p}v></${p}c>`;
    if (v.strings === 'inline') return `<${p}c${ref}${at('t', 'inlineStr')}><${p}is>${stringItem(s, raw)}</${p}is></${p}c>`;
    return `<${p}c${ref}${at('t', 'str')}><${p}v>${raw ? s : text(s)}</${p}v></${p}c>`;
  };
  const cellXml = (ref: string, cell: CellSpec, formula?: string): string => {
    const f = formula ?? '';
    switch (cell.t) {
      case 's':
        if (formula !== undefined) return `<${p}c${ref}${at('t', 'str')}>${f}<${p}v>${text(cell.v)}</${p}v></${p}c>`;
        return stringCell(ref, cell.v);
      case 'n':
        return `<${p}c${ref}>${f}<${p}v>${cell.v}</${p}v></${p}c>`;
      case 'b':
        return `<${p}c${ref}${at('t', 'b')}>${f}<${p}v>${cell.v ? 1 : 0}</${p}v></${p}c>`;
      case 'e':
        return `<${p}c${ref}${at('t', 'e')}>${f}<${p}v>${text(cell.v)}</${p}v></${p}c>`;
      case 'd': {
        const style = cell.v.length > 10 ? '2' : shared.length % 2 === 0 ? '1' : '3';
        if (v.dates === 'iso') return `<${p}c${ref}${at('s', style)}${at('t', 'd')}>${f}<${p}v>${cell.v}</${p}v></${p}c>`;
        return `<${p}c${ref}${at('s', style)}>${f}<${p}v>${serialOf(cell.v, book.date1904)}</${p}v></${p}c>`;
      }
      case 'f':
        return cellXml(ref, cell.cached, `<${p}f>${text(cell.f)}</${p}f>`);
    }
  };

  const files: [string, string | Uint8Array][] = [];
  const sheetEntries: string[] = [];
  const workbookRels: string[] = [];
  const target = (path: string): string => (v.absoluteTargets ? `/xl/${path}` : path);
  book.sheets.forEach((sheet, s) => {
    const rows: string[] = [];
    const allRows = sheet.rows.map((r) => r as readonly (CellSpec | null)[]);
    const extra: (readonly [string, string])[] = s === 0 && v.escapes ? [...ESCAPES] : [];
    const sheetTruth = truth.sheets[s] as { cells: Record<string, ModelCell> };
    // Positional cells need every cell up to the last written, so blanks are `<c/>`.
    const positionalCells = v.omitR === 'cells' || v.omitR === 'both';
    const positionalRows = v.omitR === 'rows' || v.omitR === 'both';
    let sharedMaster = false;
    allRows.forEach((row, r) => {
      const cells: string[] = [];
      let lastWritten = -1;
      row.forEach((cell, c) => {
        if (cell !== null) lastWritten = c;
      });
      row.forEach((cell, c) => {
        if (c > lastWritten) return;
        const ref = positionalCells ? '' : at('r', a1(c, r + 1));
        if (cell === null) {
          if (positionalCells) cells.push(`<${p}c${at('s', '0')}/>`);
          else if (c % 3 === 0) cells.push(`<${p}c${ref}${at('s', '4')}/>`);
          return;
        }
        if (cell.t === 'f' && v.sharedFormulas) {
          const f = sharedMaster
            ? `<${p}f${at('t', 'shared')}${at('si', '0')}/>`
            : `<${p}f${at('t', 'shared')}${at('ref', `A${r + 1}:H${r + 1}`)}${at('si', '0')}>${text(cell.f)}</${p}f>`;
          sharedMaster = true;
          cells.push(cellXml(ref, cell.cached, f));
          return;
        }
        cells.push(cellXml(ref, cell));
      });
      if (cells.length === 0 && positionalRows) cells.push(`<${p}c${at('s', '4')}/>`);
      if (cells.length === 0) return;
      const rowRef = positionalRows ? '' : at('r', String(r + 1));
      rows.push(`${indent(2)}<${p}row${rowRef}${at('spans', '1:8')}>${nl}${cells.map((c) => `${indent(3)}${c}`).join(nl)}${nl}${indent(2)}</${p}row>`);
    });
    if (extra.length > 0) {
      const r = allRows.length + 1;
      const rowRef = positionalRows ? '' : at('r', String(r));
      const cells = extra.map(([xml, shown], c) => {
        sheetTruth.cells[a1(c, r)] = ['s', shown];
        return stringCell(positionalCells ? '' : at('r', a1(c, r)), xml, true);
      });
      rows.push(`<${p}row${rowRef}>${cells.join('')}</${p}row>`);
      // Times of day: a time format (h:mm, built-in 20) and a date format on a serial below 1.
      const rt = r + 1;
      const epochDay = book.date1904 ? '1904-01-01' : '1899-12-31';
      const times: [string, string, ModelCell][] = [
        ['5', '0.5', ['n', 0.5]],
        ['1', '0.25', ['d', `${epochDay}T06:00:00`]],
      ];
      const timeCells = times.map(([style, serial, shown], c) => {
        sheetTruth.cells[a1(c, rt)] = shown;
        return `<${p}c${positionalCells ? '' : at('r', a1(c, rt))}${at('s', style)}><${p}v>${serial}</${p}v></${p}c>`;
      });
      rows.push(`<${p}row${positionalRows ? '' : at('r', String(rt))}>${timeCells.join('')}</${p}row>`);
    }
    const merges = sheet.merges.length === 0 ? '' : `<${p}mergeCells${at('count', String(sheet.merges.length))}>${sheet.merges.map((m) => `<${p}mergeCell${at('ref', m)}/>`).join('')}</${p}mergeCells>`;
    const ole = v.embeddings && s === 0
      ? `<${p}oleObjects><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x14"><${p}oleObject progId="Excel.Sheet.12" shapeId="1025" r:id="rIdE1"/></mc:Choice></mc:AlternateContent></${p}oleObjects>`
      : '';
    const xml =
      `${decl}<${p}worksheet${rootNs} xmlns:r="${ns.r}">${nl}` +
      `<${p}dimension${at('ref', 'A1:H40')}/><${p}sheetViews><${p}sheetView${at('workbookViewId', '0')}/></${p}sheetViews>` +
      `<${p}sheetFormatPr${at('defaultRowHeight', '15')}/><${p}cols><${p}col min="1" max="8" width="12" customWidth="1"/></${p}cols>${nl}` +
      `${indent(1)}<${p}sheetData>${nl}${rows.join(nl)}${nl}${indent(1)}</${p}sheetData>${nl}${merges}` +
      `<${p}pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>${ole}</${p}worksheet>`;
    const part = `worksheets/sheet${s + 1}.xml`;
    files.push([`xl/${part}`, xml]);
    if (v.embeddings && s === 0) {
      files.push([
        'xl/worksheets/_rels/sheet1.xml.rels',
        `${decl}<Relationships xmlns="${PACKAGE_RELS}"><Relationship Id="rIdE1" Type="${ns.rel}/package" Target="../embeddings/Microsoft_Excel_Worksheet1.xlsx"/>` +
          `<Relationship Id="rIdE2" Type="${ns.rel}/oleObject" Target="../embeddings/oleObject1.bin"/></Relationships>`,
      ]);
    }
    workbookRels.push(`<Relationship Id="rId${s + 1}" Type="${ns.rel}/worksheet" Target="${target(part)}"/>`);
    const state = sheet.state === 'visible' ? '' : at('state', sheet.state);
    sheetEntries.push(`<${p}sheet${at('name', attr(sheet.name))}${at('sheetId', String(s + 1))}${state} r:id="rId${s + 1}"/>`);
  });
  const n = book.sheets.length;
  workbookRels.push(`<Relationship Id="rId${n + 1}" Type="${ns.rel}/styles" Target="${target('styles.xml')}"/>`);
  if (shared.length > 0) workbookRels.push(`<Relationship Id="rId${n + 2}" Type="${ns.rel}/sharedStrings" Target="${target('sharedStrings.xml')}"/>`);
  files.push([
    'xl/workbook.xml',
    `${decl}<${p}workbook${rootNs} xmlns:r="${ns.r}"><${p}workbookPr${book.date1904 ? at('date1904', '1') : ''}${at('defaultThemeVersion', '124226')}/>` +
      `<${p}bookViews><${p}workbookView${at('activeTab', '0')}/></${p}bookViews><${p}sheets>${sheetEntries.join('')}</${p}sheets></${p}workbook>`,
  ]);
  files.push(['xl/_rels/workbook.xml.rels', `${decl}<Relationships xmlns="${PACKAGE_RELS}">${workbookRels.join('')}</Relationships>`]);
  files.push([
    'xl/styles.xml',
    `${decl}<${p}styleSheet${rootNs}><${p}numFmts${at('count', '2')}><${p}numFmt${at('numFmtId', '164')}${at('formatCode', 'yyyy-mm-dd hh:mm:ss')}/>` +
      `<${p}numFmt${at('numFmtId', '165')}${at('formatCode', 'yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;')}/></${p}numFmts>` +
      `<${p}fonts${at('count', '1')}><${p}font><${p}sz val="11"/><${p}name val="宋体"/></${p}font></${p}fonts>` +
      `<${p}fills${at('count', '1')}><${p}fill><${p}patternFill patternType="none"/></${p}fill></${p}fills>` +
      `<${p}borders${at('count', '1')}><${p}border/></${p}borders><${p}cellStyleXfs${at('count', '1')}><${p}xf numFmtId="0"/></${p}cellStyleXfs>` +
      `<${p}cellXfs${at('count', '6')}><${p}xf${at('numFmtId', '0')}/><${p}xf${at('numFmtId', '14')} applyNumberFormat="1"/>` +
      `<${p}xf${at('numFmtId', '164')} applyNumberFormat="1"/><${p}xf${at('numFmtId', '165')} applyNumberFormat="1"/><${p}xf${at('numFmtId', '0')}/><${p}xf${at('numFmtId', '20')} applyNumberFormat="1"/></${p}cellXfs></${p}styleSheet>`,
  ]);
  if (shared.length > 0) {
    files.push([
      'xl/sharedStrings.xml',
      `${decl}<${p}sst${rootNs}${at('count', String(shared.length))}${at('uniqueCount', String(shared.length))}>${nl}${shared.map((s) => `<${p}si>${s}</${p}si>`).join(nl)}</${p}sst>`,
    ]);
  }
  if (v.embeddings) {
    files.push(['xl/embeddings/Microsoft_Excel_Worksheet1.xlsx', embeddedWorkbook()]);
    files.push(['xl/embeddings/oleObject1.bin', oleBytes()]);
  }
  const overrides = [
    ['/xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'],
    ['/xl/styles.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml'],
    ...book.sheets.map((_, s) => [`/xl/worksheets/sheet${s + 1}.xml`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml']),
    ...(shared.length > 0 ? [['/xl/sharedStrings.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml']] : []),
  ];
  const contentTypes =
    `${decl}<Types xmlns="${CONTENT_TYPES}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/><Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>` +
    `<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>` +
    overrides.map(([name, type]) => `<Override PartName="${name}" ContentType="${type}"/>`).join('') +
    '</Types>';
  const officeDocument = v.strict ? 'http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument' : `${TRANSITIONAL.rel}/officeDocument`;
  const rootRels = `${decl}<Relationships xmlns="${PACKAGE_RELS}"><Relationship Id="rId1" Type="${officeDocument}" Target="${v.absoluteTargets ? '/xl/workbook.xml' : 'xl/workbook.xml'}"/></Relationships>`;
  const ordered: [string, string | Uint8Array][] = [['[Content_Types].xml', contentTypes], ['_rels/.rels', rootRels], ...files];
  return { bytes: writeZip(ordered, v.zip), truth };
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** A small workbook of its own, as Excel embeds one (a zip inside the zip). */
function embeddedWorkbook(): Uint8Array {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  return zipSync({
    '[Content_Types].xml': enc(`<?xml version="1.0"?><Types xmlns="${CONTENT_TYPES}"/>`),
    'xl/workbook.xml': enc(`<workbook xmlns="${TRANSITIONAL.main}"><sheets/></workbook>`),
  });
}

/** The first bytes of an OLE compound file (an embedded Word document, say) and some payload. */
function oleBytes(): Uint8Array {
  const b = Buffer.alloc(4096, 0x5a);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(b, 0);
  // What a zip scanner must not take for its own records.
  b.writeUInt32LE(0x06054b50, 1000);
  b.writeUInt32LE(0x02014b50, 2000);
  return b;
}
