/** Burns CPU for `copies` delivered copies of an envelope at once. */
export type CopyBurner = (copies: number) => void;

/**
 * `serve --calibrate-cpu`: busy CPU time per delivered copy, to slow the server on purpose when
 * calibrating compare. Undefined at 0, so the hot path of a real measurement reads no clock
 * and runs no loop (callers skip it with `?.`).
 */
export function copyBurner(microsPerCopy: number): CopyBurner | undefined {
  if (!(microsPerCopy > 0)) return undefined;
  return (copies) => {
    if (copies <= 0) return;
    const until = performance.now() + (copies * microsPerCopy) / 1_000;
    while (performance.now() < until) {
      // A spin on the clock, not a sleep: the time must be spent on the CPU, as real work would be.
    }
  };
}
