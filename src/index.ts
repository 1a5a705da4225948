export { EXIT_CODES } from './core/constants.js';
export type { Envelope, Gap } from './core/envelope.js';
export { ImBenchError, type ErrorCode } from './core/errors.js';
export { decodeHistogram, encodeHistogram, summarize } from './core/histogram.js';
export { measureCapacity, type CapacityOptions, type CapacityProgress } from './harness/capacity.js';
export type { Ceilings } from './harness/headroom.js';
export type { Progress, RunPhase } from './harness/progress.js';
export { run, type RunOptions } from './harness/run.js';
export { serialize as serializeJson } from './report/exporters/json.js';
export { serialize as serializeTable } from './report/exporters/table.js';
export { CAPACITY_SCHEMA, type CapacityMeasurement, type CapacityResult } from './report/capacity.js';
export { mergeShards, type ShardDocument } from './report/merge/merge.js';
export {
  RESULT_SCHEMA,
  type Headroom,
  type MergeRecord,
  type RunResult,
  type ShardPosition,
  type TransportResult,
} from './report/result.js';
export { DEFAULT_SCENARIO } from './scenario/defaults.js';
export { listScenarios, loadScenario } from './scenario/loader.js';
export type { Scenario } from './scenario/types.js';
export { Broker, type BrokerEntry, type PublishInput } from './server/broker.js';
export {
  DEFAULT_SERVER_OPTIONS,
  ReferenceServer,
  type ServerOptions,
  type ServerStats,
} from './server/reference-server.js';
export { getTransport, TRANSPORTS } from './transports/registry.js';
export type {
  ClientHandlers,
  ClientOptions,
  Transport,
  TransportClient,
  TransportName,
} from './transports/transport.js';
