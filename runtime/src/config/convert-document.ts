import { DEFAULT_SECTION, type ConfigEntry, type SectionEntries } from './config.js';
import { convertValue, type ConvertOptions } from './convert-value.js';
import type { Layer } from './layer.js';
import type { RawDocument, RawOption } from './parse-ini.js';

/** The `extends` key of `[DEFAULT]`: which files a configuration builds on. */
export const EXTENDS_KEY = 'extends';

export interface ConvertedDocument {
  layer: Layer;
  /** The converted `extends` value of `[DEFAULT]`, kept out of the layer itself. */
  extendsEntry: ConfigEntry | undefined;
}

/**
 * Converts every value of a parsed file, remembering where each was written. Values are
 * converted in line order and the syntax error that stopped the parse (if any) comes last, so
 * the error raised is always the first mistake in the file.
 */
export function convertDocument(document: RawDocument, options: ConvertOptions): ConvertedDocument {
  const layer: Layer = { sections: new Map(), headers: new Map() };
  for (const section of document.sections.values()) {
    layer.sections.set(section.name, new Map());
    layer.headers.set(section.name, { file: document.file, line: section.line });
  }

  let extendsEntry: ConfigEntry | undefined;
  for (const [sectionName, option] of optionsByLine(document)) {
    const value = convertValue(option.lines, options);
    const entry: ConfigEntry = { value, file: document.file, line: option.line };
    if (sectionName === DEFAULT_SECTION && option.key === EXTENDS_KEY) extendsEntry = entry;
    else (layer.sections.get(sectionName) as SectionEntries).set(option.key, entry);
  }

  if (document.error) throw document.error;
  return { layer, extendsEntry };
}

/** Options of a section written under several headers are not in line order; this restores it. */
function optionsByLine(document: RawDocument): [string, RawOption][] {
  const options: [string, RawOption][] = [];
  for (const section of document.sections.values()) {
    for (const option of section.options.values()) options.push([section.name, option]);
  }
  return options.sort((left, right) => left[1].line - right[1].line);
}
