import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import helpers from 'yeoman-test';
import AppGenerator, { type AppOptions } from '../../generators/app/index.js';
import type { AppAnswers } from '../../generators/app/answers.js';

const resolved = join(import.meta.dirname, '../../generators/app/index.ts');

export interface GeneratedProject {
  /** The folder the run worked in; the project is `root` (removed by the next run). */
  cwd: string;
  root: string;
  read(path: string): string;
  files(): string[];
}

/** Runs the app generator class in a temporary folder with preset answers, as the bin would. */
export async function runApp(
  preset: Partial<AppAnswers>,
  options: Partial<AppOptions> = {},
): Promise<GeneratedProject> {
  const result = await helpers
    .run(AppGenerator, { resolved, namespace: 'services-app:app' })
    .withOptions({
      preset: { install: false, git: false, ...preset },
      yes: true,
      ...options,
    } as never);
  const root = join(
    result.cwd,
    (options.directory as string | undefined) ?? preset.name!.replace(/^@[^/]+\//, ''),
  );
  // read everything now: the next run in the same test removes this run's folder
  const files = listFiles(root);
  const contents = new Map(
    files
      .filter((file) => !file.endsWith('.tgz'))
      .map((file) => [file, readFileSync(join(root, file), 'utf8')]),
  );
  return {
    cwd: result.cwd,
    root,
    read: (path) => {
      const content = contents.get(path);
      if (content === undefined) throw new Error(`${path} was not generated`);
      return content;
    },
    files: () => files,
  };
}

/** Every file under `root`, relative, sorted. */
export function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}
