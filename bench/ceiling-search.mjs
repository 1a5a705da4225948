// The search of the ceiling benchmarks: from a starting rate, double until a probe fails, then
// bisect between the last rate that passed and the first that failed until they are within 10 %
// (or 2 msg/s) of each other. `probe(rate)` resolves to `{ ok, ... }`. Doubling stops at
// `maxRate`, so a search that never fails still ends.
export async function findCeiling(probe, startRate, maxRate = 100_000) {
  let passed;
  let failedRate;
  for (let rate = startRate; failedRate === undefined; rate *= 2) {
    if (rate > maxRate) return passed;
    const attempt = await probe(rate);
    if (attempt.ok) passed = { rate, ...attempt };
    else failedRate = rate;
  }
  let low = passed?.rate ?? 0;
  let high = failedRate;
  while (high - low > Math.max(2, low * 0.1)) {
    const rate = Math.round((low + high) / 2);
    const attempt = await probe(rate);
    if (attempt.ok) {
      passed = { rate, ...attempt };
      low = rate;
    } else {
      high = rate;
    }
  }
  // The highest rate that passed with what its probe returned; undefined when none did.
  return passed;
}
