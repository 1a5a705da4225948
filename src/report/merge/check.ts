import { showValue } from '../../core/show-value.js';
import type { ShardDocument } from '../../document/shard-file.js';
import { ImBenchError } from '../../core/errors.js';
import type { Scenario } from '../../document/scenario.js';
import { repetitionsOf } from '../../document/repetitions.js';
import {
  RESULT_SCHEMA,
  RESULT_SCHEMA_V2,
  type FaultResult,
  type RunResult,
  type ShardPosition,
  type TransportResult,
} from '../../document/result.js';

function unmergeable(message: string): ImBenchError {
  return new ImBenchError('IMB_ERR_UNMERGEABLE', message);
}

function invalid(name: string, problem: string): ImBenchError {
  return new ImBenchError('IMB_ERR_INVALID_RESULT', `${name}: ${problem}`);
}

const show = showValue;

/** Keys of numbers, or of numbers a profile's server may leave unmeasured (null): shards are only ever the reference server's. */
type NumericKeys<T> = { [K in keyof T]-?: T[K] extends number | null ? K : never }[keyof T];
type Group = 'clients' | 'published' | 'delivery' | 'requests' | 'bytes' | 'server' | 'generator';

/** Every number the merge reads, by group: a document missing one would turn a sum into NaN. */
const MERGED_NUMBERS: { [G in Group]: ReadonlyArray<NumericKeys<TransportResult[G]>> } = {
  clients: ['requested', 'connected', 'failed'],
  published: ['total', 'inWindow', 'failed'],
  delivery: [
    'expected',
    'delivered',
    'deliveredInWindow',
    'lost',
    'duplicated',
    'outOfOrder',
    'gapReported',
    'protocolErrors',
    'throughputPerSecond',
  ],
  requests: ['inWindow', 'total', 'empty', 'reconnects', 'errors', 'serverCounted'],
  bytes: ['inWindow', 'payloadPerMessage'],
  server: ['cpuSeconds', 'idleRssBytes', 'connectedRssBytes', 'peakRssBytes'],
  generator: ['eventLoopDelayP99Ms', 'eventLoopDelayMaxMs', 'stalledShare', 'cpuUtilization'],
};
const FAULT_NUMBERS: ReadonlyArray<NumericKeys<FaultResult>> = [
  'atSeconds',
  'affectedClients',
  'recoveredClients',
  'shed',
];

const isFiniteNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

function checkFigures(name: string, where: string, result: TransportResult): void {
  const record = result as unknown as Record<string, Record<string, unknown> | undefined>;
  for (const [group, keys] of Object.entries(MERGED_NUMBERS)) {
    for (const key of keys) {
      const value = record[group]?.[key];
      if (!isFiniteNumber(value))
        throw invalid(name, `${where}.${group}.${key}: expected a number, got ${show(value)}`);
    }
  }
  if (!isFiniteNumber(result.windowSeconds))
    throw invalid(name, `${where}.windowSeconds: expected a number, got ${show(result.windowSeconds)}`);
  for (const field of ['latencyHistogram', 'connectHistogram'] as const) {
    if (typeof result[field] !== 'string')
      throw invalid(name, `${where}.${field}: expected an encoded HDR histogram, got ${show(result[field])}`);
  }
  if (!Array.isArray(result.errorSamples))
    throw invalid(name, `${where}.errorSamples: expected an array, got ${show(result.errorSamples)}`);
  if (result.fault === undefined) return;
  for (const key of FAULT_NUMBERS) {
    if (!isFiniteNumber(result.fault[key]))
      throw invalid(name, `${where}.fault.${key}: expected a number, got ${show(result.fault[key])}`);
  }
  if (typeof result.fault.recoveryHistogram !== 'string') {
    throw invalid(
      name,
      `${where}.fault.recoveryHistogram: expected an encoded HDR histogram, got ${show(result.fault.recoveryHistogram)}`,
    );
  }
}

/** The document's shard position, or the reason it cannot be merged. */
function shardOf({ name, result }: ShardDocument): ShardPosition {
  // @3 only lets a server's figures be null, which a shard (the reference server's) never has.
  if (result.schema !== RESULT_SCHEMA && result.schema !== RESULT_SCHEMA_V2)
    throw invalid(name, `schema: expected "${RESULT_SCHEMA}" or "${RESULT_SCHEMA_V2}", got ${show(result.schema)}`);
  if (result.merged !== undefined) {
    throw unmergeable(
      `${name}: already merged from ${show(result.merged.shards)} shards: merge the shards' own documents instead`,
    );
  }
  const { shard } = result;
  if (shard === undefined || shard === null) {
    throw unmergeable(
      `${name}: not a shard's result (it has no "shard"): merge the documents of "im-bench run --shard I/N", one per shard`,
    );
  }
  if (!isPosition(shard))
    throw invalid(name, `shard: expected {"index": 0 … count - 1, "count": 1 or more}, got ${show(shard)}`);
  if (result.aborted) {
    throw unmergeable(
      `${name}: shard ${shard.index} did not finish ("aborted": true), so its counts are short: run that shard again`,
    );
  }
  return shard;
}

function isPosition(shard: object): shard is ShardPosition {
  const { index, count } = shard as Record<string, unknown>;
  return (
    Number.isInteger(index) &&
    Number.isInteger(count) &&
    (index as number) >= 0 &&
    (index as number) < (count as number)
  );
}

