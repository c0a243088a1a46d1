import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../runtime/src/index.js';
import { dockerfileString } from '../../generators/lib/escape-dockerfile.js';
import { iniValue } from '../../generators/lib/escape-ini.js';
import { markdownText } from '../../generators/lib/escape-markdown.js';
import { tsString } from '../../generators/lib/escape-typescript.js';
import { yamlString } from '../../generators/lib/escape-yaml.js';
import { runApp } from './run-app.js';

const hostile = [
  '\n[auth]\nbackend = evil',
  '${HOME}',
  '$${HOME} %(here)s',
  '"; process.exit(1); "',
  '\nRUN rm -rf /',
  '</script><script>alert(1)</script>',
  '*bold* _em_ [link](http://x) `code`',
  'a | b | c',
  '# heading',
  'value ; comment',
  "it's \"quoted\" 'twice'",
  'back\\slash \\n \\u0041 C:\\data',
  'unicode: ñ 😀 \u2028 line sep',
  '<%= process.pid %>',
  'tab\there\r\nand crlf',
];

/** Instructions of a Dockerfile: lines that do not continue the previous one and are not comments. */
function instructions(dockerfile: string): string[] {
  return dockerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));
}

describe('hostile descriptions are written as data in every file', () => {
  it.each(hostile)('%j', async (description) => {
    const project = await runApp({ name: 'orders', description, cef: true, auth: 'memory' });
    const baseline = await runApp({
      name: 'orders',
      description: 'plain',
      cef: true,
      auth: 'memory',
    });

    // INI: reads back exactly, and adds no section and no key
    const filename = join(project.root, 'etc/orders.ini');
    const config = parseConfig(project.read('etc/orders.ini'), {
      filename,
      env: { HOME: '/home/x' },
    });
    expect(config.get('service', 'description')).toBe(description);
    expect(config.sections()).toEqual(['service', 'global', 'server', 'logging', 'auth', 'cef']);
    expect(config.get('auth', 'backend')).toBe('memory');
    const plain = parseConfig(baseline.read('etc/orders.ini'), { filename, env: {} });
    for (const section of config.sections()) {
      expect([...config.items(section).map(([key]) => key)]).toEqual([
        ...plain.items(section).map(([key]) => key),
      ]);
    }

    // JSON: package.json round trip
    expect(JSON.parse(project.read('package.json')).description).toBe(description);

    // YAML: the exact double-quoted scalar, on one line
    expect(project.read('docker-compose.yml')).toContain(
      `org.opencontainers.image.description: ${yamlString(description)}\n`,
    );

    // Dockerfile: the same instructions as with a plain answer, and no new RUN
    expect(instructions(project.read('Dockerfile')).map((line) => line.split(' ')[0])).toEqual(
      instructions(baseline.read('Dockerfile')).map((line) => line.split(' ')[0]),
    );

    // Markdown: the escaped text, no raw HTML, the same headings as with a plain answer
    const readme = project.read('README.md');
    expect(readme).toContain(`\n${markdownText(description)}\n`);
    expect(readme).not.toMatch(/<script>/);
    expect(readme.match(/^#+ /gm)).toEqual(baseline.read('README.md').match(/^#+ /gm));
  });

  it('refuses a description with a control character, naming the answer', async () => {
    await expect(runApp({ name: 'orders', description: 'bell \u0007' })).rejects.toMatchObject({
      code: 'GEN_ERR_UNSAFE_ANSWER',
      message: expect.stringContaining('description'),
    });
  });
});

describe('escapers read back unchanged', () => {
  const anyText = fc.string({ unit: 'binary', maxLength: 80 });

  it('iniValue: the runtime reads every string back as written, as one key', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const config = parseConfig(`[s]\nkey = ${iniValue(value)}\nafter = 1\n`, { env: {} });
        expect(config.get('s', 'key')).toBe(value);
        expect(config.items('s').map(([key]) => key)).toEqual(['key', 'after']);
      }),
      { numRuns: 300 },
    );
  });

  it('tsString: the literal evaluates to the same string', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        expect(new Function(`return ${tsString(value)};`)()).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('yamlString: a JSON string, so a YAML 1.2 double-quoted scalar, on one line', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const quoted = yamlString(value);
        expect(JSON.parse(quoted)).toBe(value);
        expect(quoted).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
      }),
      { numRuns: 300 },
    );
  });

  it('dockerfileString: one line, quoted, with every quote, backslash and $ escaped', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const quoted = dockerfileString(value);
        expect(quoted).not.toMatch(/[\n\r]/);
        expect(quoted.slice(1, -1)).not.toMatch(/(^|[^\\])(\\\\)*["$]/);
      }),
      { numRuns: 300 },
    );
  });

  it('markdownText keeps prose as written and escapes markup', () => {
    expect(markdownText('A billing service.')).toBe('A billing service.');
    expect(markdownText('*bold* </script>')).toBe('\\*bold\\* \\</script\\>');
    expect(markdownText('# not a heading')).toBe('\\# not a heading');
    expect(markdownText('a | b')).toBe('a \\| b');
  });
});
