import type { ServerResponse } from 'node:http';
import { type Html, html } from './html.js';

/**
 * Every page's policy: nothing inline, nothing from elsewhere. The live parts come from
 * /assets/pipeline.js and the server's own event streams; no log, branch name or commit message
 * can run a script even if it reached the markup.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export interface PageOptions {
  title: string;
  /** The event stream the page's script listens to: the live parts. */
  events?: string;
}

export function page(options: PageOptions, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · albs</title>
<link rel="stylesheet" href="/assets/albs.css">
${options.events ? html`<script src="/assets/pipeline.js" defer></script>` : ''}
</head>
<body${options.events ? html` data-events="${options.events}"` : ''}>
<header class="top"><a class="brand" href="/pipelines">albs</a><a href="/pipelines">pipelines</a></header>
<main>
${body}
</main>
</body>
</html>
`.text;
}

export function sendPage(res: ServerResponse, status: number, text: string, head = false): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : text);
}
