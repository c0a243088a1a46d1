import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const sourceFolders = ['runtime/src', 'generators', 'bin'];
const codePattern = /['"`]((?:SVC|GEN)_ERR_[A-Z0-9_]+)['"`]/g;

function sourceFiles(folder: string): string[] {
  const path = join(root, folder);
  try {
    statSync(path);
  } catch {
    return [];
  }
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => join(path, name));
}

function codesInSource(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of sourceFolders.flatMap(sourceFiles)) {
    for (const match of readFileSync(file, 'utf8').matchAll(codePattern)) {
      codes.set(match[1]!, relative(root, file));
    }
  }
  return codes;
}

function codesInDocs(): Set<string> {
  const table = readFileSync(join(root, 'docs/errors.md'), 'utf8');
  return new Set([...table.matchAll(/^\| `((?:SVC|GEN)_ERR_[A-Z0-9_]+)` +\|/gm)].map((m) => m[1]!));
}

describe('docs/errors.md', () => {
  it('lists every error code the source raises', () => {
    const documented = codesInDocs();
    const missing = [...codesInSource()].filter(([code]) => !documented.has(code));
    expect(missing.map(([code, file]) => `${code} (${file})`)).toEqual([]);
  });

  it('lists no code that the source no longer raises', () => {
    const used = codesInSource();
    expect([...codesInDocs()].filter((code) => !used.has(code))).toEqual([]);
  });
});
