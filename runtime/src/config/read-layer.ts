import { dirname } from 'node:path';
import type { ConfigEntry } from './config.js';
import { convertDocument } from './convert-document.js';
import { applyExtends, type ChainLink } from './extends.js';
import type { ConfigEnv } from './interpolate.js';
import type { Layer } from './layer.js';
import { parseIni } from './parse-ini.js';
import { readConfigFile } from './read-config-file.js';

/** State shared by every file read for one configuration. */
export interface ReadSession {
  env: ConfigEnv;
  root: string;
  /** Files already read, by real path: a file extended twice (a diamond) is read once. */
  cache: Map<string, Layer>;
}

/**
 * Reads one configuration text into a layer: parse, convert, then follow its `extends`.
 * `file` is the name errors and `%(here)s` use; without it, paths are relative to the working
 * directory.
 */
export function readTextLayer(
  text: string,
  file: string | undefined,
  chain: readonly ChainLink[],
  session: ReadSession,
): Layer {
  const document = parseIni(text, file);
  const here = file === undefined ? '.' : dirname(file);
  const { layer, extendsEntry } = convertDocument(document, { env: session.env, here, file });
  return applyExtends(layer, extendsEntry, {
    chain,
    root: session.root,
    readLayer: (path, nextChain, at) => readExtendedLayer(path, nextChain, at, session),
  });
}

function readExtendedLayer(
  path: string,
  chain: readonly ChainLink[],
  at: ConfigEntry,
  session: ReadSession,
): Layer {
  const identity = chain[chain.length - 1]!.identity;
  const cached = session.cache.get(identity);
  if (cached) return cached;
  const text = readConfigFile(path, {
    missingCode: 'SVC_ERR_CONFIG_EXTENDS_MISSING',
    unreadableCode: 'SVC_ERR_CONFIG_EXTENDS_MISSING',
    location: { file: at.file, line: at.line },
    describe: 'the extended file',
  });
  const layer = readTextLayer(text, path, chain, session);
  session.cache.set(identity, layer);
  return layer;
}
