import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../src/core/paths.js';
import { renderTemplate } from '../../src/profiles/config-template.js';
import { loadProfileFile } from '../../src/profiles/profile-file.js';
import { temporaryFolder } from '../helpers/cleanup.js';

const builtIns = (): string => 'reference, nchan';

/** A minimal valid profile, as YAML, with `extra` lines appended at the top level. */
const MINIMAL = `profile: 1
name: relay
techniques:
  sse:
    path: /events/{ch}
    cursor: last-event-id
    decode: envelope
publish:
  path: /publish/{ch}
  numbering: publisher
`;

async function load(text: string, name = 'relay.yaml'): Promise<ReturnType<typeof loadProfileFile>> {
  const folder = temporaryFolder('im-bench-profile-');
  const path = join(folder, name);
  writeFileSync(path, text);
  return loadProfileFile(path, name, builtIns);
}

async function refusal(text: string): Promise<string> {
  const error = (await load(text).then(
    () => new Error('loaded'),
    (error: unknown) => error,
  )) as Error & { code?: string; exitCode?: number };
  expect(error.code, error.message).toBe('IMB_ERR_INVALID_PROFILE');
  expect(error.exitCode).toBe(2);
  return error.message;
}

describe('profile files', () => {
  it('loads a minimal profile with every default applied', async () => {
    const profile = await load(MINIMAL);
    expect(profile.name).toBe('relay');
    expect(profile.figures).toBe('none');
    expect(profile.server).toBeUndefined();
    expect(profile.publish).toEqual({
      method: 'POST',
      path: '/publish/{ch}',
      contentType: 'application/json',
      headers: {},
      numbering: 'publisher',
    });
    expect([...profile.techniques.keys()]).toEqual(['sse']);
    expect(profile.techniques.get('sse')).toMatchObject({ nothingNew: [204], askAgain: 'never', epochs: false });
  });

  it('loads the built-in nchan profile, its config template found beside it', async () => {
    const path = packagePath('profiles', 'nchan.yaml');
    const profile = await loadProfileFile(path, 'nchan', builtIns);
    expect([...profile.techniques.keys()]).toEqual(['short-polling', 'long-polling', 'sse', 'websocket']);
    expect(profile.server?.configTemplate).toBe(packagePath('profiles', 'nchan.conf'));
    expect(profile.techniques.get('websocket')).toMatchObject({ cursor: 'query', cursorParam: 'last_event_id' });
  });
});

describe('profile files refused', () => {
  it.each([
    ['an unknown field', `${MINIMAL}colour: blue\n`, 'relay.yaml: colour: not a field of a profile here'],
    ['a missing field', MINIMAL.replace('  numbering: publisher\n', ''), 'relay.yaml: publish.numbering: missing'],
    [
      'a cursor not in the set',
      MINIMAL.replace('cursor: last-event-id', 'cursor: lastid'),
      'relay.yaml: techniques.sse.cursor: expected one of since, last-event-id, validators, query, none, got "lastid"',
    ],
    [
      'an unknown technique',
      MINIMAL.replace('  sse:', '  sockets:'),
      'relay.yaml: techniques.sockets: not a technique',
    ],
    ['a wrong version', MINIMAL.replace('profile: 1', 'profile: 2'), 'relay.yaml: profile: expected 1, got 2'],
    [
      'a path without its slash',
      MINIMAL.replace('path: /events/{ch}', 'path: events'),
      'techniques.sse.path: expected a path',
    ],
    [
      'a query cursor without its parameter',
      MINIMAL.replace('cursor: last-event-id', 'cursor: query'),
      'techniques.sse.cursor-param: missing',
    ],
    [
      'an id cursor on a poll, whose answers carry no id',
      MINIMAL.replace('  sse:', '  long-polling:'),
      'techniques.long-polling.cursor: last-event-id hands back an id, and a poll answer carries none here',
    ],
    [
      'an id cursor on a WebSocket whose frames carry no id',
      MINIMAL.replace('  sse:', '  websocket:').replace(
        'cursor: last-event-id',
        'cursor: query\n    cursor-param: last_id',
      ),
      'techniques.websocket.cursor: query hands back an id, and a frame carries one only with frame-meta: nchan',
    ],
    [
      'a subprotocol on a technique that does not upgrade',
      MINIMAL.replace('    decode: envelope\n', '    decode: envelope\n    subprotocol: chat\n'),
      'techniques.sse.subprotocol: only for a technique that upgrades',
    ],
    [
      'channels to subscribe to but not to publish to',
      MINIMAL.replace('path: /publish/{ch}', 'path: /publish'),
      'publish.path: has no {ch}, but techniques.sse.path has',
    ],
    [
      'a header name a request cannot carry',
      MINIMAL.replace('    decode: envelope\n', '    decode: envelope\n    headers:\n      "x bad": yes\n'),
      'techniques.sse.headers',
    ],
    [
      'TLS served without a certificate given to the server',
      `${MINIMAL}server:\n  command: [relay]\n  ready: /health\n  tls: [http/1.1]\n`,
      "server.tls: the server is never given the run's certificate: a server.config template needs {{tls-cert}} and {{tls-key}}",
    ],
    [
      'TLS without HTTP/1.1, which the WebSocket and the publisher speak',
      `${MINIMAL}server:\n  command: [relay]\n  ready: /health\n  tls: [h2]\n`,
      'server.tls: must include http/1.1',
    ],
    [
      'a protocol TLS cannot choose here',
      `${MINIMAL}server:\n  command: [relay]\n  ready: /health\n  tls: [h3]\n`,
      'server.tls',
    ],
    [
      'a config template that is not there',
      `${MINIMAL}server:\n  command: [relay]\n  ready: /health\n  config: relay.conf\n`,
      'server.config: no file relay.conf beside the profile',
    ],
  ])('refuses %s, naming the file and the field', async (_, text, expected) => {
    expect(await refusal(text)).toContain(expected);
  });
});

