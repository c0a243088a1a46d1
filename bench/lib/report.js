import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './service-fixture.js';

export const performanceDoc = join(repositoryRoot, 'docs', 'performance.md');

/** A Markdown table with padded columns, readable both printed and rendered. */
export function markdownTable(rows) {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]);
  const cells = [columns, ...rows.map((row) => columns.map((column) => String(row[column] ?? '')))];
  const widths = columns.map((_, index) => Math.max(3, ...cells.map((line) => line[index].length)));
  const line = (values) =>
    `| ${values.map((value, index) => value.padEnd(widths[index])).join(' | ')} |`;
  const rule = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** The machine block that heads every generated section. */
export function machineLines(machine, extra = {}) {
  const lines = [
    `- date: ${machine.date}`,
    `- machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, ${machine.platform}`,
    `- node: ${machine.node}`,
  ];
  for (const [key, value] of Object.entries(extra)) lines.push(`- ${key}: ${value}`);
  return lines.join('\n');
}

/**
 * Replaces the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in docs/performance.md,
 * adding the markers at the end when they are missing, so each script rewrites only its own part
 * and the hand-written text around them stays.
 */
export function writeDocSection(name, body) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${body.trim()}\n${end}`;
  let text = existsSync(performanceDoc) ? readFileSync(performanceDoc, 'utf8') : defaultDoc();
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  text =
    from !== -1 && to > from
      ? text.slice(0, from) + block + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(performanceDoc, text);
}

function defaultDoc() {
  return '# Performance\n\n`npm run bench` and `npm run soak` write the sections below.\n';
}
