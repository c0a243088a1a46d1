import { DEFAULT_SECTION, type ConfigEntry } from './config.js';
import { convertValue, type ConvertOptions } from './convert-value.js';
import type { Layer, LayerEntry } from './layer.js';
import type { RawDocument, RawOption } from './parse-ini.js';

/** The `extends` key of `[DEFAULT]`: which files a configuration builds on. */
const EXTENDS_KEY = 'extends';

export interface ConvertedDocument {
  layer: Layer;
  /** The converted `extends` value of `[DEFAULT]`, kept out of the layer itself. */
  extendsEntry: ConfigEntry | undefined;
}

/**
 * Turns a parsed file into a layer whose values convert on demand (see `LayerEntry`); only the
 * `extends` value is converted at once, since it decides which files to read next. When the
 * parse stopped at a syntax error, the values before it are converted first, so the error raised
 * is always the first mistake in the file.
 */
export function convertDocument(document: RawDocument, options: ConvertOptions): ConvertedDocument {
  const layer: Layer = { sections: new Map(), headers: new Map() };
  for (const section of document.sections.values()) {
    layer.sections.set(section.name, new Map());
    layer.headers.set(section.name, { file: document.file, line: section.line });
  }

  let extendsEntry: ConfigEntry | undefined;
  for (const [sectionName, option] of optionsByLine(document)) {
    const entry: LayerEntry = {
      file: document.file,
      line: option.line,
      convert: () => convertValue(option.lines, options),
    };
    if (document.error) entry.convert();
    if (sectionName === DEFAULT_SECTION && option.key === EXTENDS_KEY) {
      extendsEntry = { value: entry.convert(), file: entry.file, line: entry.line };
    } else {
      layer.sections.get(sectionName)!.set(option.key, entry);
    }
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
