import { hasControlCharacters } from "@twx/keys/name";

/**
 * The server's rules for a key name (`@twx/keys`), checked in the browser first so every
 * message is in the reader's language: a translation key, or null when the name is fine.
 * (Length needs no check: the inputs stop at 64 characters.)
 */
export function keyNameProblem(name: string): "create.nameRequired" | "create.namePrintable" | null {
  const trimmed = name.trim();
  if (!trimmed) return "create.nameRequired";
  if (hasControlCharacters(trimmed)) return "create.namePrintable";
  return null;
}
