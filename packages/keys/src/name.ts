/**
 * The rules for a key's name, in one place for the domain, the tRPC inputs and the browser's
 * own check. Imports nothing, so a client component may use it (`@twx/keys/name`).
 */
export const KEY_NAME_MAX = 64;

/** C0 controls and DEL: refused in names (a pasted tab or line break, a NUL). */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTERS.test(text);
}
