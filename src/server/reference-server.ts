import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Listeners } from './listeners.js';
import { TRANSPORTS } from '../transports/registry.js';
import type { RequestHandler, ServerContext, TransportServer } from '../transports/transport.js';
import { Broker } from '../broker/broker.js';
import { ConnectionTracker } from './connection-tracker.js';
import { loadDemoPages } from './demo-pages.js';
import { HttpError, internalError, readBody, sendError, sendJson } from '../broker/http-util.js';
import { checkOrigin, corsHeaders } from '../broker/origin.js';
import { checkHost } from '../broker/host-check.js';
import { quoteInput } from '../broker/describe-input.js';
import { handlerFor, methodNotAllowed, methodsOf, type Route, splitUrl } from './routes.js';
import { publisherFor, type Publisher } from './publisher.js';
import { copyBurner } from '../transports/shared/copy-burner.js';
import { openJournal } from './server-journal.js';
import type { Journal } from '../broker/journal.js';
import { refuseUpgrade } from './upgrade-refusal.js';
import { allowedHostNames, DEFAULT_SERVER_OPTIONS, type ServerOptions, type ServerStats } from './server-options.js';
import { EPOCH_HEADER } from '../core/wire.js';
import type { TransportName } from '../document/scenario.js';

/** What a request arrived on: its HTTP/2 session (one connection, many streams), else its socket. */
function connectionOf(req: IncomingMessage): Socket {
  const stream = (req as unknown as Partial<Http2ServerRequest>).stream;
  return (stream === undefined ? req.socket : stream.session) as Socket;
}

/**
 * The reference server: one HTTP host, one broker, and a handler per enabled technique.
 * Every path is an exact match in a fixed table; client mistakes are answered, never thrown.
 */
export class ReferenceServer {
  private readonly listeners: Listeners;
  private readonly routes = new Map<string, Route>();
  private readonly upgrades = new Map<string, { technique: TransportName; server: TransportServer }>();
  private readonly transportServers = new Map<TransportName, TransportServer>();
  private readonly tracker: ConnectionTracker;
  private readonly startedAt = process.hrtime.bigint();
  private readonly allowHosts: readonly string[];
  private readonly publish: Publisher;
  private closing: Promise<void> | undefined;

  static async start(overrides: Partial<ServerOptions> = {}): Promise<ReferenceServer> {
    const options = { ...DEFAULT_SERVER_OPTIONS, ...overrides };
    const opened =
      options.journalPath === undefined
        ? { broker: new Broker(options.ringSize, options.brokerBytes), journal: undefined }
        : await openJournal(options.journalPath, options);
    const server = new ReferenceServer(options, opened.broker, opened.journal);
    try {
      await server.addDemoPages();
      await server.listeners.listen(options.host, options.port, options.h2cPort);
    } catch (error) {
      opened.journal?.close();
      throw error;
    }
    return server;
  }

  private constructor(
    readonly options: ServerOptions,
    readonly broker: Broker,
    private readonly journal: Journal | undefined,
  ) {
    this.tracker = new ConnectionTracker(options.transports);
    this.allowHosts = allowedHostNames(options);
    this.publish = publisherFor(broker, options.calibrateDelayMs);
    this.listeners = new Listeners(
      options.tls,
      options.http2 === true,
      (req, res) => this.onRequest(req, res),
      (req, socket, head) => this.onUpgrade(req, socket, head),
    );

    const context: ServerContext = {
      broker: this.broker,
      settings: options,
      publish: this.publish,
      burnCopies: copyBurner(options.calibrateCpuMicros),
    };
    for (const transport of TRANSPORTS.filter((candidate) => options.transports.includes(candidate.name))) {
      const server = transport.createServer(context);
      this.transportServers.set(transport.name, server);
      this.routes.set(transport.path, {
        technique: transport.name,
        handlers: { GET: server.handleRequest, HEAD: server.handleHead },
      });
      if (transport.upgrade) this.upgrades.set(transport.path, { technique: transport.name, server });
    }
    this.routes.set('/publish', { handlers: { POST: (req, res) => this.onPublish(req, res) } });
    this.routes.set('/health', { handlers: { GET: (_req, res) => sendJson(res, 200, '{"status":"ok"}') } });
    this.routes.set('/stats', { handlers: { GET: (_req, res) => sendJson(res, 200, JSON.stringify(this.stats())) } });
  }

  get port(): number {
    return this.listeners.port;
  }

  get url(): string {
    return this.listeners.url(this.options.host);
  }

  /** With HTTP/2 in cleartext: the h2c port's URL (the host's port speaks HTTP/1.1). */
  get h2cUrl(): string | undefined {
    return this.listeners.h2cUrl(this.options.host);
  }

