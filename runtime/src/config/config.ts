import { ConfigError } from '../errors/config-error.js';
import { isSecretKey } from './secret-key.js';

/** One converted line: an integer, `true`/`false`, or text. */
export type ScalarValue = string | number | boolean;
/** A converted value: a scalar, or a list from continuation lines. */
export type ConfigValue = ScalarValue | ScalarValue[];

/** Where a value (or a section header) was written. */
export interface ConfigLocation {
  file: string | undefined;
  line: number | undefined;
}

/** A value with the place it was written. */
export interface ConfigEntry extends ConfigLocation {
  value: ConfigValue;
}

/** The entries of one section, by lower-cased key. */
export type SectionEntries = Map<string, ConfigEntry>;

/** The section whose keys every other section inherits. */
export const DEFAULT_SECTION = 'DEFAULT';
const HOST_PREFIX = 'host:';

/**
 * A read configuration: sections of converted values, each remembering the file and line it came
 * from so that any later complaint about a value can point at it.
 *
 * Keys of `[DEFAULT]` are inherited by every section. `forHost(host)` applies a `[host:NAME]`
 * section, whose keys are written `section.option`, for a request whose Host header is exactly
 * NAME (port included).
 *
 * ```ts
 * const config = parseConfig('[server]\nport = 8000\n');
 * config.get('server', 'port'); // 8000
 * ```
 */
export class Config {
  readonly #sections: Map<string, SectionEntries>;
  readonly #headers: Map<string, ConfigLocation>;
  readonly #hostViews = new Map<string, Config>();
  /** The main file this configuration was read from, if any. */
  readonly file: string | undefined;

  constructor(
    sections: Map<string, SectionEntries>,
    options: { file?: string | undefined; headers?: Map<string, ConfigLocation> } = {},
  ) {
    this.#sections = sections;
    this.#headers = options.headers ?? new Map();
    this.file = options.file;
  }

  /** Builds a configuration from plain values, for code and tests: `{ global: { debug: true } }`. */
  static fromObject(object: Record<string, Record<string, ConfigValue>>, file?: string): Config {
    const sections = new Map<string, SectionEntries>();
    for (const [name, options] of Object.entries(object)) {
      const entries: SectionEntries = new Map();
      for (const [key, value] of Object.entries(options)) {
        entries.set(key.toLowerCase(), { value, file, line: undefined });
      }
      sections.set(name, entries);
    }
    return new Config(sections, { file });
  }

