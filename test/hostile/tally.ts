import { appendFileSync, mkdirSync } from 'node:fs';
import { afterAll, it } from 'vitest';
import type { ReferenceServer } from '../../src/server/reference-server.js';
import { startServer } from '../helpers/server.js';
import { answersHealth, expectStillServing } from './still-serving.js';
import type { ServerOptions } from '../../src/server/server-options.js';

/** The classes the hostile cases are counted in; the totals per class are printed after the whole run. */
export type HostileClass = 'server input' | 'journal' | 'harness' | 'signals';

/** Where each suite leaves its counts for the summary (test/helpers/hostile-summary.ts). */
export const TALLY_FOLDER = 'test-results/hostile-tally';

/**
 * What one hostile suite found: cases tried, answered as documented, and server crashes (the
 * in-process server no longer answering /health after a case). Printed after the suite, and
 * added to its class's line of the summary printed after the run.
 */
export class Tally {
  tried = 0;
  documented = 0;
  crashes = 0;
  readonly deviations: string[] = [];
  readonly crashed: string[] = [];

  constructor(
    readonly hostileClass: HostileClass,
    readonly suite: string,
  ) {
    afterAll(() => {
      console.log(this.format());
      this.save();
    });
  }

  private save(): void {
    mkdirSync(TALLY_FOLDER, { recursive: true });
    const { hostileClass, suite, tried, documented, crashes } = this;
    appendFileSync(
      `${TALLY_FOLDER}/counts.jsonl`,
      `${JSON.stringify({ hostileClass, suite, tried, documented, crashes })}\n`,
    );
  }

  format(): string {
    const lines = [
      `hostile input (${this.hostileClass}), ${this.suite}: ${this.tried} cases tried, ${this.documented} answered as documented, ` +
        `${this.tried - this.documented} not, ${this.crashes} server crashes`,
    ];
    for (const name of this.deviations) lines.push(`  not as documented: ${name}`);
    for (const name of this.crashed) lines.push(`  server stopped answering /health after: ${name}`);
    return lines.join('\n');
  }
}

export interface ServerCaseOptions {
  server?: Partial<ServerOptions>;
  timeoutMs?: number;
}

/** Records a case's outcome once, whichever comes first: its end or its timeout. */
function outcome(tally: Tally, name: string, signal: AbortSignal): (deviation?: string) => void {
  let recorded = false;
  const record = (deviation?: string): void => {
    if (recorded) return;
    recorded = true;
    if (deviation === undefined) tally.documented++;
    else tally.deviations.push(deviation);
  };
  signal.addEventListener('abort', () => record(`${name} (timed out)`), { once: true });
  return record;
}

/**
 * One hostile case against a fresh in-process reference server. After it, the server must
 * still answer /health (else it counts as a crash) and still serve a normal client of every
 * technique; the case counts as documented only when all of that held.
 */
export function serverCase(
  tally: Tally,
  name: string,
  body: (server: ReferenceServer) => Promise<void>,
  { server: overrides = {}, timeoutMs = 10_000 }: ServerCaseOptions = {},
): void {
  it(name, { timeout: timeoutMs }, async ({ signal }) => {
    tally.tried++;
    const record = outcome(tally, name, signal);
    const server = await startServer(overrides);
    let failure: unknown;
    try {
      await body(server);
    } catch (error) {
      failure = error;
    }
    // A timed-out case has been torn down (its server closed): nothing more to learn from it.
    if (signal.aborted) return;
    if (!(await answersHealth(server.url))) {
      tally.crashes++;
      tally.crashed.push(name);
      record(name);
      throw failure ?? new Error('the server stopped answering /health');
    }
    if (failure !== undefined) {
      record(name);
      throw failure;
    }
    try {
      await expectStillServing(server);
    } catch (error) {
      record(`${name} (a normal client was not served afterwards)`);
      throw error;
    }
    record();
  });
}

/**
 * One hostile case that brings its own subject (one of our clients, a journal file, a
 * process): it counts as documented when the body passes.
 */
export function hostileCase(
  tally: Tally,
  name: string,
  body: () => Promise<void>,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): void {
  it(name, { timeout: timeoutMs }, async ({ signal }) => {
    tally.tried++;
    const record = outcome(tally, name, signal);
    try {
      await body();
    } catch (error) {
      record(name);
      throw error;
    }
    record();
  });
}
