import { ConfigError } from '../errors/config-error.js';

/** A route path ready for the router: the router's own string syntax, or a compiled pattern. */
export type RoutePattern = { kind: 'router'; path: string } | { kind: 'legacy'; path: RegExp };

const LEGACY_PARAMETER = /\{[A-Za-z_]\w*(?::|\})/;
const NAME = /^[A-Za-z_]\w*/;

/**
 * Turns a route path into what the router matches. Paths in the router's syntax (`/:username`,
 * `/files/*rest`) pass through. Paths in the legacy Routes syntax (`{name}` for one segment,
 * `{name:regex}` for a pattern that must match the whole segment) become one anchored regular
 * expression with a named group per parameter; `:name` segments may be mixed in. The router
 * cannot take the legacy form itself: in its syntax braces mark an optional part.
 *
 * ```ts
 * compileRoutePattern('/{api:1.0|1}/{username:[a-z]+}/info');
 * // { kind: 'legacy', path: /^\/(?<api>(?:1.0|1))\/(?<username>(?:[a-z]+))\/info$/ }
 * ```
 */
export function compileRoutePattern(path: string, describe: string): RoutePattern {
  if (!LEGACY_PARAMETER.test(path)) return { kind: 'router', path };

  const names: string[] = [];
  let source = '';
  let index = 0;
  while (index < path.length) {
    const parameter = readParameter(path, index, describe);
    if (parameter === undefined) {
      source += escapeLiteral(path[index] ?? '');
      index += 1;
      continue;
    }
    if (names.includes(parameter.name)) {
      fail(`${describe}: parameter "${parameter.name}" appears twice in ${path}`);
    }
    names.push(parameter.name);
    source += `(?<${parameter.name}>(?:${parameter.pattern}))`;
    index = parameter.end;
  }

  return { kind: 'legacy', path: compile(`^${source}$`, path, describe) };
}

interface Parameter {
  name: string;
  pattern: string;
  end: number;
}

function readParameter(path: string, index: number, describe: string): Parameter | undefined {
  const char = path[index];
  if (char === ':') return readColonParameter(path, index);
  if (char !== '{') return undefined;

  const name = NAME.exec(path.slice(index + 1))?.[0];
  if (name === undefined) return undefined;
  const after = index + 1 + name.length;
  if (path[after] === '}') return { name, pattern: '[^/]+', end: after + 1 };
  if (path[after] !== ':') return undefined;

  const close = matchingBrace(path, after + 1);
  if (close === -1) fail(`${describe}: unclosed "{${name}:" in ${path}`);
  const pattern = path.slice(after + 1, close);
  if (pattern === '') fail(`${describe}: empty pattern for "${name}" in ${path}`);
  return { name, pattern, end: close + 1 };
}

function readColonParameter(path: string, index: number): Parameter | undefined {
  const name = NAME.exec(path.slice(index + 1))?.[0];
  if (name === undefined) return undefined;
  return { name, pattern: '[^/]+', end: index + 1 + name.length };
}

// a pattern may hold its own quantifier braces, `{3}` or `{2,4}`, so braces are counted
function matchingBrace(path: string, start: number): number {
  let depth = 0;
  for (let index = start; index < path.length; index += 1) {
    const char = path[index];
    if (char === '\\') index += 1;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      if (depth === 0) return index;
      depth -= 1;
    }
  }
  return -1;
}

function escapeLiteral(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

function compile(source: string, path: string, describe: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    return fail(
      `${describe}: the pattern in ${path} is not a valid regular expression (${(error as Error).message})`,
    );
  }
}

function fail(message: string): never {
  throw new ConfigError('SVC_ERR_APP_INVALID_ROUTE', message);
}
