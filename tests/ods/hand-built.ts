/**
 * OpenDocument spreadsheets written straight as XML (zipped by jszip), for what no converter
 * writes on request: LibreOffice's empty tail and a clerk's copied row as repeats, every kind
 * of text a paragraph holds, native booleans, and files cut short or hostile.
 */
import JSZip from 'jszip';

const NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ' +
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ' +
  'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"';

export const MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';

/** `content.xml` of the given tables (their XML) and automatic styles. */
export function contentXml(tables: string, styles = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content ${NS}><office:automatic-styles>${styles}</office:automatic-styles><office:body><office:spreadsheet>${tables}</office:spreadsheet></office:body></office:document-content>`;
}

/** An .ods package: `mimetype` first and stored, as ODF requires, then the parts. */
export async function odsPackage(content: string, extra: Record<string, string> = {}, mimetype = MIMETYPE): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('mimetype', mimetype, { compression: 'STORE' });
  zip.file('content.xml', content);
  zip.file(
    'META-INF/manifest.xml',
    `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mimetype}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
  );
  for (const [name, text] of Object.entries(extra)) zip.file(name, text);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const cell = (attrs: string, text?: string) => `<table:table-cell ${attrs}>${text === undefined ? '' : `<text:p>${text}</text:p>`}</table:table-cell>`;
const str = (text: string) => cell('office:value-type="string" calcext:value-type="string"', text);
const date = (d: string) => cell(`office:value-type="date" office:date-value="${d}"`, d);
const empty = (n: number) => `<table:table-cell table:number-columns-repeated="${n}"/>`;
const row = (cells: string, attrs = '') => `<table:table-row ${attrs}>${cells}</table:table-row>`;

/**
 * A 调解台账 as LibreOffice saves one, by hand: its empty tail (a row repeated to the sheet's
 * 1,048,576th, each 16,384 cells wide), a row a clerk copied 5 times (one row repeated), an
 * empty row repeated between the data, rows wrapped in header and group elements, and cells of
 * every kind a paragraph holds.
 */
export function repeatsContent(): string {
  const header = ['受理日期', '当事人', '纠纷类型', '调解结果', '结案日期', '备注'].map(str).join('');
  const data = (d: string, who: string) => date(d) + str(who) + str('邻里纠纷') + str('调解成功') + date(d) + empty(16_378);
  const rows = [
    `<table:table-header-rows>${row(header + empty(16_378))}</table:table-header-rows>`,
    row(data('2020-03-05', '张三')),
    // A copied row, written once (as LibreOffice writes identical rows).
    row(data('2020-04-01', '李四'), 'table:number-rows-repeated="5"'),
    // Two empty rows inside the data.
    row(empty(16_384), 'table:number-rows-repeated="2"'),
    `<table:table-row-group>${row(data('2020-05-06', '王五'))}<table:table-rows>${row(data('2020-06-07', '赵六'), 'table:visibility="filter"')}</table:table-rows></table:table-row-group>`,
    // Every kind of text: repeated spaces, a tab, a line break, spans, a link, two paragraphs, a comment and a shape that are not the text.
    row(
      date('2020-07-08T10:00:00') +
        cell('office:value-type="string"', '钱<text:s text:c="3"/>七<text:tab/>甲<text:line-break/>乙<text:span>丙</text:span><text:a xlink:href="http://x">丁</text:a>') +
        `<table:table-cell office:value-type="string"><office:annotation><dc:creator>审核人</dc:creator><text:p>批注不是内容</text:p></office:annotation><text:p>第一段</text:p><text:p>第二段</text:p><draw:frame><draw:text-box><text:p>图形里的字</text:p></draw:text-box></draw:frame></table:table-cell>` +
        cell('office:value-type="boolean" office:boolean-value="true"', 'TRUE') +
        cell('office:value-type="time" office:time-value="PT36H00M00S"', '36:00:00') +
        cell('office:value-type="percentage" office:value="0.25"', '25%') +
        cell('table:formula="of:=[.Z1]" office:value-type="float" office:value="0"', 'Err:502') +
        empty(16_377),
    ),
    row(empty(16_384), 'table:number-rows-repeated="1048565"'),
    row(empty(16_384)),
  ];
  return contentXml(
    `<table:table table:name="调解台账" table:style-name="ta1"><table:table-column table:number-columns-repeated="16384"/>${rows.join('')}</table:table>` +
      `<table:table table:name="旧表" table:style-name="ta2">${row(str('草稿'))}</table:table>`,
    '<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>' +
      '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>',
  ).replace(`<office:document-content ${NS}`, `<office:document-content ${NS} xmlns:xlink="http://www.w3.org/1999/xlink"`);
}

/** A sheet of one row of `cells` content cells, repeated `times` times: what a few bytes can claim. */
export function repeatedRowContent(times: number, cells = 1): string {
  return contentXml(`<table:table table:name="表1">${row(cell(`office:value-type="string" table:number-columns-repeated="${cells}"`, '复制'), `table:number-rows-repeated="${times}"`)}</table:table>`);
}

/** A sheet whose one value cannot be what its type says. */
export function badValueContent(): string {
  return contentXml(`<table:table table:name="表1">${row(str('数量') + cell('office:value-type="float" office:value="abc"', 'abc'))}</table:table>`);
}

