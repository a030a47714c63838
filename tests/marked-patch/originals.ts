/** Originals for tests/marked-patch.test.ts written in TypeScript: by exceljs, and by hand (JSZip). */
import { writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A clerk's ledger as exceljs writes it (merges, a shared style, a formula, a note, a second sheet), with an image. */
export async function clerkWithImage(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('2020年');
  sheet.mergeCells('A1:E1');
  sheet.getCell('A1').value = '行政复议应诉案件台账';
  sheet.addRow(['案号', '案件类别', '收案日期', '负责人出庭', '人数']);
  const shared: Partial<ExcelJS.Style> = { font: { name: '宋体', size: 11 }, border: { top: { style: 'thin' } } };
  for (const values of [
    ['（2020）京0115行初1号', '行政诉讼', '2020-03-05', '是', 2],
    ['（2020）京0115行初2号', '行政诉讼', '2020-13-40', '否', 3],
    ['（2020）京0115行初3号', '行政复议', '2020-04-01', '是', 1],
  ]) {
    const row = sheet.addRow(values);
    row.eachCell((c) => (c.style = shared));
  }
  sheet.getCell('E6').value = { formula: 'SUM(E3:E5)', result: 6 };
  sheet.mergeCells('B8:D8');
  sheet.getCell('B8').value = '填报人：张三';
  sheet.getCell('A3').note = '原来的批注：核对过';
  sheet.getColumn(1).width = 24;
  sheet.getCell('B3').dataValidation = { type: 'list', allowBlank: true, formulae: ['"行政诉讼,行政复议"'] };
  const image = workbook.addImage({ buffer: PNG as unknown as ExcelJS.Buffer, extension: 'png' });
  sheet.addImage(image, 'G2:H4');
  workbook.addWorksheet('填表说明').getCell('A1').value = '请按规定填写';
  await workbook.xlsx.writeFile(path);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A minimal package with no styles part (inline strings only), as some generators write. */
export async function noStylesWorkbook(path: string): Promise<void> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
  );
  zip.file('_rels/.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  zip.file('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`);
  zip.file('xl/_rels/workbook.xml.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`);
  zip.file(
    'xl/worksheets/sheet1.xml',
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>` +
      '<row r="1"><c r="A1" t="inlineStr"><is><t>人数</t></is></c><c r="B1" t="inlineStr"><is><t>备注</t></is></c></row>' +
      '<row r="2"><c r="A2" t="inlineStr"><is><t>十二</t></is></c></row><row r="3"><c r="A3"><v>3</v></c></row></sheetData></worksheet>',
  );
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
}

/** The same in Strict Open XML (purl.oclc.org namespaces). */
export async function strictWorkbook(path: string): Promise<void> {
  await noStylesWorkbook(path);
  const zip = await JSZip.loadAsync(await import('node:fs/promises').then((fs) => fs.readFile(path)));
  for (const name of Object.keys(zip.files)) {
    const text = await zip.file(name)?.async('string');
    if (text === undefined) continue;
    zip.file(
      name,
      text
        .replaceAll(MAIN, 'http://purl.oclc.org/ooxml/spreadsheetml/main')
        .replaceAll('http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'http://purl.oclc.org/ooxml/officeDocument/relationships'),
    );
  }
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
}

/** An exceljs workbook declared macro-enabled (.xlsm): its marked copy is named .xlsx, so it must not stay one. */
export async function macroWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.getCell('A1').value = '人数';
  sheet.getCell('A2').value = '十二';
  const zip = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
  const types = await zip.file('[Content_Types].xml')!.async('string');
  zip.file('[Content_Types].xml', types.replace('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', 'application/vnd.ms-excel.sheet.macroEnabled.main+xml'));
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
}
