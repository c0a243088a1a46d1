import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { loadConfig } from './load-config.js';
import { parseConfig } from './parse-config.js';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'config-test-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Writes `text` at `name` under the test folder and returns its path. */
function write(name: string, text: string): string {
  const path = join(folder, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function thrown(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads a file and remembers it', () => {
    const path = write('app.ini', '[server]\nport = 8000\ndata = %(here)s/data\n');
    const config = loadConfig(path);
    expect(config.get('server', 'port')).toBe(8000);
    expect(config.get('server', 'data')).toBe(join(folder, 'data'));
    expect(config.file).toBe(path);
    expect(config.locate('server', 'port')).toStrictEqual({ file: path, line: 2 });
  });

  it('uses the env option for ${} instead of process.env', () => {
    const path = write('app.ini', '[server]\nport = ${PORT:-8000}\n');
    expect(loadConfig(path, { env: { PORT: '9100' } }).get('server', 'port')).toBe(9100);
  });

  it('raises SVC_ERR_CONFIG_NOT_FOUND for a missing file', () => {
    const path = join(folder, 'absent.ini');
    const error = thrown(() => loadConfig(path));
    expect([error.code, error.file, error.line]).toStrictEqual([
      'SVC_ERR_CONFIG_NOT_FOUND',
      path,
      undefined,
    ]);
  });

  it('raises SVC_ERR_CONFIG_UNREADABLE for a folder', () => {
    mkdirSync(join(folder, 'dir.ini'));
    const error = thrown(() => loadConfig(join(folder, 'dir.ini')));
    expect(error.code).toBe('SVC_ERR_CONFIG_UNREADABLE');
  });

  it('names the file and line of a syntax error', () => {
    const path = write('bad.ini', '[s]\nok = 1\nbadline\n');
    const error = thrown(() => loadConfig(path));
    expect([error.code, error.file, error.line]).toStrictEqual(['SVC_ERR_CONFIG_SYNTAX', path, 3]);
    expect(error.message.startsWith(`${path}:3: `)).toBe(true);
  });
});

