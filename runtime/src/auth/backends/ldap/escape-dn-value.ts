import { ServiceError } from '../../../errors/service-error.js';

/**
 * Escapes a string for use as an attribute value in a distinguished name (RFC 4514 section 2.4):
 * `"`, `+`, `,`, `;`, `<`, `>`, `\` and `=` get a backslash, and so do a leading `#` or space and
 * a trailing space. The result never uses the quoted form of RFC 1779, which RFC 4514 dropped.
 *
 * NUL, LF and the other C0 control characters (and DEL) are refused with
 * `SVC_ERR_AUTH_LDAP_DN_VALUE` rather than hex-escaped: no user name legitimately holds them, and
 * servers disagree on how they compare.
 *
 * ```ts
 * `cn=${escapeDnValue('Smith, John')},ou=people`; // cn=Smith\, John,ou=people
 * ```
 */
export function escapeDnValue(value: string): string {
  if (hasControlCharacter(value)) {
    throw new ServiceError(
      'SVC_ERR_AUTH_LDAP_DN_VALUE',
      'a DN value may not contain control characters',
      { status: 400 },
    );
  }
  const characters = [...value];
  const last = characters.length - 1;
  return characters
    .map((character, index) => {
      if (specials.has(character)) return `\\${character}`;
      if (index === 0 && (character === '#' || character === ' ')) return `\\${character}`;
      if (index === last && character === ' ') return '\\ ';
      return character;
    })
    .join('');
}

const specials = new Set(['"', '+', ',', ';', '<', '>', '\\', '=']);

/** Whether the text holds a C0 control character (NUL to U+001F) or DEL. */
export function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
