/**
 * Reads a draft report into paragraphs: a Word document (`.docx`: the paragraphs of
 * `word/document.xml`) or plain text (`.txt`, UTF-8 with or without BOM, or GB18030 as Notepad on
 * a Chinese Windows saves it; one paragraph per non-empty line).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import JSZip from 'jszip';

/** The draft cannot be read: a usage problem of the person running the command. */
export class DraftError extends Error {
  override readonly name = 'DraftError';
}

/**
 * @example
 * const paragraphs = await readDraft('草稿.docx'); // ['大兴区安定镇2020年度…', '2020年我镇深入贯彻…', …]
 */
export async function readDraft(path: string): Promise<string[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new DraftError(`无法读取草稿 ${path}：${(cause as Error).message}`, { cause });
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.docx') return docxParagraphs(bytes, path);
  if (ext === '.txt' || ext === '') return textParagraphs(decodeText(bytes));
  if (ext === '.doc') throw new DraftError(`${path} 是旧版 Word 文档（.doc）：请在 Word 或 WPS 中另存为 .docx 后再核对`);
  throw new DraftError(`${path}：只能核对 .docx 或 .txt 草稿`);
}

export function textParagraphs(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n|\r/)
    .map((l) => l.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''))
    .filter((l) => l !== '');
}

function decodeText(bytes: Buffer): string {
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (!utf8.includes('\uFFFD')) return utf8;
  return new TextDecoder('gb18030').decode(bytes);
}

/** The paragraphs of a .docx, text of runs joined, tabs and breaks as spaces. */
export async function docxParagraphs(bytes: Buffer | Uint8Array, path = '草稿'): Promise<string[]> {
  let xml: string | undefined;
  try {
    const zip = await JSZip.loadAsync(bytes);
    xml = await zip.file('word/document.xml')?.async('string');
  } catch (cause) {
    throw new DraftError(`${path} 不是可读的 Word 文档（.docx）：${(cause as Error).message}`, { cause });
  }
  if (xml === undefined) throw new DraftError(`${path} 不是 Word 文档：缺少 word/document.xml`);
  const paragraphs: string[] = [];
  for (const p of xml.matchAll(/<w:p[\s>][\s\S]*?<\/w:p>|<w:p\/>/g)) {
    let text = '';
    for (const t of p[0].matchAll(/<w:t(?:\s[^>]*)?>([\s\S]*?)<\/w:t>|<w:(tab|br|cr)\b[^>]*\/>/g)) {
      text += t[1] !== undefined ? unescapeXml(t[1]) : ' ';
    }
    text = text.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
    if (text !== '') paragraphs.push(text);
  }
  return paragraphs;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}
