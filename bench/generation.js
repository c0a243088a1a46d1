import process from 'node:process';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { summariseProfile } from './lib/cpu-profile.js';
import { loadAverage } from './lib/machine.js';
import { shouldProfile } from './lib/measure-server.js';
import { ratio } from './lib/ratios.js';
import { generatorBin, repositoryRoot, workRoot } from './lib/service-fixture.js';
import { settings } from './lib/settings.js';

const run = promisify(execFile);
const createVite = join(repositoryRoot, 'node_modules', '.bin', 'create-vite');

/**
 * 6. Time to write a new project: this generator (`--yes --skip-install --skip-git`) against
 * create-vite's vanilla-ts template, each a fresh process into a fresh folder, the two taking
 * turns so that a disturbance hits both; the median of N runs each.
 */
export async function generationTime() {
  const root = join(workRoot, 'generation');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const ours = [];
  const vite = [];
  const haveBin = existsSync(generatorBin);

  for (let index = 0; index < settings.generationRuns; index += 1) {
    vite.push(
      await timed(createVite, [
        join(root, `vite-${index}`),
        '--template',
        'vanilla-ts',
        '--no-interactive',
      ]),
    );
    if (haveBin) {
      const flags = ['--yes', '--skip-install', '--skip-git'];
      ours.push(
        await timed(process.execPath, [generatorBin, join(root, `ours-${index}`), ...flags]),
      );
    }
  }

  // what the generator pays before writing anything: loading its framework
  const imports = [];
  for (let index = 0; index < settings.generationRuns && haveBin; index += 1) {
    const script = "await import('yeoman-environment'); await import('yeoman-generator')";
    imports.push(await timed(process.execPath, ['--input-type=module', '-e', script]));
  }

  const viteMedian = median(vite);
  const measurements = [timingRow('create-vite --template vanilla-ts', vite)];
  const ratios = [];
  const profiles = [];
  if (haveBin) {
    measurements.unshift(timingRow('create-services-app --yes', ours));
    measurements.push(
      timingRow('node: import yeoman-environment + yeoman-generator only', imports),
    );
    ratios.push(
      ratio('create-services-app / create-vite', 'median ms', viteMedian, median(ours), 'lower'),
    );
    // a run many times slower than create-vite is profiled once, outside the timed runs
    if (shouldProfile(1 / ratios[0].ratio, 0.2)) profiles.push(await profileGenerator(root));
  }
  return {
    title: '6. Generation time against create-vite',
    setup: haveBin
      ? `${settings.generationRuns} runs each, alternating; wall time of the whole process`
      : `dist/bin/create-services-app.js is not built yet: only create-vite was timed`,
    measurements: [],
    extraTable: measurements,
    ratios,
    profiles,
  };
}

async function profileGenerator(root) {
  const dir = join(root, 'profile');
  const target = join(root, 'ours-profiled');
  const flags = ['--yes', '--skip-install', '--skip-git'];
  const milliseconds = await timed(process.execPath, [
    '--cpu-prof',
    '--cpu-prof-dir',
    dir,
    generatorBin,
    target,
    ...flags,
  ]);
  return {
    label: 'create-services-app --yes',
    detail: `${milliseconds.toFixed(0)} ms while profiled`,
    ...summariseProfile(dir),
  };
}

async function timed(command, args) {
  const started = process.hrtime.bigint();
  await run(command, args, {
    cwd: repositoryRoot,
    timeout: 120_000,
    env: { ...process.env, CI: '1' },
  });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function timingRow(label, times) {
  const sorted = [...times].sort((left, right) => left - right);
  return {
    generator: label,
    runs: times.length,
    'median ms': median(times).toFixed(0),
    'min ms': sorted[0].toFixed(0),
    'max ms': sorted.at(-1).toFixed(0),
    'load avg': loadAverage(),
  };
}

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
