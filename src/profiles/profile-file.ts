import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { readDataFile } from '../core/data-file.js';
import { packagePath } from '../core/paths.js';
import type { AskAgain, CursorStrategy, Decoding, FrameMeta, SubscribeDialect } from '../transports/dialect.js';
import { hasChannels } from '../transports/dialect.js';
import { POLLING_TRANSPORTS, TRANSPORTS } from '../transports/registry.js';
import type {
  FigureSource,
  Numbering,
  Profile,
  PublishDialect,
  ServerLifecycle,
  StopSignal,
  TlsProtocol,
} from './profile.js';
import { describeSchemaError, profileError } from './profile-error.js';

/** A technique as a profile file spells it (kebab case, defaults not applied). */
interface SubscribeFields {
  path: string;
  headers?: Record<string, string>;
  subprotocol?: string;
  'frame-meta'?: FrameMeta;
  cursor: CursorStrategy;
  'cursor-param'?: string;
  decode: Decoding;
  'nothing-new'?: number[];
  'ask-again'?: AskAgain;
}

interface ProfileFields {
  profile: 1;
  name: string;
  description?: string;
  techniques: Record<string, SubscribeFields>;
  publish: {
    method?: 'POST' | 'PUT';
    path: string;
    'content-type'?: string;
    headers?: Record<string, string>;
    numbering: Numbering;
  };
  figures?: FigureSource;
  server?: {
    command: string[];
    config?: string;
    ready: string;
    stop?: StopSignal;
    requires?: { files?: string[]; install?: string };
    tls?: TlsProtocol[];
  };
}

/** The techniques whose clients speak a profile's dialect. */
const PROFILE_TECHNIQUES = ['short-polling', 'long-polling', 'sse', 'websocket'];

let validator: ValidateFunction | undefined;

/** The committed schema (schema/profile-v1.schema.json), compiled once. */
function validate(): ValidateFunction {
  if (validator === undefined) {
    const schema = JSON.parse(readFileSync(packagePath('schema', 'profile-v1.schema.json'), 'utf8')) as object;
    validator = new Ajv2020({ allErrors: false, strict: true }).compile(schema);
  }
  return validator;
}

/**
 * Reads a profile file (YAML, or JSON by its extension). Every failure is exit 2 naming the file,
 * the field and what was expected: the schema's rules first, then those that span fields.
 */
export async function loadProfileFile(path: string, shown: string, builtIns: () => string): Promise<Profile> {
  const data = await readDataFile(path, shown, {
    what: 'profile file',
    error: profileError,
    whenMissing: async () => ` (built-in profiles: ${builtIns()})`,
  });
  const check = validate();
  if (!check(data)) throw profileError(`${shown}: ${describeSchemaError(check.errors![0]!, data)}`);
  const fields = data as ProfileFields;
  const folder = resolve(dirname(path));
  const problem = crossFieldProblem(fields) ?? serverProblem(fields, folder);
  if (problem !== null) throw profileError(`${shown}: ${problem}`);
  return toProfile(fields, folder, shown);
}

/** What the schema cannot say: rules that tie one field to another or to the technique. */
function crossFieldProblem(fields: ProfileFields): string | null {
  for (const [name, technique] of Object.entries(fields.techniques)) {
    const at = `techniques.${name}`;
    if (!PROFILE_TECHNIQUES.includes(name))
      return `${at}: a profile cannot describe it yet (only ${PROFILE_TECHNIQUES.join(', ')}); the reference server has it`;
    const transport = TRANSPORTS.find((candidate) => candidate.name === name)!;
    const polled = POLLING_TRANSPORTS.includes(name);
    if (technique.cursor === 'query' && technique['cursor-param'] === undefined)
      return `${at}.cursor-param: missing: the query cursor needs the parameter's name, such as last_event_id`;
    if (technique.cursor !== 'query' && technique['cursor-param'] !== undefined)
      return `${at}.cursor-param: only for cursor: query (the cursor here is ${technique.cursor})`;
    if (!transport.upgrade && technique.subprotocol !== undefined)
      return `${at}.subprotocol: only for a technique that upgrades (websocket)`;
    if (!transport.upgrade && (technique['frame-meta'] ?? 'none') !== 'none')
      return `${at}.frame-meta: only for a technique that upgrades (websocket)`;
    if (technique['frame-meta'] === 'nchan' && !technique.subprotocol?.startsWith('ws+meta.nchan'))
      return `${at}.subprotocol: frame-meta: nchan needs subprotocol: ws+meta.nchan (without it nchan sends bare bodies)`;
    const takesIds = technique.cursor === 'last-event-id' || technique.cursor === 'query';
    if (takesIds && polled)
      return `${at}.cursor: ${technique.cursor} hands back an id, and a poll answer carries none here: use validators, since or none`;
    if (takesIds && transport.upgrade && technique['frame-meta'] !== 'nchan')
      return `${at}.cursor: ${technique.cursor} hands back an id, and a frame carries one only with frame-meta: nchan: add it, or use since or none`;
    if (!polled && technique.cursor === 'validators')
      return `${at}.cursor: validators only for a technique that polls (each answer carries Last-Modified and Etag)`;
    if (!polled && technique['nothing-new'] !== undefined)
      return `${at}.nothing-new: only for a technique that polls (short-polling, long-polling)`;
    if (!polled && technique['ask-again'] !== undefined)
      return `${at}.ask-again: only for a technique that polls (short-polling, long-polling)`;
    if (!polled && technique.decode === 'multipart')
      return `${at}.decode: multipart only for a technique that polls (short-polling, long-polling)`;
    if (technique.cursor === 'since' && technique.decode !== 'envelope-array')
      return `${at}.cursor: since needs decode: envelope-array (the wire contract), got decode: ${technique.decode}`;
    if (hasChannels(technique) && !hasChannels(fields.publish))
      return `publish.path: has no {ch}, but ${at}.path has: messages for every channel would go to one place`;
  }
  return null;
}

