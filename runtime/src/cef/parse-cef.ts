import { ServiceError } from '../errors/service-error.js';
import { EXTENSION_KEY, unescapeCef } from './escape-cef.js';

/** A CEF record split back into its fields, every value unescaped. */
export interface ParsedCef {
  /** As written, `Jan 05 13:45:07`. */
  date: string;
  host: string;
  version: string;
  vendor: string;
  product: string;
  deviceVersion: string;
  signature: string;
  name: string;
  severity: string;
  /** The extensions in the order they were written. */
  extensions: [string, string][];
}

const DATE_LENGTH = 15;
const HEADER_FIELDS = 7;

/**
 * Splits a record written by `formatCef` back into its header fields and extension values. The
 * header ends at the seventh `|` that is not escaped; an extension key is the word before each
 * unescaped `=`, and its value runs to the space before the next key. A line that does not have
 * that shape is a `ServiceError` with code `SVC_ERR_CEF_PARSE`.
 *
 * ```ts
 * parseCef(formatCef(event, cefConfig)).extensions; // [['cs1Label', 'requestClientApplication'], ...]
 * ```
 */
export function parseCef(line: string): ParsedCef {
  const date = line.slice(0, DATE_LENGTH);
  const hostEnd = line.indexOf(' ', DATE_LENGTH + 1);
  if (line[DATE_LENGTH] !== ' ' || hostEnd < 0 || !line.startsWith('CEF:', hostEnd + 1)) {
    fail('it does not start with "<date> <host> CEF:"');
  }
  const host = unescapeCef(line.slice(DATE_LENGTH + 1, hostEnd));
  const { fields, rest } = splitHeader(line.slice(hostEnd + 1 + 'CEF:'.length));
  const [version, vendor, product, deviceVersion, signature, name, severity] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    date,
    host,
    version,
    vendor,
    product,
    deviceVersion,
    signature,
    name,
    severity,
    extensions: splitExtensions(rest),
  };
}

function splitHeader(text: string): { fields: string[]; rest: string } {
  const fields: string[] = [];
  let start = 0;
  for (let index = 0; index < text.length && fields.length < HEADER_FIELDS; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '|') {
      fields.push(unescapeCef(text.slice(start, index)));
      start = index + 1;
    }
  }
  if (fields.length < HEADER_FIELDS) fail(`the header has ${fields.length} of 7 fields`);
  return { fields, rest: text.slice(start) };
}

function splitExtensions(text: string): [string, string][] {
  if (text === '') return [];
  const separators = unescapedEquals(text);
  const extensions: [string, string][] = [];
  let keyStart = 0;
  for (const [position, equals] of separators.entries()) {
    const key = text.slice(keyStart, equals);
    if (!EXTENSION_KEY.test(key)) fail(`${JSON.stringify(key)} is not an extension key`);
    const next = separators[position + 1];
    // the value ends at the last space before the next key
    const valueEnd = next === undefined ? text.length : text.lastIndexOf(' ', next);
    if (valueEnd <= equals) fail(`no space before the key at offset ${next}`);
    extensions.push([key, unescapeCef(text.slice(equals + 1, valueEnd))]);
    keyStart = valueEnd + 1;
  }
  if (separators.length === 0) fail('the extension has no key');
  return extensions;
}

function unescapedEquals(text: string): number[] {
  const positions: number[] = [];
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '=') positions.push(index);
  }
  return positions;
}

function fail(problem: string): never {
  throw new ServiceError('SVC_ERR_CEF_PARSE', `Not a CEF record: ${problem}`);
}