  /** Section names in the order they were first written, without `DEFAULT`. */
  sections(): string[] {
    return [...this.#sections.keys()].filter((name) => name !== DEFAULT_SECTION);
  }

  hasSection(section: string): boolean {
    return this.#sections.has(section);
  }

  has(section: string, option: string): boolean {
    return this.#entry(section, option) !== undefined;
  }

  /** The converted value, or `undefined` when neither the section nor `[DEFAULT]` has it. */
  get(section: string, option: string): ConfigValue | undefined {
    return this.#entry(section, option)?.value;
  }

  /** Where a value was written, or the section header when the option is absent. */
  locate(section: string, option?: string): ConfigLocation {
    const entry = option === undefined ? undefined : this.#entry(section, option);
    if (entry) return { file: entry.file, line: entry.line };
    return this.#headers.get(section) ?? { file: this.file, line: undefined };
  }

  /** The section's pairs, its own keys first, then inherited `[DEFAULT]` keys. */
  items(section: string): [string, ConfigValue][] {
    return [...this.#merged(section)].map(([key, entry]) => [key, entry.value]);
  }

  /** The section as a plain object; `{}` for a missing section. */
  getSection(section: string): Record<string, ConfigValue> {
    return Object.fromEntries(this.items(section));
  }

  /** Every value under a `section.option` key. `[DEFAULT]` keys appear inside each section. */
  getMap(): Record<string, ConfigValue> {
    const map: Record<string, ConfigValue> = {};
    for (const section of this.sections()) {
      for (const [key, value] of this.items(section)) map[`${section}.${key}`] = value;
    }
    return map;
  }

  /** The value, which must be present; otherwise a `ConfigError` naming the section. */
  require(section: string, option: string): ConfigValue {
    const entry = this.#entry(section, option);
    if (entry) return entry.value;
    throw new ConfigError(
      'SVC_ERR_CONFIG_MISSING_KEY',
      `[${section}] ${option} is required but not set`,
      this.locate(section),
    );
  }

  getString(section: string, option: string, fallback: string): string;
  getString(section: string, option: string): string | undefined;
  getString(section: string, option: string, fallback?: string): string | undefined {
    const value = this.get(section, option);
    if (value === undefined) return fallback;
    if (Array.isArray(value)) this.#typeError(section, option, 'a single value');
    return String(value);
  }

  getInteger(section: string, option: string, fallback: number): number;
  getInteger(section: string, option: string): number | undefined;
  getInteger(section: string, option: string, fallback?: number): number | undefined {
    const value = this.get(section, option);
    if (value === undefined) return fallback;
    if (typeof value !== 'number') this.#typeError(section, option, 'an integer');
    return value;
  }

  getBoolean(section: string, option: string, fallback: boolean): boolean;
  getBoolean(section: string, option: string): boolean | undefined;
  getBoolean(section: string, option: string, fallback?: boolean): boolean | undefined {
    const value = this.get(section, option);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.#typeError(section, option, 'true or false');
    return value;
  }

  /** A list; a single value becomes a list of one. */
  getList(section: string, option: string): ScalarValue[] {
    const value = this.get(section, option);
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  }

  /**
   * The view for one request's Host header: the keys of `[host:HOST]` (written `section.option`)
   * override the base values. Hosts without a section share this object, so a client cannot grow
   * the cache by sending made-up Host headers.
   */
  forHost(host: string | undefined): Config {
    if (host === undefined) return this;
    const overrides = this.#sections.get(HOST_PREFIX + host);
    if (!overrides) return this;
    let view = this.#hostViews.get(host);
    if (!view) {
      view = this.#withOverrides(overrides);
      this.#hostViews.set(host, view);
    }
    return view;
  }

  #withOverrides(overrides: SectionEntries): Config {
    const sections = new Map<string, SectionEntries>();
    for (const [name, entries] of this.#sections) sections.set(name, new Map(entries));
    for (const [dotted, entry] of overrides) {
      const dot = dotted.lastIndexOf('.');
      if (dot <= 0) continue;
      const section = dotted.slice(0, dot);
      const target = sections.get(section) ?? new Map<string, ConfigEntry>();
      target.set(dotted.slice(dot + 1), entry);
      sections.set(section, target);
    }
    return new Config(sections, { file: this.file, headers: this.#headers });
  }

  #entry(section: string, option: string): ConfigEntry | undefined {
    const key = option.toLowerCase();
    return this.#sections.get(section)?.get(key) ?? this.#sections.get(DEFAULT_SECTION)?.get(key);
  }

  #merged(section: string): SectionEntries {
    const own = this.#sections.get(section);
    if (!own) return new Map();
    const merged = new Map(own);
    if (section === DEFAULT_SECTION) return merged;
    for (const [key, entry] of this.#sections.get(DEFAULT_SECTION) ?? []) {
      if (!merged.has(key)) merged.set(key, entry);
    }
    return merged;
  }

  #typeError(section: string, option: string, expected: string): never {
    // the message reaches logs and terminals, so a secret's value is described, never quoted
    const value = this.get(section, option);
    const got = isSecretKey(option)
      ? `a ${Array.isArray(value) ? 'list' : typeof value}`
      : JSON.stringify(value);
    throw new ConfigError(
      'SVC_ERR_CONFIG_TYPE',
      `[${section}] ${option} must be ${expected}, got ${got}`,
      this.locate(section, option),
    );
  }
}
