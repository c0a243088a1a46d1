import type { ConfigError } from '../errors/config-error.js';
import { configErrorAt } from './config-error-at.js';

/** One physical line of a value: the text after `=` (or a continuation line), and where it is. */
export interface RawLine {
  text: string;
  line: number;
}

/** An option as written: its first line and its continuation lines, none converted yet. */
export interface RawOption {
  key: string;
  line: number;
  lines: RawLine[];
}

export interface RawSection {
  name: string;
  line: number;
  options: Map<string, RawOption>;
}

/**
 * The sections of one file in the order they first appear; repeated sections are merged. Reading
 * stops at the first line that breaks the syntax, kept in `error`, so that a caller converting
 * the values above it can still report an earlier mistake first.
 */
export interface RawDocument {
  file: string | undefined;
  sections: Map<string, RawSection>;
  error: ConfigError | undefined;
}

interface ParseState {
  document: RawDocument;
  section: RawSection | undefined;
  option: RawOption | undefined;
}

/**
 * Splits INI text into sections of raw option lines. This layer knows only the line structure:
 * headers, `key = value` / `key: value`, comments, blank lines and indented continuation lines.
 * Values keep their raw text; inline comments and quotes are the value reader's business because
 * they depend on where a quoted string ends.
 */
export function parseIni(text: string, file: string | undefined): RawDocument {
  const document: RawDocument = { file, sections: new Map(), error: undefined };
  const state: ParseState = { document, section: undefined, option: undefined };
  const lines = stripByteOrderMark(text).split('\n');
  try {
    for (let index = 0; index < lines.length; index++) {
      readLine(state, withoutCarriageReturn(lines[index]!), index + 1);
    }
  } catch (error) {
    document.error = error as ConfigError;
  }
  return document;
}

function readLine(state: ParseState, text: string, line: number): void {
  if (isBlank(text) || isComment(text)) return;

  // an indented line continues the open option, whatever it starts with
  if (isWhitespace(text.charCodeAt(0))) {
    if (!state.option) {
      throw syntaxError(state, line, 'an indented line must continue an option written above it');
    }
    state.option.lines.push({ text, line });
    return;
  }

  if (text.startsWith('[')) {
    openSection(state, text, line);
    return;
  }
  addOption(state, text, line);
}

function openSection(state: ParseState, text: string, line: number): void {
  const close = text.indexOf(']');
  if (close === -1) {
    throw configErrorAt(
      'SVC_ERR_CONFIG_UNCLOSED_SECTION',
      `section header ${JSON.stringify(text)} has no closing "]"`,
      { file: state.document.file, line },
    );
  }
  const name = text.slice(1, close).trim();
  if (name === '') throw syntaxError(state, line, 'a section header needs a name: [name]');
  if (!isBlankOrComment(text.slice(close + 1))) {
    throw syntaxError(state, line, `unexpected text after the section header [${name}]`);
  }

  let section = state.document.sections.get(name);
  if (!section) {
    section = { name, line, options: new Map() };
    state.document.sections.set(name, section);
  }
  state.section = section;
  state.option = undefined;
}

function addOption(state: ParseState, text: string, line: number): void {
  const separator = findSeparator(text);
  if (separator === -1) {
    throw syntaxError(state, line, `expected "key = value", got ${JSON.stringify(text)}`);
  }
  const key = text.slice(0, separator).trim().toLowerCase();
  if (key === '') throw syntaxError(state, line, `the option has no name: ${JSON.stringify(text)}`);
  if (!state.section) {
    throw configErrorAt(
      'SVC_ERR_CONFIG_NO_SECTION',
      `option "${key}" comes before any [section] header`,
      { file: state.document.file, line },
    );
  }

  const option: RawOption = { key, line, lines: [{ text: text.slice(separator + 1), line }] };
  state.section.options.set(key, option);
  state.option = option;
}

/** The first `=` or `:`; the key is everything before it. */
function findSeparator(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x3d || code === 0x3a) return index;
  }
  return -1;
}

function isComment(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first === 0x23 || first === 0x3b) return true;
  return startsWithRemWord(text);
}

/** The legacy reader also skips lines whose first word is `rem`, in any case. */
function startsWithRemWord(text: string): boolean {
  if (text.length < 3 || text.slice(0, 3).toLowerCase() !== 'rem') return false;
  return text.length === 3 || isWhitespace(text.charCodeAt(3));
}

function isBlankOrComment(text: string): boolean {
  let index = 0;
  while (index < text.length && isWhitespace(text.charCodeAt(index))) index++;
  const code = text.charCodeAt(index);
  return index === text.length || code === 0x3b || code === 0x23;
}

function isBlank(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    if (!isWhitespace(text.charCodeAt(index))) return false;
  }
  return true;
}

/** Space and tab only: other control characters are data. */
export function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function withoutCarriageReturn(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function syntaxError(state: ParseState, line: number, message: string): ConfigError {
  return configErrorAt('SVC_ERR_CONFIG_SYNTAX', message, { file: state.document.file, line });
}
