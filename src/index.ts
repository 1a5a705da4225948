export { EXIT_CODES } from './core/constants.js';
export type { Envelope, Gap } from './core/envelope.js';
export { ImBenchError, type ErrorCode } from './core/errors.js';
export { Broker, type BrokerEntry, type PublishInput } from './server/broker.js';
export { DEFAULT_SERVER_OPTIONS, ReferenceServer, type ServerOptions, type ServerStats } from './server/reference-server.js';
export { getTransport, TRANSPORTS } from './transports/registry.js';
export type { ClientHandlers, ClientOptions, Transport, TransportClient, TransportName } from './transports/transport.js';
