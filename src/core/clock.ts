/**
 * The one clock of a measurement: `process.hrtime.bigint()`, shared by every process on the
 * machine, as a Number of nanoseconds. A double holds it exactly up to 2^53 ns (104 days of
 * uptime) and to within a few ns beyond, far below what latency figures resolve.
 */
export function hrtimeNs(): number {
  return Number(process.hrtime.bigint());
}

export function hrtimeString(ns: number): string {
  return BigInt(Math.round(ns)).toString();
}

/** Now, exactly, as the wire contract's decimal string. */
export function nowHrtimeString(): string {
  return process.hrtime.bigint().toString();
}