function serverProblem(fields: ProfileFields, folder: string): string | null {
  const server = fields.server;
  if (server === undefined)
    return fields.figures === 'process-tree'
      ? 'figures: process-tree needs a server: section (im-bench can only read the processes it started)'
      : null;
  if (server.config === undefined)
    return server.command.some((arg) => arg.includes('{config}'))
      ? 'server.command: uses {config}, but there is no server.config template'
      : tlsProblem(server, undefined);
  const template = join(folder, server.config);
  if (!isFile(template)) return `server.config: no file ${server.config} beside the profile`;
  return tlsProblem(server, readFileSync(template, 'utf8'));
}

/** A server said to serve TLS must be given the certificate and its key by its config, and speak HTTP/1.1 over it. */
function tlsProblem(server: NonNullable<ProfileFields['server']>, template: string | undefined): string | null {
  if (server.tls === undefined) return null;
  if (!server.tls.includes('http/1.1'))
    return `server.tls: must include http/1.1 (the WebSocket and the publisher speak it), got [${server.tls.join(', ')}]`;
  const missing = ['tls-cert', 'tls-key'].filter(
    (name) => !new RegExp(`\\{\\{\\s*${name}\\s*\\}\\}`).test(template ?? ''),
  );
  if (missing.length > 0)
    return `server.tls: the server is never given the run's certificate: ${server.config ?? 'a server.config template'} needs {{tls-cert}} and {{tls-key}} (in a {{#tls}} section), and has no ${missing.map((name) => `{{${name}}}`).join(' or ')}`;
  return null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Header names in lower case, as the clients write their own: `Accept` and `accept` are one header. */
function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function subscribeDialect(technique: SubscribeFields): SubscribeDialect {
  return {
    protocol: 'plain',
    path: technique.path,
    headers: lowerCaseNames(technique.headers ?? {}),
    subprotocol: technique.subprotocol,
    frameMeta: technique['frame-meta'] ?? 'none',
    cursor: technique.cursor,
    cursorParam: technique['cursor-param'],
    decode: technique.decode,
    nothingNew: technique['nothing-new'] ?? [204],
    askAgain: technique['ask-again'] ?? 'never',
    epochs: false,
  };
}

function publishDialect(publish: ProfileFields['publish']): PublishDialect {
  return {
    method: publish.method ?? 'POST',
    path: publish.path,
    contentType: publish['content-type'] ?? 'application/json',
    headers: lowerCaseNames(publish.headers ?? {}),
    numbering: publish.numbering,
  };
}

function lifecycle(server: NonNullable<ProfileFields['server']>, folder: string): ServerLifecycle {
  return {
    command: server.command,
    profileDir: folder,
    configTemplate: server.config === undefined ? undefined : join(folder, server.config),
    readyPath: server.ready,
    stopSignal: server.stop ?? 'SIGTERM',
    requiredFiles: server.requires?.files ?? [],
    install: server.requires?.install,
    tls: server.tls,
  };
}

function toProfile(fields: ProfileFields, folder: string, shown: string): Profile {
  // In the registry's order, whatever the file's.
  const techniques = new Map(
    TRANSPORTS.filter((transport) => fields.techniques[transport.name] !== undefined).map((transport) => [
      transport.name,
      subscribeDialect(fields.techniques[transport.name]!),
    ]),
  );
  return {
    name: fields.name,
    description: fields.description ?? '',
    source: shown,
    techniques,
    publish: publishDialect(fields.publish),
    figures: fields.figures ?? 'none',
    server: fields.server === undefined ? undefined : lifecycle(fields.server, folder),
  };
}
