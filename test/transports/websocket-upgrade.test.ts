import { describe, expect, it } from 'vitest';
import { httpRequest, upgradeStatus, wsUrl } from '../helpers/http.js';
import { startServer } from '../helpers/server.js';

describe('WebSocket', () => {
  it('refuses a foreign Origin with 403 unless --allow-origin names it', async () => {
    const server = await startServer();
    const refused = await upgradeStatus(wsUrl(server.url), { origin: 'http://evil.example' });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'forbidden_origin' } });
    expect((await upgradeStatus(wsUrl(server.url), { origin: server.url })).status).toBe(101);

    const allowing = await startServer({ allowOrigins: ['http://app.example'] });
    expect((await upgradeStatus(wsUrl(allowing.url), { origin: 'http://app.example' })).status).toBe(101);
    expect((await upgradeStatus(wsUrl(allowing.url), { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('answers a plain GET on /ws with 426 and an upgrade elsewhere with 404', async () => {
    const server = await startServer();
    const plain = await httpRequest(`${server.url}/ws`);
    expect(plain.status).toBe(426);
    expect(plain.headers.upgrade).toBe('websocket');
    expect((await upgradeStatus(wsUrl(server.url, '/nowhere'))).status).toBe(404);
  });
});
