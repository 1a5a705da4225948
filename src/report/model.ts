import type { TransportResult } from '../document/result.js';
import type { Scenario } from '../document/scenario.js';
import type { Environment } from '../document/header.js';
import type { ModelCheck, ModelInput } from '../transports/model.js';
import { findTransport } from '../transports/registry.js';
import { formatDeviation, formatModelValue } from './describe.js';
import { formatFigure, formatTrimmed } from './format.js';
import { NOTHING } from './rows.js';
import { serverOf } from './servers.js';

/**
 * The model's checks for one technique's result (its own, from the registry), in the order a
 * report shows them. Checks the run cannot inform are left out: those of a figure not measured
 * (null: nothing delivered, a latency with no sample), and requests and bytes where the model
 * does not describe them: in a chat, where the clients' own publishes are counted too, and on a
 * profile's server, which speaks its own protocol (nchan answers a poll with one message, the
 * model's server with every one pending), over TLS, whose records wrap every write in bytes
 * the model does not count, over HTTP/2, whose frames and compressed headers it does not know, and
 * through a proxy, whose headers and HTTP version are its own. The delay a poll schedule adds holds everywhere.
 */
export function modelChecks(
  result: TransportResult,
  { scenario, environment }: { scenario: Scenario; environment?: Environment },
): ModelCheck[] {
  const checks = findTransport(result.transport)?.modelChecks(result, scenario) ?? [];
  const deployment = environment?.deployment;
  const cleartextHttp1 =
    deployment === undefined || (!deployment.tls && deployment.http === 'http/1.1' && deployment.via === 'none');
  const wholeModel = scenario.publisher === 'server' && serverOf(result) === 'reference' && cleartextHttp1;
  return checks.filter(
    (check): check is ModelCheck => check !== null && (wholeModel || check.figure === 'mean added delay'),
  );
}

export const NOT_MEASURED = 'not measured';

/** What the symbols of a report's model section mean. */
export const MODEL_NOTATION =
  'C clients, W the window, I the poll interval, T the long-poll timeout, ' +
  'H the bytes of one HTTP exchange without its body (H200 for an answer with envelopes, H204 for an empty one), ' +
  'E the bytes of one envelope: both measured in this run, from what the clients wrote and read; ' +
  'other, the bytes per message in no exchange head and no envelope (array brackets and commas, stream framing, heartbeats, padding).';

/** A check's prediction as reports show it; `not measured` when its inputs were not (an older document). */
export function predictedText(check: ModelCheck): string {
  return check.predicted === null ? NOT_MEASURED : formatModelValue(check.predicted, check.unit);
}

/** A check's deviation: `mark` after a flagged one, a note on one too small to judge. */
export function deviationText(check: ModelCheck, mark: string): string {
  if (check.deviation === null) return NOTHING;
  const deviation = formatDeviation(check.deviation);
  if (check.flagged) return `${deviation} ${mark}`;
  return Math.abs(check.deviation) > check.tolerance ? `${deviation} (too small to judge)` : deviation;
}

export function toleranceText(check: ModelCheck): string {
  return `±${formatTrimmed(check.tolerance * 100)} %`;
}

const INPUT_LABELS: Record<ModelInput, string> = { h200: 'H200', h204: 'H204', e: 'E' };

/**
 * The inputs a technique's model took from the run, as `[label, value]`: H200, H204 and E as
 * measured (– where the run had no such answer), then `other`, the bytes per message in no
 * exchange's head and no envelope. null when the document has no such measurement (written before it).
 */
export function modelInputs(result: TransportResult): Array<[string, string]> | null {
  const wire = result.bytes.wire;
  if (wire === undefined) return null;
  const inputs = findTransport(result.transport)?.modelInputs ?? [];
  const pairs = inputs.map((input): [string, string] => {
    const value = wire[input];
    return [INPUT_LABELS[input], value === null ? NOTHING : `${formatFigure(value)} B`];
  });
  const messages = result.delivery.deliveredInWindow;
  pairs.push(['other', messages === 0 ? NOTHING : `${formatFigure(wire.otherBytes / messages)} B/msg`]);
  return pairs;
}

/** The inputs as one line of text: `H200 386 B · H204 – · E 172 B · other 1.50 B/msg`. */
export function describeModelInputs(result: TransportResult): string {
  const inputs = modelInputs(result);
  if (inputs === null) return `H and E ${NOT_MEASURED}: this document was written before im-bench measured them`;
  return inputs.map(([label, value]) => `${label} ${value}`).join(' · ');
}
