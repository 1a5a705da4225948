import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { runCli } from '../helpers/cli.js';
import { packagePath } from '../../src/core/paths.js';
import { loadProfileFile } from '../../src/profiles/profile-file.js';
import { ProfileServer } from '../../src/profiles/profile-server.js';
import { defer } from '../helpers/cleanup.js';
import { processesInPrefixOf } from '../helpers/processes.js';
import { nchanRunnable } from '../helpers/nchan.js';
import { validateResult } from '../helpers/result-schema.js';

describe.skipIf(!nchanRunnable)('the nchan profile (needs nginx-light and libnginx-mod-nchan)', () => {
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
        '--ramp-up',
        '200ms',
        '--drain',
        '1s',
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

  it('serves TLS and HTTP/2 itself, as nchan is deployed: its nginx ends them with the run’s certificate', async () => {
    const flags = ['--tls', '--http2', '--server', 'nchan', '--transport', 'short-polling,sse,websocket'];
    const result = await runCli(
      ['run', ...flags, '--clients', '5', '--duration', '1s', '--warmup', '300ms', '--ramp-up', '100ms', '--json'],
      60_000,
    );
    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as RunResult;
    expect(validateResult(document)).toEqual([]);
    expect(document.environment.deployment).toEqual({ tls: true, http: 'h2', via: 'none' });
    for (const t of document.transports) {
      expect([t.delivery.lost, t.delivery.deliveredInWindow > 0], t.transport).toEqual([0, true]);
      expect(t.connect.handshakeBytes, t.transport).toBeGreaterThan(1_000);
      // No proxy in front: nchan's own nginx spoke TLS.
      expect(t.proxy, t.transport).toBeUndefined();
    }
    // The polls went out as HTTP/2 streams (no head of their own on the wire); the WebSocket over HTTP/1.1.
    expect(document.transports[0]!.bytes.wire!.h200).toBeNull();
  }, 90_000);
});

describe.skipIf(!nchanRunnable)('the nchan profile under faults (needs nginx-light and libnginx-mod-nchan)', () => {
  it('is gone as soon as its master and workers are dead, not once init has reaped them (a restart is timed from it)', async () => {
    const profile = await loadProfileFile(packagePath('profiles', 'nchan.yaml'), 'nchan.yaml', () => 'reference');
    const values = { workers: 2, buffer: 1000, 'heartbeat-seconds': 15, 'long-poll-timeout-seconds': 5 };
    const server = await ProfileServer.start(profile, { values, prefix: [] });
    defer(() => server.stop());
    const started = performance.now();
    await server.kill();
    // Workers orphaned by the master's death are zombies until init reaps them: a second here.
    expect(performance.now() - started).toBeLessThan(500);
    expect(processesInPrefixOf('nchan')).toEqual([]);
  });

  it('restart: kills nginx on time and starts it again; what the memory store held is counted lost, a finding', async () => {
    const result = await runCli(
      [
        'run',
        '--server',
        'nchan',
        '--scenario',
        'restart',
        '--transport',
        'short-polling,sse',
        '--clients',
        '20',
        '--duration',
        '3s',
        '--fault-at',
        '1s',
        '--warmup',
        '500ms',
        '--json',
      ],
      120_000,
    );
    expect(result.code, result.stderr).toBe(0);
    const [poll, sse] = (JSON.parse(result.stdout) as RunResult).transports;
    for (const t of [poll!, sse!]) {
      // Struck 1 s into the window, as asked: not once init had reaped the workers.
      expect(t.fault!.atSeconds, t.transport).toBeLessThan(1.5);
      expect(t.fault!.journal, t.transport).toBeNull();
      expect(t.fault!.recoveredClients, t.transport).toBe(t.fault!.affectedClients);
      expect(t.delivery.duplicated, t.transport).toBe(0);
    }
    // Polled once a second, what the killed nginx held and no client had asked for yet is gone.
    expect(poll!.delivery.lost).toBeGreaterThan(0);
  }, 150_000);
});

describe.skipIf(!nchanRunnable)(
  'the nchan profile: workers and dropped connections (needs nginx-light and libnginx-mod-nchan)',
  () => {
    it('starts nginx with the workers asked for, and records them', async () => {
      const result = await runCli(
        [
          'run',
          '--server',
          'nchan',
          '--transport',
          'sse',
          '--clients',
          '10',
          '--duration',
          '1s',
          '--warmup',
          '200ms',
          '--server-workers',
          '2',
          '--json',
        ],
        60_000,
      );
      expect(result.code, result.stderr).toBe(0);
      const document = JSON.parse(result.stdout) as RunResult;
      expect(document.servers).toEqual([
        {
          name: 'nchan',
          description: expect.stringContaining('nginx + nchan'),
          source: 'profiles/nchan.yaml',
          workers: 2,
        },
      ]);
      expect(document.transports[0]!.delivery.lost).toBe(0);
    }, 90_000);

    it("resumes dropped connections with each technique's cursor (validators, Last-Event-ID, last_event_id): nothing lost or repeated", async () => {
      const result = await runCli(
        [
          'run',
          '--server',
          'nchan',
          '--scenario',
          'drop',
          '--transport',
          'all',
          '--clients',
          '20',
          '--duration',
          '2s',
          '--fault-at',
          '1s',
          '--warmup',
          '500ms',
          '--ramp-up',
          '200ms',
          '--json',
        ],
        150_000,
      );
      expect(result.code, result.stderr).toBe(0);
      const document = JSON.parse(result.stdout) as RunResult;
      for (const t of document.transports) {
        expect([t.delivery.lost, t.delivery.duplicated], t.transport).toEqual([0, 0]);
        expect(t.fault!.affectedClients, t.transport).toBeGreaterThan(0);
        expect(t.fault!.recoveredClients, t.transport).toBe(t.fault!.affectedClients);
      }
    }, 180_000);
  },
);
