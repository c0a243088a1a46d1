/**
 * A TypeScript (and JavaScript) string literal holding exactly `value`. JSON.stringify escapes
 * quotes, backslashes and control characters; U+2028 and U+2029 are escaped too so that the
 * source stays one line per literal in every editor.
 *
 * ```ts
 * tsString('"; process.exit(1); "'); // "\"; process.exit(1); \""
 * ```
 */
export function tsString(value: string): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (character) => {
    return `\\u${character.charCodeAt(0).toString(16)}`;
  });
}

/** The same literal for a line of a comment or a template string: no `*\/`, no backtick, no `${`. */
export function tsCommentText(value: string): string {
  return value.replace(/\*\//g, '* /').replace(/[\r\n\u2028\u2029]+/g, ' ');
}