describe('loadConfig: extends', () => {
  it('reads the confspec example (legacy 1.3)', () => {
    write('file_one.ini', '[section1]\nname2 = "other value"\n[section2]\nfoo = baz\nbas = bar\n');
    const path = write(
      'file_two.ini',
      '[DEFAULT]\nextends = file_one.ini\n[section2]\nfoo = bar\n',
    );
    const config = loadConfig(path);
    expect(config.getMap()).toStrictEqual({
      'section1.name2': 'other value',
      'section2.foo': 'bar',
      'section2.bas': 'bar',
    });
  });

  it('does not expose extends as a value', () => {
    write('base.ini', '[a]\nx = 1\n');
    const config = loadConfig(write('main.ini', '[DEFAULT]\nextends = base.ini\n[a]\n'));
    expect(config.has('a', 'extends')).toBe(false);
    expect(config.getSection('DEFAULT')).toStrictEqual({});
  });

  it('resolves names relative to the including file, not the working directory', () => {
    write('conf/base/common.ini', '[a]\nfrom = common\nwhere = %(here)s\n');
    write('conf/base/mid.ini', '[DEFAULT]\nextends = common.ini\n[a]\nmid = yes\n');
    const path = write('conf/app.ini', '[DEFAULT]\nextends = base/mid.ini\n[a]\nown = 1\n');
    const config = loadConfig(path);
    expect(config.getSection('a')).toStrictEqual({
      from: 'common',
      where: join(folder, 'conf/base'),
      mid: 'yes',
      own: 1,
    });
    expect(config.locate('a', 'from').file).toBe(join(folder, 'conf/base/common.ini'));
  });

  it('follows a list of files, later ones winning, the including file winning over all', () => {
    write('one.ini', '[a]\nx = one\ny = one\nz = one\n[only1]\nk = 1\n');
    write('two.ini', '[a]\ny = two\nz = two\n');
    const path = write('main.ini', '[DEFAULT]\nextends = one.ini\n    two.ini\n[a]\nz = main\n');
    const config = loadConfig(path);
    expect(config.getSection('a')).toStrictEqual({ x: 'one', y: 'two', z: 'main' });
    expect(config.get('only1', 'k')).toBe(1);
  });

  it('substitutes ${VAR} in an extends path', () => {
    write('prod.ini', '[a]\nenv = prod\n');
    const path = write('main.ini', '[DEFAULT]\nextends = ${STAGE:-dev}.ini\n');
    expect(loadConfig(path, { env: { STAGE: 'prod' } }).get('a', 'env')).toBe('prod');
  });

  it('merges the extended [DEFAULT] under the including one', () => {
    write('base.ini', '[DEFAULT]\nshared = base\nlevel = base\n[a]\n');
    const path = write('main.ini', '[DEFAULT]\nextends = base.ini\nlevel = main\n[a]\n');
    expect(loadConfig(path).getSection('a')).toStrictEqual({ shared: 'base', level: 'main' });
  });

  it('reads a file extended twice through a diamond once, without calling it a cycle', () => {
    write('d.ini', '[a]\nd = 1\n');
    write('b.ini', '[DEFAULT]\nextends = d.ini\n[a]\nb = 1\n');
    write('c.ini', '[DEFAULT]\nextends = d.ini\n[a]\nc = 1\n');
    const path = write('a.ini', '[DEFAULT]\nextends = b.ini\n  c.ini\n');
    expect(loadConfig(path).getSection('a')).toStrictEqual({ d: 1, b: 1, c: 1 });
  });

  it('loads a wide diamond lattice quickly', () => {
    const layers = 30;
    for (let level = 0; level < layers; level++) {
      const next =
        level + 1 < layers ? `[DEFAULT]\nextends = l${level + 1}a.ini\n  l${level + 1}b.ini\n` : '';
      write(`l${level}a.ini`, `${next}[s]\na${level} = 1\n`);
      write(`l${level}b.ini`, `${next}[s]\nb${level} = 1\n`);
    }
    const started = performance.now();
    const config = loadConfig(write('main.ini', '[DEFAULT]\nextends = l0a.ini\n  l0b.ini\n'));
    expect(Object.keys(config.getSection('s'))).toHaveLength(2 * layers);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('raises SVC_ERR_CONFIG_EXTENDS_CYCLE naming the chain', () => {
    write('b.ini', '[DEFAULT]\nextends = a.ini\n');
    const path = write('a.ini', '[DEFAULT]\nextends = b.ini\n');
    const error = thrown(() => loadConfig(path));
    expect(error.code).toBe('SVC_ERR_CONFIG_EXTENDS_CYCLE');
    expect(error.message).toContain('a.ini -> b.ini -> a.ini');
    expect([error.file, error.line]).toStrictEqual([join(folder, 'b.ini'), 2]);
  });

  it('raises SVC_ERR_CONFIG_EXTENDS_CYCLE for a file extending itself', () => {
    const path = write('self.ini', '[DEFAULT]\nextends = ./self.ini\n');
    expect(thrown(() => loadConfig(path)).message).toContain('self.ini -> self.ini');
  });

  it('raises SVC_ERR_CONFIG_EXTENDS_MISSING at the extends line', () => {
    const path = write('main.ini', '[s]\nk = 1\n[DEFAULT]\nextends = nope.ini\n');
    const error = thrown(() => loadConfig(path));
    expect([error.code, error.file, error.line]).toStrictEqual([
      'SVC_ERR_CONFIG_EXTENDS_MISSING',
      path,
      4,
    ]);
    expect(error.message).toContain('nope.ini');
  });

  it('raises SVC_ERR_CONFIG_EXTENDS_MISSING for an unreadable extended file', () => {
    mkdirSync(join(folder, 'folder.ini'));
    const path = write('main.ini', '[DEFAULT]\nextends = folder.ini\n');
    expect(thrown(() => loadConfig(path)).code).toBe('SVC_ERR_CONFIG_EXTENDS_MISSING');
  });

  it('treats a comma list as one file name, as the legacy reader did', () => {
    const path = write('main.ini', '[DEFAULT]\nextends = no-no,no-no-no-no\n');
    expect(thrown(() => loadConfig(path)).message).toContain('no-no,no-no-no-no');
  });

  it('names the extended file and line of an error inside it', () => {
    const base = write('base.ini', '[s]\n\nv = ${NOPE}\n');
    const path = write('main.ini', '[DEFAULT]\nextends = base.ini\n');
    const error = thrown(() => loadConfig(path, { env: {} }));
    expect([error.code, error.file, error.line]).toStrictEqual([
      'SVC_ERR_CONFIG_UNSET_VARIABLE',
      base,
      3,
    ]);
  });

  it('does not convert a base value that the including file replaces', () => {
    write('prod.ini', '[db]\npassword = ${DB_PASSWORD}\nhost = db.internal\n');
    const path = write('test.ini', '[DEFAULT]\nextends = prod.ini\n[db]\npassword = test\n');
    const config = loadConfig(path, { env: {} });
    expect(config.get('db', 'password')).toBe('test');
    expect(config.get('db', 'host')).toBe('db.internal');
  });

  it('still raises SVC_ERR_CONFIG_UNSET_VARIABLE for a base value that counts', () => {
    write('prod.ini', '[db]\npassword = ${DB_PASSWORD}\n');
    const path = write('test.ini', '[DEFAULT]\nextends = prod.ini\n[db]\nhost = x\n');
    const error = thrown(() => loadConfig(path, { env: {} }));
    expect(error.code).toBe('SVC_ERR_CONFIG_UNSET_VARIABLE');
    expect(error.file).toBe(join(folder, 'prod.ini'));
    expect(error.line).toBe(2);
  });

  it('raises SVC_ERR_CONFIG_EXTENDS_DEPTH past 32 nested files', () => {
    for (let level = 0; level < 40; level++) {
      write(`n${level}.ini`, `[DEFAULT]\nextends = n${level + 1}.ini\n[s]\nk${level} = 1\n`);
    }
    write('n40.ini', '[s]\nend = 1\n');
    const error = thrown(() => loadConfig(join(folder, 'n0.ini')));
    expect(error.code).toBe('SVC_ERR_CONFIG_EXTENDS_DEPTH');
    expect(error.message).toContain('32');
  });

  it('accepts a chain exactly 32 files deep', () => {
    for (let level = 0; level < 31; level++) {
      write(`n${level}.ini`, `[DEFAULT]\nextends = n${level + 1}.ini\n[s]\nk${level} = 1\n`);
    }
    write('n31.ini', '[s]\nend = 1\n');
    expect(loadConfig(join(folder, 'n0.ini')).get('s', 'end')).toBe(1);
  });
});

describe('parseConfig: extends', () => {
  it('follows extends relative to the filename option', () => {
    write('base.ini', '[a]\nx = base\n');
    const config = parseConfig('[DEFAULT]\nextends = base.ini\n[a]\ny = 1\n', {
      filename: join(folder, 'virtual.ini'),
    });
    expect(config.getSection('a')).toStrictEqual({ x: 'base', y: 1 });
  });
});

describe('loadConfig: file permissions', () => {
  it('raises SVC_ERR_CONFIG_UNREADABLE without read permission', () => {
    chmodSync(folder, 0o755);
    const path = write('secret.ini', '[s]\n');
    chmodSync(path, 0o000);
    expect(codeWhenLoadedWithoutPrivileges(path)).toBe('SVC_ERR_CONFIG_UNREADABLE');
  });
});

/**
 * The error code `loadConfig(path)` raises for a user the file does not grant reading. Root reads
 * everything, so as root the load runs in a child process that becomes `nobody` after loading the
 * built runtime.
 */
function codeWhenLoadedWithoutPrivileges(path: string): string | undefined {
  if (process.getuid?.() !== 0) return thrown(() => loadConfig(path)).code;
  const entry = join(import.meta.dirname, '..', '..', 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error('runtime/dist is missing: run `npm run build` first');
  const script = [
    `const { loadConfig } = await import(${JSON.stringify(pathToFileURL(entry).href)});`,
    // the runtime is loaded first, so the checkout's own permissions do not matter
    'process.setgid(65534); process.setuid(65534);',
    `try { loadConfig(${JSON.stringify(path)}); } catch (error) { console.log(error.code); }`,
  ].join('\n');
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (child.status !== 0) throw new Error(`the unprivileged load failed: ${child.stderr}`);
  return child.stdout.trim() || undefined;
}