/** Each index 0 … N-1 exactly once, all of the same N; returns the documents in index order. */
function inShardOrder(documents: readonly ShardDocument[]): ShardDocument[] {
  const positions = documents.map(shardOf);
  const count = positions[0]!.count;
  const byIndex = new Map<number, ShardDocument>();
  documents.forEach((document, i) => {
    const { index, count: its } = positions[i]!;
    if (its !== count) {
      throw unmergeable(
        `${document.name}: shard ${index} of ${its}, but ${documents[0]!.name} is one of ${count}: every document must come from the same run's shards`,
      );
    }
    const other = byIndex.get(index);
    if (other?.name === document.name) throw unmergeable(`${document.name}: given twice`);
    if (other !== undefined)
      throw unmergeable(`${document.name}: shard ${index} of ${count} again (${other.name} is shard ${index} too)`);
    byIndex.set(index, document);
  });
  for (let index = 0; index < count; index++) {
    if (!byIndex.has(index)) {
      const given = documents.map((document, i) => `${document.name} (shard ${positions[i]!.index})`).join(', ');
      throw unmergeable(`shard ${index} of ${count} is missing: got ${given}`);
    }
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, document]) => document);
}

/** The first scenario field whose values differ, or null when the scenarios are the same. */
function differingField(a: Scenario, b: Scenario): keyof Scenario | null {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Scenario>;
  for (const field of fields) if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) return field;
  return null;
}

const techniques = (result: RunResult): string[] => result.transports.map((t) => t.transport);

/** Shards of one run: the same tool, scenario, target, repetitions and techniques as shard 0. */
function checkSameRun(reference: ShardDocument, document: ShardDocument): void {
  const { name, result } = document;
  const same = (what: string, mine: unknown, theirs: unknown, rule: string): void => {
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
      throw unmergeable(
        `${name}: ${what} is ${show(mine)}, but ${reference.name} (shard 0) has ${show(theirs)}: ${rule}`,
      );
    }
  };
  same(
    'tool.version',
    result.tool?.version,
    reference.result.tool?.version,
    'every shard must be run by the same im-bench',
  );
  same('repeat', result.repeat, reference.result.repeat, 'every shard must run as many repetitions');
  const field = differingField(result.scenario, reference.result.scenario);
  if (field !== null)
    same(
      `scenario.${field}`,
      result.scenario[field],
      reference.result.scenario[field],
      'every shard must run the same scenario',
    );
  same(
    'environment.target',
    result.environment.target,
    reference.result.environment.target,
    'every shard must drive the same server',
  );
  same(
    'the list of techniques',
    techniques(result),
    techniques(reference.result),
    'every shard must measure the same techniques',
  );
}

/** Per technique: every repetition present, figures readable, faults alike, and the slices adding up to the scenario's clients. */
function checkTechniques(documents: readonly ShardDocument[]): void {
  const { repeat, scenario } = documents[0]!.result;
  documents[0]!.result.transports.forEach((reference, i) => {
    const runs = documents.map(({ name, result }) => {
      const repetitions = repetitionsOf(result.transports[i]!);
      if (repetitions.length !== repeat) {
        throw invalid(
          name,
          `transports[${i}] (${reference.transport}): ${repetitions.length} repetitions, but repeat is ${repeat}`,
        );
      }
      repetitions.forEach((repetition, k) => {
        checkFigures(name, repeat > 1 ? `transports[${i}].repetitions[${k}]` : `transports[${i}]`, repetition);
      });
      return repetitions;
    });
    for (let k = 0; k < repeat; k++) {
      const struck = runs[0]![k]!.fault !== undefined;
      documents.forEach(({ name }, d) => {
        if ((runs[d]![k]!.fault !== undefined) !== struck) {
          throw unmergeable(
            `${name}: ${reference.transport}: ${struck ? 'no' : 'a'} fault result, but ${documents[0]!.name} has ${struck ? 'one' : 'none'}`,
          );
        }
      });
      const requested = runs.map((repetitions) => repetitions[k]!.clients.requested);
      const total = requested.reduce((a, b) => a + b, 0);
      if (total !== scenario.clients) {
        const each = documents.map(({ name }, d) => `${name} ${requested[d]}`).join(', ');
        throw unmergeable(
          `${reference.transport}: the shards' clients.requested add up to ${total} (${each}), but scenario.clients is ${scenario.clients}: each shard must hold its own slice of the clients`,
        );
      }
    }
  });
}

/**
 * Refuses what cannot be merged exactly, naming the file: a document that is not a finished
 * shard's result, shard counts that differ, an index missing or given twice, shards of
 * different runs (tool version, repeat, any scenario field, target, techniques), shards that
 * drove no common server (no `--target`), and figures a merge would read but cannot.
 * Returns the documents in shard order.
 */
export function checkShards(documents: readonly ShardDocument[]): ShardDocument[] {
  if (documents.length === 0) throw unmergeable("nothing to merge: name every shard's result document");
  const ordered = inShardOrder(documents);
  const reference = ordered[0]!;
  for (const document of ordered.slice(1)) checkSameRun(reference, document);
  if (reference.result.environment.target === null) {
    throw unmergeable(
      `${reference.name}: environment.target is null: each shard started its own server, so there is no one server whose figures to merge; run every shard with --target URL`,
    );
  }
  checkTechniques(ordered);
  return ordered;
}
