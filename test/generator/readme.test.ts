import { describe, expect, it } from 'vitest';
import { runApp } from './run-app.js';

describe('the generated README', () => {
  it.each(['npm', 'pnpm', 'yarn'] as const)(
    'lines up the comments of its run commands for %s',
    async (packageManager) => {
      const project = await runApp({ name: 'orders', packageManager });
      const block = /## Run it\n\n```sh\n([^`]+)```/.exec(project.read('README.md'))![1]!;
      const columns = block
        .split('\n')
        .filter((line) => line.includes('# '))
        .map((line) => line.indexOf('# '));

      expect(columns).toHaveLength(3);
      expect(new Set(columns).size).toBe(1);
      expect(block).toContain(`${packageManager} `);
    },
  );
});
