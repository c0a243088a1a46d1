import { GeneratorError } from './generator-error.js';

/** How a flag's value is read. `boolean` flags also accept `--no-NAME`. */
export type FlagKind =
  | { type: 'boolean'; negatable?: boolean }
  | { type: 'string' }
  | { type: 'integer'; minimum: number; maximum: number }
  | { type: 'choice'; choices: readonly string[] };

export interface FlagSpec {
  /** The kebab-case name, without dashes: `package-manager`. */
  name: string;
  kind: FlagKind;
  description: string;
  /** A one-letter alias: `y` for `--yes`. */
  alias?: string;
  /** What `--help` shows for the value: `NAME`, `FILE|-`. */
  placeholder?: string;
}

export type FlagValue = string | number | boolean;
export type FlagValues = Record<string, FlagValue>;

export interface ParsedCommandLine {
  /** Values by camel-cased flag name. */
  flags: FlagValues;
  positionals: string[];
}

/** `package-manager` becomes `packageManager`, the key of the answers file and of the options. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * Reads a command line strictly: an unknown flag, a missing value or a value of the wrong kind is
 * a GEN_ERR_USAGE naming the flag, so that a typo never silently falls back to a prompt or a
 * default. `--` ends the flags.
 */
export function parseCommandLine(
  argv: readonly string[],
  specs: readonly FlagSpec[],
): ParsedCommandLine {
  const flags: FlagValues = {};
  const positionals: string[] = [];
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const byAlias = new Map(specs.filter((spec) => spec.alias).map((spec) => [spec.alias!, spec]));

  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!argument.startsWith('-') || argument === '-') {
      positionals.push(argument);
      continue;
    }

    const { spec, inline, negated } = findSpec(argument, byName, byAlias);
    const key = camelCase(spec.name);
    if (spec.kind.type === 'boolean') {
      if (inline !== undefined) flags[key] = readBoolean(spec, inline);
      else flags[key] = !negated;
      continue;
    }
    const raw = inline ?? argv[index + 1];
    if (raw === undefined || (inline === undefined && raw.startsWith('--'))) {
      throw usage(
        `--${spec.name} needs a value${spec.placeholder ? ` (${spec.placeholder})` : ''}`,
      );
    }
    if (inline === undefined) index++;
    flags[key] = readValue(spec, raw, `--${spec.name}`);
  }
  return { flags, positionals };
}

function findSpec(
  argument: string,
  byName: Map<string, FlagSpec>,
  byAlias: Map<string, FlagSpec>,
): { spec: FlagSpec; inline: string | undefined; negated: boolean } {
  if (!argument.startsWith('--')) {
    const spec = byAlias.get(argument.slice(1));
    if (!spec) throw usage(`unknown flag ${argument}; see --help`);
    return { spec, inline: undefined, negated: false };
  }
  const equals = argument.indexOf('=');
  const name = argument.slice(2, equals === -1 ? undefined : equals);
  const inline = equals === -1 ? undefined : argument.slice(equals + 1);
  const spec = byName.get(name);
  if (spec) return { spec, inline, negated: false };

  const positive = name.startsWith('no-') ? byName.get(name.slice(3)) : undefined;
  if (positive?.kind.type === 'boolean' && positive.kind.negatable && inline === undefined) {
    return { spec: positive, inline: undefined, negated: true };
  }
  throw usage(`unknown flag --${name}; see --help`);
}

/** Reads one value by its flag's kind; `label` names it in the message (`--port`, `"port" in a.json`). */
export function readValue(spec: FlagSpec, raw: unknown, label: string): FlagValue {
  const kind = spec.kind;
  switch (kind.type) {
    case 'boolean':
      return readBoolean(spec, raw, label);
    case 'string':
      if (typeof raw !== 'string') throw usage(`${label} must be a string`);
      return raw;
    case 'integer': {
      const text = typeof raw === 'number' ? String(raw) : raw;
      if (typeof text !== 'string' || !/^[0-9]+$/.test(text)) {
        throw usage(
          `${label} must be a whole number from ${kind.minimum} to ${kind.maximum}, got ${JSON.stringify(raw)}`,
        );
      }
      const value = Number(text);
      if (value < kind.minimum || value > kind.maximum) {
        throw usage(`${label} must be from ${kind.minimum} to ${kind.maximum}, got ${value}`);
      }
      return value;
    }
    case 'choice':
      if (typeof raw !== 'string' || !kind.choices.includes(raw)) {
        throw usage(
          `${label} must be one of ${kind.choices.join(', ')}, got ${JSON.stringify(raw)}`,
        );
      }
      return raw;
  }
}

function readBoolean(spec: FlagSpec, raw: unknown, label = `--${spec.name}`): boolean {
  if (raw === true || raw === 'true' || raw === 'yes') return true;
  if (raw === false || raw === 'false' || raw === 'no') return false;
  throw usage(`${label} must be true or false, got ${JSON.stringify(raw)}`);
}

function usage(message: string): GeneratorError {
  return new GeneratorError('GEN_ERR_USAGE', message);
}

/** The flag table for `--help`, one line per flag. */
export function formatFlagHelp(specs: readonly FlagSpec[]): string {
  const rows = specs.map((spec) => {
    const negation =
      spec.kind.type === 'boolean' && spec.kind.negatable ? `, --no-${spec.name}` : '';
    const value = spec.placeholder ? ` ${spec.placeholder}` : '';
    const alias = spec.alias ? `-${spec.alias}, ` : '';
    return [`  ${alias}--${spec.name}${value}${negation}`, spec.description] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => left.padEnd(width) + right).join('\n');
}