describe('profile files, more', () => {
  it('a path without {ch} is legal on both sides: one fixed stream', async () => {
    const profile = await load(MINIMAL.replace('/events/{ch}', '/events').replace('/publish/{ch}', '/publish'));
    expect(profile.techniques.get('sse')?.path).toBe('/events');
  });

  it('names the file and the built-ins when the file is missing', async () => {
    const error = (await loadProfileFile('/nonexistent/x.yaml', 'x.yaml', builtIns).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('x.yaml: no such file (built-in profiles: reference, nchan)');
  });

  it('refuses TLS whose template gives the server the certificate but not its key', async () => {
    const folder = temporaryFolder('im-bench-profile-');
    writeFileSync(join(folder, 'relay.conf'), 'listen {{port}};{{#tls}} cert {{tls-cert}};{{/tls}}\n');
    const path = join(folder, 'relay.yaml');
    writeFileSync(
      path,
      `${MINIMAL}server:\n  command: [relay]\n  ready: /health\n  config: relay.conf\n  tls: [http/1.1]\n`,
    );
    await expect(loadProfileFile(path, 'relay.yaml', builtIns)).rejects.toThrow(
      'relay.conf needs {{tls-cert}} and {{tls-key}} (in a {{#tls}} section), and has no {{tls-key}}',
    );
  });

  it('resolves the config template beside the file, wherever the run starts', async () => {
    const folder = temporaryFolder('im-bench-profile-');
    copyFileSync(packagePath('profiles', 'nchan.conf'), join(folder, 'relay.conf'));
    const path = join(folder, 'relay.yaml');
    writeFileSync(path, `${MINIMAL}server:\n  command: [relay, '{port}']\n  ready: /health\n  config: relay.conf\n`);
    const profile = await loadProfileFile(path, 'relay.yaml', builtIns);
    expect(profile.server).toEqual({
      command: ['relay', '{port}'],
      profileDir: folder,
      configTemplate: join(folder, 'relay.conf'),
      readyPath: '/health',
      stopSignal: 'SIGTERM',
      requiredFiles: [],
      install: undefined,
      tls: undefined,
    });
  });
});

describe('config templates', () => {
  it('fills every {{placeholder}} and leaves nginx braces alone', () => {
    expect(renderTemplate('events { n {{workers}}; }\nlisten {{ port }};', { workers: 1, port: 8080 }, 't')).toBe(
      'events { n 1; }\nlisten 8080;',
    );
  });

  it('keeps a {{#name}} section when its value is set, drops it when not, and sections nest', () => {
    const template = 'listen 1{{#tls}} ssl{{#http2}} http2{{/http2}}{{/tls}};{{#tls}}\ncert {{tls-cert}};{{/tls}}';
    const values = { 'tls-cert': '/c.pem' };
    expect(renderTemplate(template, { ...values, tls: 1, http2: 1 }, 't')).toBe('listen 1 ssl http2;\ncert /c.pem;');
    expect(renderTemplate(template, { ...values, tls: 1, http2: '' }, 't')).toBe('listen 1 ssl;\ncert /c.pem;');
    expect(renderTemplate(template, { ...values, tls: '', http2: 1 }, 't')).toBe('listen 1;');
    // What a dropped section holds is not filled, so it may name values the run gives only with it.
    expect(renderTemplate('a{{#tls}}{{tls-key}}{{/tls}}', { tls: '' }, 't')).toBe('a');
  });

  it('keeps a {{^name}} section only when its value is not set', () => {
    expect(renderTemplate('a{{^tls}} plain{{/tls}}', { tls: '' }, 't')).toBe('a plain');
    expect(renderTemplate('a{{^tls}} plain{{/tls}}', { tls: 1 }, 't')).toBe('a');
  });

  it('refuses a section left open, closed out of turn or of a name the run does not give', () => {
    const values = { tls: 1, http2: 1 };
    expect(() => renderTemplate('listen 1{{#tls}} ssl;', values, 'nchan.conf')).toThrow(
      'nchan.conf: {{#tls}} is never closed with {{/tls}}',
    );
    expect(() => renderTemplate('a{{/tls}}', values, 'nchan.conf')).toThrow(
      'nchan.conf: {{/tls}} closes no open section',
    );
    expect(() => renderTemplate('{{#tls}}1{{#http2}}2{{/tls}}3{{/http2}}', values, 'nchan.conf')).toThrow(
      'nchan.conf: {{/tls}} comes while {{#http2}} is open',
    );
    // A misspelt section would drop its text without a word.
    expect(() => renderTemplate('{{#tsl}} ssl{{/tsl}}', values, 'nchan.conf')).toThrow(
      'nchan.conf: unknown placeholder {{#tsl}} (known: tls, http2)',
    );
  });

  it('refuses a placeholder the run does not fill, naming it and the template', () => {
    expect(() => renderTemplate('listen {{prot}};', { port: 1 }, 'nchan.conf')).toThrow(
      'nchan.conf: unknown placeholder {{prot}} (known: port)',
    );
  });
});
