// The report as one self-contained HTML file: uPlot's script and style, the sections' data as JSON and
// the script that draws them, all inline, so the file opens from a disk, a mail or an archive without
// any network access (docs/report.md).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Result } from '../result.js';
import { sections, type Section } from './charts.js';
import { RENDER_SCRIPT } from './render-script.js';

const require = createRequire(import.meta.url);

/** uPlot's minified script and style, read from the installed package (pinned in package.json). */
function uplotAssets(): { js: string; css: string } {
  return {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON that cannot end the <script> element it sits in, nor open a comment there. */
const scriptJson = (x: unknown): string => JSON.stringify(x).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 16px 24px; color: #222; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
.meta { color: #555; } .digest { font-family: monospace; font-size: 12px; word-break: break-all; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 8px 0 12px; }
dl.facts dt { color: #555; } dl.facts dd { margin: 0; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.card { border: 1px solid #e3e3e3; border-radius: 6px; padding: 10px; width: 562px; }
.card h3 { font-size: 15px; margin: 0; } .card p { color: #666; font-size: 12px; margin: 2px 0 6px; }
.legend span { margin-right: 12px; font-size: 12px; } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
`;

function sectionHtml(s: Section): string {
  const facts = s.facts.length ? `<dl class="facts">${s.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>` : '';
  const charts = s.charts
    .map((c) => `<div class="card"><h3>${escapeHtml(c.title)}</h3><p>${escapeHtml(c.note)}</p><div class="chart" id="chart-${c.id}" data-kind="${c.kind}"></div></div>`)
    .join('\n');
  return `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>${facts}<div class="charts">${charts}</div></section>`;
}

/** The whole page for `result`. */
export function reportHtml(result: Result): string {
  const { js, css } = uplotAssets();
  const parts = sections(result);
  const name = result.scenario.name ? String(result.scenario.name) : 'p2psim run';
  const meta = `${result.model}, ${result.nodes.toLocaleString('en-US')} nodes, seed ${result.seed}, ${result.workers} worker${result.workers === 1 ? '' : 's'}, ${result.events.toLocaleString('en-US')} events in ${result.wallSeconds.toFixed(2)} s`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(name)} — p2psim report</title>
<!-- uPlot 1.6.32, MIT License, Copyright (c) 2022 Leon Sorokin -->
<style>${css}</style>
<style>${STYLE}</style>
</head>
<body data-charts="${parts.reduce((a, s) => a + s.charts.length, 0)}">
<h1>${escapeHtml(name)}</h1>
<div class="meta">${escapeHtml(meta)}</div>
<div class="digest">digest ${escapeHtml(result.digest)}</div>
${parts.map(sectionHtml).join('\n')}
<script id="p2psim-data" type="application/json">${scriptJson({ sections: parts })}</script>
<script>${js}</script>
<script>${RENDER_SCRIPT}</script>
</body>
</html>
`;
}
