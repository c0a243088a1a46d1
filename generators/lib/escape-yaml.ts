/**
 * A YAML double-quoted scalar holding exactly `value`. JSON strings are valid YAML 1.2
 * double-quoted scalars, and escaping the characters YAML treats as line breaks (NEL, LS, PS) as
 * well keeps every answer on its line.
 *
 * ```ts
 * yamlString('a: b # c'); // "a: b # c"
 * ```
 */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (character) => {
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
