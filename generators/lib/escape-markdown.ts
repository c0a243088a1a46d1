/** Characters that open or close inline markup, a table cell or raw HTML anywhere in a line. */
const inlineMarkup = /[\\`*_{}[\]<>|~&!]/g;
/** What makes a line a heading, a list item, a quote or a setext underline when it starts it. */
const lineStartMarkup = /^(\s*)([#+\-=>]|\d+[.)])/;

/**
 * Markdown text that shows exactly `value` inside a paragraph: markup characters are
 * backslash-escaped (CommonMark allows that for any ASCII punctuation), so no answer becomes
 * emphasis, a link, a table cell, raw HTML or a heading; line breaks become spaces so that the
 * answer stays in its paragraph. Plain prose (`A billing service.`) is left as written.
 *
 * ```ts
 * markdownText('*bold* </script>'); // \*bold\* \</script\>
 * ```
 */
export function markdownText(value: string): string {
  const oneLine = value.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const inline = oneLine.replace(inlineMarkup, (character) => `\\${character}`);
  return inline.replace(lineStartMarkup, (_match, space: string, mark: string) => {
    return `${space}${mark.slice(0, -1)}\\${mark.slice(-1)}`;
  });
}
