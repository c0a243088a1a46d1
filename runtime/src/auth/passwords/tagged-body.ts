/**
 * The text after an RFC 2307 `{TAG}` prefix, or `undefined` when `stored` does not start with
 * `tag`. Tags are case-insensitive (OpenLDAP reads `{ssha}` as `{SSHA}`), so the comparison
 * ignores case; `tag` is written in upper case. The body is returned as written: each scheme
 * decodes and checks it.
 */
export function taggedBody(stored: string, tag: string): string | undefined {
  if (stored.length < tag.length || stored.slice(0, tag.length).toUpperCase() !== tag) {
    return undefined;
  }
  return stored.slice(tag.length);
}
