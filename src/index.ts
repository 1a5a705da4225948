export { EXIT_CODES } from './core/constants.js';
export type { Envelope, Gap } from './core/envelope.js';
export { ImBenchError, type ErrorCode } from './core/errors.js';
export { decodeHistogram, encodeHistogram, summarize } from './core/histogram.js';
export { measureCapacity, type CapacityOptions } from './harness/capacity/capacity.js';
export type { CapacityProgress } from './harness/capacity/measure-technique.js';
export type { Ceilings } from './harness/capacity/headroom.js';
export type { Progress, RunPhase } from './harness/run/progress.js';
export { run, type RunOptions } from './harness/run/run.js';
export type { Profile, PublishDialect } from './profiles/profile.js';
export {
  BUILT_IN_SERVERS,
  REFERENCE_KIND,
  resolveServerKind,
  resolveServerKinds,
  type ServerKind,
} from './profiles/registry.js';
export type { SubscribeDialect } from './transports/dialect.js';
export { serialize as serializeJson } from './report/exporters/json.js';
export { serialize as serializeTable } from './report/exporters/table.js';
export { serialize as serializeMarkdown } from './report/exporters/markdown.js';
export { serialize as serializeHtml } from './report/exporters/html.js';
export { serialize as serializeCsv } from './report/exporters/csv.js';
export { compare, type ComparisonNames } from './report/compare/compare.js';
export { DEFAULT_THRESHOLDS, parseThresholds } from './report/compare/thresholds.js';
export { serialize as serializeComparisonTable } from './report/compare/format-table.js';
export { serialize as serializeComparisonMarkdown } from './report/compare/format-markdown.js';
export type {
  Comparison,
  FigureComparison,
  FigureName,
  TechniqueComparison,
  Threshold,
  Thresholds,
  Verdict,
} from './document/comparison.js';
export { CAPACITY_SCHEMA, type CapacityMeasurement, type CapacityResult } from './document/capacity.js';
export type { ShardDocument } from './document/shard-file.js';
export { mergeShards } from './report/merge/merge.js';
export {
  RESULT_SCHEMA,
  type Headroom,
  type MergeRecord,
  type RunResult,
  type ShardPosition,
  type TransportResult,
} from './document/result.js';
export type { AbsoluteThreshold, ThresholdCheck, ThresholdOutcome } from './document/threshold-check.js';
export { DEFAULT_SETTINGS, defaultScenario } from './scenario/defaults.js';
export { listScenarios, loadResult, loadScenario } from './harness/run/with-registry.js';
export type { ScenarioListing, ScenarioOverrides } from './scenario/loader.js';
export type { FlagFieldName } from './scenario/field-table.js';
export type { Scenario, TransportName } from './document/scenario.js';
export { Broker, type BrokerEntry, type PublishInput } from './broker/broker.js';
export { ReferenceServer } from './server/reference-server.js';
export { DEFAULT_SERVER_OPTIONS, type ServerOptions, type ServerStats } from './server/server-options.js';
export { findTransport, getTransport, TRANSPORT_ALIASES, TRANSPORT_NAMES, TRANSPORTS } from './transports/registry.js';
export type { ClientHandlers, ClientOptions, Transport, TransportClient } from './transports/transport.js';