  stats(): ServerStats {
    const cpu = process.cpuUsage();
    return {
      epoch: this.broker.epoch,
      uptimeSeconds: Number(process.hrtime.bigint() - this.startedAt) / 1e9,
      transports: [...this.options.transports],
      connections: this.tracker.openConnections(),
      requests: this.tracker.requestCounts(),
      shed: Object.fromEntries([...this.transportServers].map(([name, server]) => [name, server.shed()])),
      reaped: Object.fromEntries([...this.transportServers].map(([name, server]) => [name, server.reaped()])),
      published: this.broker.published,
      brokerBytes: this.broker.bytesHeld,
      channels: this.broker.channelStates(),
      cpuSeconds: { user: cpu.user / 1e6, system: cpu.system / 1e6, total: (cpu.user + cpu.system) / 1e6 },
      rssBytes: process.memoryUsage.rss(),
      wireBytes: this.listeners.wireBytes(),
    };
  }

  /** Answers held polls, ends streams and closes sockets; whatever lingers is destroyed after a grace period. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const server of this.transportServers.values()) server.close();
    await this.listeners.close();
    this.journal?.close();
  }

  private async addDemoPages(): Promise<void> {
    for (const [path, file] of await loadDemoPages()) {
      const headers = {
        'content-type': file.contentType,
        'content-length': String(file.body.length),
        'cache-control': 'no-cache',
      };
      this.routes.set(path, {
        handlers: {
          GET: (_req, res) => {
            res.writeHead(200, headers).end(file.body);
          },
        },
      });
    }
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const { pathname, query, authority } = splitUrl(req.url ?? '/');
    try {
      checkHost(req, this.allowHosts, authority);
      const route = this.routes.get(pathname);
      if (route === undefined) throw new HttpError(404, 'not_found', `no such path: ${quoteInput(pathname)}`);
      const cors = corsHeaders(req, this.options.allowOrigins);
      for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
      const method = req.method ?? 'GET';
      if (method === 'OPTIONS') {
        res
          .writeHead(204, {
            'access-control-allow-methods': methodsOf(route),
            'access-control-allow-headers': 'content-type, last-event-id',
          })
          .end();
        return;
      }
      const handler = handlerFor(route, method);
      if (handler === undefined) throw methodNotAllowed(pathname, route, method);
      if (route.technique !== undefined) {
        // A HEAD subscribes to nothing: /stats counts subscribe requests only.
        if (method !== 'HEAD') this.tracker.request(connectionOf(req), route.technique);
        res.setHeader(EPOCH_HEADER, this.broker.epoch);
      }
      this.run(handler, req, res, query);
    } catch (error) {
      this.fail(res, error);
    }
  }

  /** A HEAD is never held: whatever response its handler left open is ended (with no body) once it returns. */
  private run(handler: RequestHandler, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const pending = handler(req, res, query);
    const fail = (error: unknown): void => this.fail(res, error);
    if (req.method !== 'HEAD') {
      pending?.catch(fail);
      return;
    }
    const endHead = (): void => {
      if (!res.writableEnded && !res.destroyed) res.end();
    };
    if (pending === undefined) endHead();
    else pending.then(endHead, fail);
  }

  private fail(res: ServerResponse, error: unknown): void {
    if (error instanceof HttpError) {
      sendError(res, error);
      return;
    }
    // The client went away mid-request (an aborted upload): nobody to answer, nothing to report.
    if (res.destroyed || res.socket === null || res.socket.destroyed) return;
    sendError(res, internalError(error));
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const { pathname, query, authority } = splitUrl(req.url ?? '/');
    try {
      checkHost(req, this.allowHosts, authority);
    } catch (error) {
      const refusal = error as HttpError;
      refuseUpgrade(socket, refusal.status, refusal.code, refusal.message);
      return;
    }
    const upgrade = this.upgrades.get(pathname);
    // A HEAD may ignore its Upgrade header (RFC 9110 §7.8): it gets the headers of a plain GET.
    if (upgrade === undefined || req.method === 'HEAD') {
      this.answerWithoutUpgrade(req, socket as Socket);
      return;
    }
    this.tracker.request(socket as Socket, upgrade.technique);
    try {
      upgrade.server.handleUpgrade!(req, socket, head, query);
    } catch (error) {
      const refusal = error instanceof HttpError ? error : new HttpError(500, 'internal', 'internal server error');
      refuseUpgrade(socket, refusal.status, refusal.code, refusal.message, refusal.headers);
    }
  }

  /**
   * Node hands every request that asks to upgrade (an h2c attempt, say) to 'upgrade'. Off the
   * WebSocket path it is an ordinary request: answer it over HTTP/1.1, then close.
   */
  private answerWithoutUpgrade(req: IncomingMessage, socket: Socket): void {
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.once('finish', () => {
      res.detachSocket(socket);
      socket.destroySoon();
    });
    this.onRequest(req, res);
  }

  private async onPublish(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkOrigin(req, this.options.allowOrigins);
    const body = await readBody(req, this.options.maxMessageBytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch {
      throw new HttpError(400, 'bad_json', 'publish body is not valid UTF-8 JSON');
    }
    const entry = await this.publish(parsed);
    sendJson(res, 202, `{"seq":${entry.seq},"epoch":${JSON.stringify(this.broker.epoch)}}`);
  }
}
