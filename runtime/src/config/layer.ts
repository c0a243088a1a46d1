import type { ConfigEntry, ConfigLocation, SectionEntries } from './config.js';

/** The converted sections of one file, or of a file merged with everything it extends. */
export interface Layer {
  sections: Map<string, SectionEntries>;
  headers: Map<string, ConfigLocation>;
}

/**
 * Lays `top` over `base`, section by section and key by key: a key `top` sets wins, the keys
 * only `base` has stay. Sections keep the order in which `base`, then `top`, first wrote them.
 */
export function overlay(base: Layer, top: Layer): Layer {
  const sections = new Map<string, SectionEntries>();
  for (const [name, entries] of base.sections) sections.set(name, new Map(entries));
  for (const [name, entries] of top.sections) {
    const merged = sections.get(name) ?? new Map<string, ConfigEntry>();
    for (const [key, entry] of entries) merged.set(key, entry);
    sections.set(name, merged);
  }
  return { sections, headers: new Map([...base.headers, ...top.headers]) };
}
