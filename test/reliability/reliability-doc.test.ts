// docs/reliability.md stays true to the folder: every suite its table names exists, and every
// suite in test/reliability is named in the table with the command that reruns it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'reliability.md'), 'utf8');

/** The rows of the table under "## Results", each split into its cells. */
function tableRows(): string[][] {
  const section = doc.slice(doc.indexOf('## Results'));
  const end = section.indexOf('\n## ', 1);
  const lines = (end === -1 ? section : section.slice(0, end)).split('\n');
  return lines
    .filter((line) => line.startsWith('|') && !/^\|[\s-|]+\|$/.test(line))
    .slice(1)
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

const suiteOf = (row: string[]): string => (row[1] ?? '').replace(/^`|`$/g, '');

describe('docs/reliability.md', () => {
  it('names only suites and scripts that exist', () => {
    const rows = tableRows();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const suite = suiteOf(row);
      expect(suite, row.join(' | ')).not.toBe('');
      expect(
        existsSync(join(root, suite)),
        `${suite} is in the table but not in the repository`,
      ).toBe(true);
    }
  });

  it('names every reliability suite, with the vitest command that runs it', () => {
    const rows = tableRows();
    const suites = readdirSync(join(root, 'test', 'reliability')).filter((name) =>
      name.endsWith('.test.ts'),
    );
    expect(suites.length).toBeGreaterThan(0);
    for (const name of suites) {
      const path = `test/reliability/${name}`;
      const row = rows.find((entry) => suiteOf(entry) === path);
      expect(row, `${path} is missing from the table`).toBeDefined();
      expect(row?.at(-1)).toBe(`\`npx vitest run ${path}\``);
    }
  });

  it('gives every row a category, cases, what held, what was lost and a command', () => {
    for (const row of tableRows()) {
      expect(row, row.join(' | ')).toHaveLength(6);
      for (const cell of row) expect(cell, row.join(' | ')).not.toBe('');
      expect(row.at(-1), row.join(' | ')).toMatch(/^`(npx vitest run \S+|npm run \w+)`$/);
    }
  });
});
