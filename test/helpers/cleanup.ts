type Cleanup = () => unknown;

const pending: Cleanup[] = [];

/** Registers something to undo after the current test, newest first. */
export function defer(cleanup: Cleanup): void {
  pending.push(cleanup);
}

export async function runCleanups(): Promise<void> {
  const errors: unknown[] = [];
  while (pending.length > 0) {
    try {
      await pending.pop()!();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}
