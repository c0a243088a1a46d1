/**
 * A double-quoted Dockerfile value (for `LABEL` and `ENV`) holding `value`. Inside double quotes
 * the builder reads `\"` and `\\` as escapes and expands `$`; a line break cannot be written at
 * all (a backslash before it continues the instruction, so a later `RUN` would become part of
 * it, and a bare one ends the instruction), so line breaks and other control characters become
 * spaces. The quoted form never starts a new instruction.
 *
 * ```ts
 * dockerfileString('a "b" $HOME\nRUN x'); // "a \"b\" \$HOME RUN x"
 * ```
 */
export function dockerfileString(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const oneLine = value.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ');
  return `"${oneLine.replace(/[\\"$]/g, (character) => `\\${character}`)}"`;
}
