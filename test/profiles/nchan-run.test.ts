import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { runCli } from '../helpers/cli.js';
import { processesInPrefixOf } from '../helpers/processes.js';
import { validateResult } from '../helpers/result-schema.js';

/** CI installs Debian's nginx and nchan (.ci/run); only a developer machine without them may skip. */
const nchanRunnable =
  (existsSync('/usr/sbin/nginx') && existsSync('/usr/lib/nginx/modules/ngx_nchan_module.so')) ||
  process.env.CI !== undefined;

describe.skipIf(!nchanRunnable)('the nchan profile (nginx + nchan, started by im-bench)', () => {
  it('measures each technique nchan offers on a fresh nginx, losing nothing, and leaves no nginx behind', async () => {
    const result = await runCli(
      [
        'run',
        '--server',
        'nchan',
        '--transport',
        'all',
        '--clients',
        '20',
        '--duration',
        '2s',
        '--warmup',
        '500ms',
        '--json',
      ],
      120_000,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('nchan: http-streaming skipped: the nchan profile does not offer it');
    const document = JSON.parse(result.stdout) as RunResult;
    expect(validateResult(document)).toEqual([]);
    expect(document.transports.map((t) => t.transport)).toEqual(['short-polling', 'long-polling', 'sse', 'websocket']);
    for (const t of document.transports) {
      expect(t.profile).toBe('nchan');
      expect([t.delivery.lost, t.delivery.duplicated, t.delivery.outOfOrder], t.transport).toEqual([0, 0, 0]);
      expect(t.delivery.deliveredInWindow, t.transport).toBeGreaterThan(0);
      // nginx's master and worker, read from /proc.
      expect(t.server.cpuSeconds, t.transport).toBeGreaterThan(0);
      expect(t.server.connectedRssBytes, t.transport).toBeGreaterThan(0);
    }
    expect(processesInPrefixOf('nchan')).toEqual([]);
  }, 150_000);
});
