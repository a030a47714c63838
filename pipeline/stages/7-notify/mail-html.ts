/** The HTML of a mail: inline styles only (mail clients strip the rest), every piece of text escaped. */

const FONT_STYLE = "font-family:'Microsoft YaHei','PingFang SC','SimSun',sans-serif;font-size:14px;color:#222222;";
const CELL_STYLE = 'border:1px solid #bfbfbf;padding:4px 8px;text-align:left;vertical-align:top;';
const LEVEL_BACKGROUND: Readonly<Record<string, string>> = {
  错误: '#ffc7ce',
  有错误: '#ffc7ce',
  警告: '#ffeb9c',
  有警告: '#ffeb9c',
  缺报: '#d9d9d9',
};

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function page(parts: readonly string[]): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="${FONT_STYLE}">${parts.join('')}</body></html>`;
}

export function p(text: string, style = ''): string {
  return `<p style="margin:8px 0;${style}">${escapeHtml(text)}</p>`;
}

export function h(text: string): string {
  return `<p style="margin:16px 0 8px;font-weight:bold;">${escapeHtml(text)}</p>`;
}

/** A bordered table; `colourColumn` (0-based) gets the level/status background. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], colourColumn?: number): string {
  const head = headers
    .map((t) => `<th style="${CELL_STYLE}background:#ddebf7;font-weight:bold;">${escapeHtml(t)}</th>`)
    .join('');
  const body = rows
    .map((row) => {
      const cells = row
        .map((t, col) => {
          const bg = col === colourColumn ? LEVEL_BACKGROUND[t] : undefined;
          const style = bg === undefined ? CELL_STYLE : `${CELL_STYLE}background:${bg};`;
          return `<td style="${style}">${escapeHtml(t).replaceAll('\n', '<br>')}</td>`;
        })
        .join('');
      return `<tr>${cells}</tr>`;
    })
    .join('');
  return `<table style="border-collapse:collapse;margin:4px 0 12px;${FONT_STYLE}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
