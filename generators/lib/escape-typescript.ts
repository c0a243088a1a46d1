/**
 * A single-quoted TypeScript (and JavaScript) string literal holding exactly `value`, in the
 * quote style of the generated code. It starts from JSON.stringify, which escapes backslashes and
 * control characters, then swaps the quoting: `\"` becomes `"`, and `'` becomes `\'`. U+2028 and
 * U+2029 are escaped too, so that a literal never spans lines in an editor.
 *
 * ```ts
 * tsString("'; process.exit(1); '"); // '\'; process.exit(1); \''
 * ```
 */
export function tsString(value: string): string {
  const inner = JSON.stringify(value)
    .slice(1, -1)
    .replace(/\\(.)|'|[\u2028\u2029]/g, (match: string, escaped: string | undefined) => {
      if (escaped !== undefined) return escaped === '"' ? '"' : match;
      if (match === "'") return "\\'";
      return `\\u${match.charCodeAt(0).toString(16)}`;
    });
  return `'${inner}'`;
}
