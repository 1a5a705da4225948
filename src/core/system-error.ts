/** A system error in a few words: its description and code (`no space left on device, ENOSPC`), not the stack. */
export function describeSystemError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === undefined) return message;
  // Node's message is "CODE: description, syscall 'path'": keep the code and the description.
  const description = /^[A-Z0-9]+: ([^,]+)/.exec(message)?.[1];
  return description === undefined ? code : `${description}, ${code}`;
}

const NOT_PERMITTED = new Set(['EACCES', 'EPERM', 'EROFS']);

/** A refusal of the place, not a failure of the moment: no permission, or a read-only file system. */
export function isPermissionError(error: unknown): boolean {
  return NOT_PERMITTED.has((error as NodeJS.ErrnoException).code ?? '');
}
