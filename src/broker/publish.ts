import { DEFAULT_CHANNEL, HRTIME_PATTERN, MAX_CHANNELS } from '../core/constants.js';
import { nowHrtimeString } from '../core/clock.js';
import { BrokerFull, type Broker, type BrokerEntry, type PublishInput } from './broker.js';
import { describeValue } from './describe-input.js';
import { HttpError } from './http-util.js';
import { JournalClosed, JournalUnwritable } from './journal-errors.js';
import { checkChannelName } from './request-params.js';

/** The received value is described, never serialized: it may be nested deeper than the stack. */
function bad(field: string, expected: string, value: unknown): HttpError {
  return new HttpError(400, `bad_${field}`, `${field} must be ${expected}, got ${describeValue(value)}`);
}

/** The publish request of the contract: `{"ch","from","data","t"}`, only `data` required. */
export function parsePublishInput(body: unknown): PublishInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'bad_body', 'publish body must be a JSON object like {"data":"..."}');
  }
  const { ch, from, data, t } = body as Record<string, unknown>;
  if (typeof data !== 'string') throw bad('data', 'a string', data);
  if (ch !== undefined && typeof ch !== 'string') throw bad('ch', 'a string', ch);
  if (from !== undefined && from !== null && typeof from !== 'string') throw bad('from', 'a string or null', from);
  if (t !== undefined && (typeof t !== 'string' || !HRTIME_PATTERN.test(t))) {
    throw bad('t', 'a decimal string of process.hrtime.bigint() nanoseconds', t);
  }
  return {
    ch: ch === undefined ? DEFAULT_CHANNEL : checkChannelName(ch),
    from: from ?? null,
    data,
    t: t ?? nowHrtimeString(),
  };
}

/** Validates and appends; refuses to open channels past `MAX_CHANNELS`. */
export function publishTo(broker: Broker, body: unknown): BrokerEntry {
  return appendTo(broker, parsePublishInput(body));
}

/** Appends a validated publish; refuses to open channels past `MAX_CHANNELS`. */
export function appendTo(broker: Broker, input: PublishInput): BrokerEntry {
  if (!broker.hasChannel(input.ch) && broker.channelCount >= MAX_CHANNELS) {
    throw new HttpError(400, 'too_many_channels', `the server holds at most ${MAX_CHANNELS} channels`);
  }
  try {
    return broker.publish(input);
  } catch (error) {
    if (error instanceof BrokerFull) throw new HttpError(503, 'broker_full', error.message);
    if (error instanceof JournalClosed) throw new HttpError(503, 'shutting_down', error.message);
    if (error instanceof JournalUnwritable) {
      throw new HttpError(503, 'journal_unwritable', error.message, { 'retry-after': '1' });
    }
    throw error;
  }
}
