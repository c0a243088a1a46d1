import type { ConfigLocation, ConfigValue, SectionEntries } from './config.js';

/**
 * A value as read from a file, converted only when it is known to be the one that counts: a key
 * that an including file replaces is never converted, so a base file's `${SECRET}` need not be
 * set when the including file writes the key itself.
 */
export interface LayerEntry extends ConfigLocation {
  convert(): ConfigValue;
}

/** The sections of one file, or of a file merged with everything it extends. */
export interface Layer {
  sections: Map<string, Map<string, LayerEntry>>;
  headers: Map<string, ConfigLocation>;
}

/**
 * Lays `top` over `base`, section by section and key by key: a key `top` sets wins, the keys
 * only `base` has stay. Sections keep the order in which `base`, then `top`, first wrote them.
 */
export function overlay(base: Layer, top: Layer): Layer {
  const sections = new Map<string, Map<string, LayerEntry>>();
  for (const [name, entries] of base.sections) sections.set(name, new Map(entries));
  for (const [name, entries] of top.sections) {
    const merged = sections.get(name) ?? new Map<string, LayerEntry>();
    for (const [key, entry] of entries) merged.set(key, entry);
    sections.set(name, merged);
  }
  return { sections, headers: new Map([...base.headers, ...top.headers]) };
}

/**
 * Converts the values that won the overlay. They are converted file by file in line order, so
 * the error raised is the first mistake of its file even when a section was written twice.
 */
export function materialize(layer: Layer): Map<string, SectionEntries> {
  const values = new Map<LayerEntry, ConfigValue>();
  for (const entry of inWrittenOrder(layer)) values.set(entry, entry.convert());

  const sections = new Map<string, SectionEntries>();
  for (const [name, entries] of layer.sections) {
    const converted: SectionEntries = new Map();
    for (const [key, entry] of entries) {
      converted.set(key, { value: values.get(entry)!, file: entry.file, line: entry.line });
    }
    sections.set(name, converted);
  }
  return sections;
}

function inWrittenOrder(layer: Layer): LayerEntry[] {
  const entries = [...layer.sections.values()].flatMap((section) => [...section.values()]);
  const fileOrder = new Map<string | undefined, number>();
  for (const entry of entries)
    if (!fileOrder.has(entry.file)) fileOrder.set(entry.file, fileOrder.size);
  const rank = (entry: LayerEntry): [number, number] => [
    fileOrder.get(entry.file)!,
    entry.line ?? 0,
  ];
  return entries.sort((left, right) => {
    const [leftFile, leftLine] = rank(left);
    const [rightFile, rightLine] = rank(right);
    return leftFile - rightFile || leftLine - rightLine;
  });
}
