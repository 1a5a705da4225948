import { describe, expect, it } from 'vitest';
import { checkDeployment, clientTrust, overTls } from '../../src/harness/run/deployment-checks.js';
import { resolveServerKind } from '../../src/profiles/registry.js';
import { defaultScenario } from '../../src/scenario/defaults.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

// The library's own checks, as a caller of run() meets them without the CLI's in front.
const scenario = defaultScenario(TRANSPORT_NAMES);
const https = new URL('https://127.0.0.1:8443');
const http = new URL('http://127.0.0.1:8080');

describe('checkDeployment (the library)', () => {
  it('takes what the servers can speak', async () => {
    const [nchan, socketio] = [
      await resolveServerKind('nchan', 'servers'),
      await resolveServerKind('socketio', 'servers'),
    ];
    const allowed = [
      { tls: true, http2: { multiplex: 1 } },
      { tls: true, http2: { multiplex: 1 }, servers: [nchan] },
      { tls: true, servers: [socketio], via: 'nginx' as const },
      { http2: { multiplex: 1 }, servers: [nchan], via: 'nginx' as const },
      { target: https, http2: { multiplex: 1 }, targetTls: { servername: 'localhost' } },
    ];
    for (const options of allowed) expect(() => checkDeployment({ scenario, ...options })).not.toThrow();
  });

  it('refuses what they cannot, naming the option', async () => {
    const [nchan, socketio] = [
      await resolveServerKind('nchan', 'servers'),
      await resolveServerKind('socketio', 'servers'),
    ];
    const refused: Array<[object, string]> = [
      [{ tls: true, servers: [socketio] }, 'tls: expected the reference server, a profile’s server that serves TLS'],
      [{ http2: { multiplex: 1 }, servers: [nchan] }, 'http2: expected the reference server, nchan’s server over TLS'],
      [{ http2: { multiplex: 1 }, servers: [socketio], via: 'nginx' }, 'socketio’s speak HTTP/1.1 only'],
      [{ target: http, http2: { multiplex: 1 } }, 'http2: expected an https target (h2 by ALPN)'],
      [{ target: http, targetTls: {} }, 'targetTls: expected an https target whose certificate it checks'],
      [{ target: https, tls: true }, 'a target over TLS is an https URL'],
    ];
    for (const [options, message] of refused)
      expect(() => checkDeployment({ scenario, ...options }), message).toThrow(message);
  });

  it('trusts the run’s certificate, or checks an https target as it was told, and nothing in cleartext', () => {
    const certificate = { cert: 'PEM', key: 'KEY', files: { cert: '/c', key: '/k' }, remove: () => {} };
    expect(clientTrust({ tls: true }, certificate)).toEqual({ ca: 'PEM' });
    expect(clientTrust({ target: https }, undefined)).toEqual({});
    expect(clientTrust({ target: https, targetTls: { servername: 'localhost' } }, undefined)).toEqual({
      servername: 'localhost',
    });
    expect(clientTrust({ target: http }, undefined)).toBeUndefined();
    expect([overTls({ target: https }), overTls({ target: http }), overTls({ tls: true })]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
