/** The frame every portal page shares: Chinese, no inline script or style (the CSP forbids both). */
import { html, type Html } from '../html.ts';
import { shanghaiMinute } from '../../../../reports/shanghai-time.ts';

export function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="/assets/portal.css">
</head>
<body>
${body}
<script src="/assets/portal.js"></script>
</body>
</html>
`.text;
}

/** `2021-01-10 10:00` in Beijing time, whatever the server's zone. */
export function beijingTime(d: Date | null | undefined): string {
  return d === null || d === undefined ? '' : shanghaiMinute(d.toISOString());
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
