const SHOWN_CHARACTERS = 80;

/**
 * A value read from outside (a file, a document, a message), as an error message shows it:
 * JSON, cut short; `nothing` for a missing one. A hostile value (nested a million deep, a
 * megabyte long) must not make the message itself fail or fill the screen.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? 'a list nested too deep to show' : `a ${typeof value} too deep to show`;
  }
  return text.length <= SHOWN_CHARACTERS ? text : `${text.slice(0, SHOWN_CHARACTERS)}… (${text.length} characters)`;
}
