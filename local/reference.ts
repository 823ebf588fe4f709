// The API reference page of the local stack (GET /docs): the OpenAPI document rendered as one
// plain HTML page, no script and nothing fetched from elsewhere, so it works offline.
import { escapeHtml } from '#shared/html.ts';
import document from '../functions/openapi.json' with { type: 'json' };

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Json[];
  parameters?: { name: string; in: string; required: boolean; description: string }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
}
interface Schema {
  properties?: Record<string, { maxLength?: number }>;
  required?: string[];
}

const AUTH: Record<string, string> = {
  apiKey: 'API key (Bearer, or Basic email:key)',
  emailAndPassword: 'Basic email:password',
};

function authOf(op: Operation): string {
  const names = op.security.flatMap((s) => Object.keys(s));
  const shown = names.map((n) => AUTH[n]).filter(Boolean);
  return shown.length ? shown.join(', ') : 'none';
}

function fields(op: Operation): string {
  if (!op.requestBody) return '';
  const [[mediaType, { schema }]] = Object.entries(op.requestBody.content) as [[string, { schema: Schema }]];
  const rows = Object.entries(schema.properties ?? {}).map(
    ([name, p]) =>
      `<tr><td><code>${escapeHtml(name)}</code></td><td>${schema.required?.includes(name) ? 'required' : 'optional'}</td><td>string, 1–${p.maxLength}</td></tr>`,
  );
  const none = rows.length ? '' : '<tr><td colspan="3">no fields</td></tr>';
  return `<p>Body (<code>${escapeHtml(mediaType)}</code>${op.requestBody.required ? '' : ', optional'}):</p>
<table><tr><th>field</th><th></th><th>type</th></tr>${rows.join('')}${none}</table>`;
}

function parameters(op: Operation): string {
  if (!op.parameters?.length) return '';
  const rows = op.parameters.map(
    (p) =>
      `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}${p.required ? ', required' : ''}</td><td>${escapeHtml(p.description)}</td></tr>`,
  );
  return `<table><tr><th>parameter</th><th>in</th><th></th></tr>${rows.join('')}</table>`;
}

function responses(op: Operation): string {
  const rows = Object.entries(op.responses).map(
    ([status, r]) => `<tr><td>${status}</td><td>${escapeHtml(r.description)}</td></tr>`,
  );
  return `<table><tr><th>status</th><th>when</th></tr>${rows.join('')}</table>`;
}

/** Where the page's stylesheet is served: the page policy (style-src 'self') lets in no inline style. */
export const REFERENCE_STYLE_PATH = '/docs/style.css';

export const REFERENCE_STYLE = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2933;line-height:1.45}
h2{font-size:1.1rem;margin-top:2.2rem;border-top:1px solid #d9e2ec;padding-top:1rem}
.method{display:inline-block;min-width:4.5rem;color:#1f6feb}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #d9e2ec;padding:.2rem .5rem;text-align:left;vertical-align:top}
.muted{color:#616e7c}
`;

export function referencePage(): string {
  const paths = document.paths as unknown as Record<string, Record<string, Operation>>;
  const sections = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(
      ([method, op]) => `<section id="${escapeHtml(op.operationId)}">
<h2><span class="method">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h2>
<p><strong>${escapeHtml(op.summary)}</strong>${op.description ? ` ${escapeHtml(op.description)}` : ''}</p>
<p class="muted">Authentication: ${authOf(op)}</p>
${parameters(op)}${fields(op)}${responses(op)}
</section>`,
    ),
  );
  const index = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(
      ([method, op]) =>
        `<li><a href="#${escapeHtml(op.operationId)}">${method.toUpperCase()} ${escapeHtml(path)}</a> ${escapeHtml(op.summary)}</li>`,
    ),
  );
  const info = document.info as { title: string; version: string; description: string };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)} reference</title>
<link rel="stylesheet" href="${REFERENCE_STYLE_PATH}">
</head>
<body>
<h1>${escapeHtml(info.title)} <span class="muted">${escapeHtml(info.version)}</span></h1>
<p>${escapeHtml(info.description)}</p>
<p>The OpenAPI 3.1 document: <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<ul>${index.join('\n')}</ul>
${sections.join('\n')}
</body>
</html>
`;
}
