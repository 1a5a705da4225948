import { showValue } from '../core/show-value.js';
import { CHANNEL_NAME_PATTERN, EPOCH_PATTERN, HRTIME_PATTERN } from '../core/constants.js';
import type { Envelope } from '../core/envelope.js';

/** One complete line of a journal, checked: the header, a message, or a channel whose ring kept nothing. */
export type JournalRecord =
  | { readonly kind: 'header'; readonly epoch: string }
  | {
      readonly kind: 'envelope';
      readonly envelope: Envelope /** As the server serializes it. */;
      readonly bytes: Buffer;
    }
  | { readonly kind: 'mark'; readonly channel: string; readonly lastSeq: number };

/** What is wrong with a line, worded to follow "line N ". */
export class RecordProblem extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'RecordProblem';
  }
}

const HEADER = 'the header {"epoch":"…"}';
const ENVELOPE = 'an envelope {"seq","t","ch","from","data"}';
const MARK = 'a mark {"mark":{"ch","lastSeq"}}';
const decoder = new TextDecoder('utf-8', { fatal: true });

type Fields = Record<string, unknown>;

/**
 * Reads one complete line: line 1 must be the header, every other line an envelope or a mark,
 * with exactly the fields the server writes, each as the wire contract has it, and written
 * byte for byte as the server writes it (no spaces, escapes, key order or repeated keys of
 * its own): a line the server could not have written is not taken, whatever it says.
 */
export function parseRecord(bytes: Buffer, first: boolean): JournalRecord {
  const value = parseObject(bytes, first);
  const record = first ? header(value) : Object.hasOwn(value, 'mark') ? mark(value) : envelope(value);
  const written = serialized(record);
  if (!written.equals(bytes)) {
    const expected = written.length > 80 ? `${written.subarray(0, 80).toString()}…` : written.toString();
    throw new RecordProblem(`is not written the way the server writes it, which is ${expected}`);
  }
  return record;
}

/** The line the server writes for `record`. */
function serialized(record: JournalRecord): Buffer {
  if (record.kind === 'envelope') return record.bytes;
  if (record.kind === 'header') return Buffer.from(JSON.stringify({ epoch: record.epoch }));
  return Buffer.from(JSON.stringify({ mark: { ch: record.channel, lastSeq: record.lastSeq } }));
}

function parseObject(bytes: Buffer, first: boolean): Fields {
  if (bytes.length === 0) throw new RecordProblem('is empty');
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new RecordProblem('is not UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RecordProblem(first ? `is not JSON: it should be ${HEADER}` : 'is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordProblem(first ? `should be ${HEADER}` : `is JSON but not ${ENVELOPE} or ${MARK}`);
  }
  return value as Fields;
}

/** Exactly these fields: one missing or one more is a line the server did not write. */
function expectFields(value: Fields, fields: readonly string[], what: string): void {
  const missing = fields.filter((field) => !Object.hasOwn(value, field)).map((field) => `no "${field}"`);
  const extra = Object.keys(value)
    .filter((key) => !fields.includes(key))
    .map((key) => `an unexpected "${key.slice(0, 40)}"`);
  const problems = [...missing, ...extra];
  if (problems.length > 0) throw new RecordProblem(`should be ${what}, but has ${problems.join(', ')}`);
}

function bad(what: string, field: string, expected: string, value: unknown): RecordProblem {
  return new RecordProblem(`is ${what} with a bad "${field}": expected ${expected}, got ${showValue(value)}`);
}

function isSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

function isChannel(value: unknown): value is string {
  return typeof value === 'string' && CHANNEL_NAME_PATTERN.test(value);
}

const CHANNEL_EXPECTED = '1-64 characters of A-Z a-z 0-9 _ . : -';

function header(value: Fields): JournalRecord {
  expectFields(value, ['epoch'], HEADER);
  const { epoch } = value;
  if (typeof epoch !== 'string' || !EPOCH_PATTERN.test(epoch)) {
    throw bad('the header', 'epoch', '1-64 characters of A-Z a-z 0-9 -', epoch);
  }
  return { kind: 'header', epoch };
}

function envelope(value: Fields): JournalRecord {
  if (!Object.hasOwn(value, 'seq')) throw new RecordProblem(`is neither ${ENVELOPE} nor ${MARK}`);
  expectFields(value, ['seq', 't', 'ch', 'from', 'data'], ENVELOPE);
  const { seq, t, ch, from, data } = value;
  const what = 'an envelope';
  if (!isSeq(seq)) throw bad(what, 'seq', 'an integer from 1', seq);
  if (typeof t !== 'string' || !HRTIME_PATTERN.test(t)) throw bad(what, 't', 'a decimal string of nanoseconds', t);
  if (!isChannel(ch)) throw bad(what, 'ch', CHANNEL_EXPECTED, ch);
  if (from !== null && typeof from !== 'string') throw bad(what, 'from', 'a string or null', from);
  if (typeof data !== 'string') throw bad(what, 'data', 'a string', data);
  const checked: Envelope = { seq, t, ch, from, data };
  return { kind: 'envelope', envelope: checked, bytes: Buffer.from(JSON.stringify(checked)) };
}

function mark(value: Fields): JournalRecord {
  expectFields(value, ['mark'], MARK);
  const inner = value.mark;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw bad('a mark', 'mark', '{"ch","lastSeq"}', inner);
  }
  const fields = inner as Fields;
  expectFields(fields, ['ch', 'lastSeq'], MARK);
  if (!isChannel(fields.ch)) throw bad('a mark', 'ch', CHANNEL_EXPECTED, fields.ch);
  if (!isSeq(fields.lastSeq)) throw bad('a mark', 'lastSeq', 'an integer from 1', fields.lastSeq);
  return { kind: 'mark', channel: fields.ch, lastSeq: fields.lastSeq };
}
