/**
 * The shared strings kept as UTF-8 bytes in slabs (sheets/xlsx/shared-strings.ts) give back
 * exactly the strings put in: across slab boundaries, long entries and texts UTF-8 cannot
 * carry (lone surrogates) kept as strings, empty entries, and lookups that collide in the
 * cache; and the parser fed a table of several megabytes in 1 MB pieces reads what it reads whole.
 */
import { describe, expect, it } from 'vitest';
import { SharedStringsParser } from '../sheets/xlsx/shared-strings.ts';
import { SharedStringTable, sharedString } from '../sheets/xlsx/string-table.ts';
import { Utf8Decoder } from '../sheets/xlsx/utf8.ts';

/** Texts of every kind the table keeps, many times over (well past one 1 MB slab). */
function texts(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 60_000; i++) {
    const k = i % 9;
    if (k === 0) out.push(`京兴综罚〔2020〕第${String(i).padStart(6, '0')}号`);
    else if (k === 1) out.push('');
    else if (k === 2) out.push(`ascii ${i}`);
    else if (k === 3) out.push(`😀 ${i} 𠀀`);
    else if (k === 4) out.push(`lone \uD800 ${i}`);
    else if (k === 5) out.push(i % 900 === 5 ? '长'.repeat(30_000) : `徐某${i}`);
    else if (k === 6) out.push(i % 1800 === 6 ? 'x'.repeat(70_000) : '否');
    else if (k === 7) out.push(`end \uDC00`);
    else out.push('案'.repeat(1 + (i % 200)));
  }
  return out;
}

/** Whether UTF-8 carries `t` (no lone surrogate): it comes back from its bytes unchanged. */
const wellFormed = (t: string): boolean => Buffer.from(t, 'utf8').toString('utf8') === t;

describe('SharedStringTable: strings kept as bytes', () => {
  it('gives back every string put in, as text or as bytes, in any order of lookups', () => {
    const all = texts();
    const table = new SharedStringTable();
    all.forEach((t, i) => {
      if (i % 2 === 0) table.push(t);
      else {
        const bytes = Buffer.from(`<t>${t}</t>`, 'utf8');
        // Bytes must be valid UTF-8: what UTF-8 cannot carry goes in as text, as the parser does.
        if (wellFormed(t)) table.pushBytes(bytes, 3, bytes.length - 4);
        else table.push(t);
      }
    });
    expect(table.length).toBe(all.length);
    expect(table.toArray()).toEqual(all);
    // Lookups that share a cache slot, alternately, and backwards.
    for (let i = all.length - 1; i >= 4096; i -= 7) {
      expect(table.at(i)).toBe(all[i]);
      expect(table.at(i - 4096)).toBe(all[i - 4096]);
      expect(table.at(i)).toBe(all[i]);
    }
  });

  it('gives back the entries of a small table, and of one still growing after its first lookups', () => {
    const table = new SharedStringTable();
    const all = ['是', '否', '徐某', '京兴综罚〔2020〕第000001号'];
    for (const t of all) table.push(t);
    expect([0, 1, 2, 3, 2, 1, 0].map((i) => table.at(i))).toEqual([0, 1, 2, 3, 2, 1, 0].map((i) => all[i]));
    // Its lookups remembered in a cache sized for four entries, while 40,000 more (~1.4 MB, past
    // the first slab's growth to a whole one and into the next) come after.
    for (let i = 0; i < 40_000; i++) {
      const t = `调解协议第${i}号：${'案'.repeat(i % 9)}`;
      all.push(t);
      const bytes = Buffer.from(t, 'utf8');
      if (i % 2 === 0) table.push(t);
      else table.pushBytes(bytes, 0, bytes.length);
    }
    for (let i = all.length - 1; i >= 0; i -= 3) expect(table.at(i)).toBe(all[i]);
    expect(table.toArray()).toEqual(all);
  });

  it('decodes every character as Buffer#toString does, short entries and long', () => {
    const all: string[] = [];
    let text = '';
    for (let cp = 0; cp <= 0x10ffff; cp += cp < 0x3000 ? 1 : 13) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      text += String.fromCodePoint(cp);
      if (text.length >= (all.length % 3 === 0 ? 40 : 9)) {
        all.push(text);
        text = '';
      }
    }
    const table = new SharedStringTable();
    for (const t of all) {
      const bytes = Buffer.from(t, 'utf8');
      table.pushBytes(bytes, 0, bytes.length);
    }
    expect(table.toArray()).toEqual(all);
  });

  it('has no entry outside its range, nor at a negative or fractional index', () => {
    const table = new SharedStringTable();
    table.push('甲');
    table.push('乙');
    expect(table.at(2)).toBeUndefined();
    expect(table.at(Number.NaN)).toBeUndefined();
    expect(sharedString(table, -1)).toBeUndefined();
    expect(sharedString(table, 0.5)).toBeUndefined();
    expect(sharedString(['甲', '乙'], -1)).toBeUndefined();
    expect(sharedString(table, 1)).toBe('乙');
    expect(new SharedStringTable().at(0)).toBeUndefined();
  });

  it('reads a table of several megabytes split in 1 MB pieces as it reads it whole', () => {
    const all = texts().filter((t) => wellFormed(t));
    const xml = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="x">${all.map((t) => `<si><t>${t}</t></si>`).join('')}</sst>`;
    const bytes = Buffer.from(xml, 'utf8');
    expect(bytes.length).toBeGreaterThan(3 << 20);
    for (const size of [1 << 20, 65_537]) {
      const parser = new SharedStringsParser();
      const decoder = new Utf8Decoder();
      for (let at = 0; at < bytes.length; at += size) parser.push(decoder.next(bytes.subarray(at, at + size)));
      parser.push(decoder.end());
      expect(parser.strings.toArray()).toEqual(all);
    }
  });

  it('finds the root in the first piece of bytes as in the text, prefixed or not, split anywhere', () => {
    const tables = [
      '<?xml version="1.0"?>\n<sst xmlns="x" count="2"><si><t>甲</t></si><si><t>乙 &amp; 丙</t></si></sst>',
      '<?xml version="1.0"?><x:sst xmlns:x="x"><x:si><x:t>甲</x:t></x:si><x:si><x:t>乙</x:t></x:si></x:sst>',
      '<?xml version="1.0"?><!-- sstable 汉字 --><ssta/><sst><si><t>甲</t></si><si/></sst>',
      '<?xml version="1.0"?><!--sst sst sst sst sst--><sst><si><t>甲</t></si></sst>',
    ];
    for (const xml of tables) {
      const whole = new SharedStringsParser();
      whole.push(xml);
      const expected = whole.strings.toArray();
      expect(expected.length).toBeGreaterThan(0);
      const bytes = Buffer.from(xml, 'utf8');
      for (let k = 0; k <= bytes.length; k++) {
        const parser = new SharedStringsParser();
        const decoder = new Utf8Decoder();
        for (const piece of [decoder.next(bytes.subarray(0, k)), decoder.next(bytes.subarray(k)), decoder.end()]) parser.push(piece);
        expect(parser.strings.toArray(), `${xml} split at ${k}`).toEqual(expected);
      }
    }
  });
});
