const SPACE = 0x20;
const NEWLINE = 0x0a;
const COLON = 0x3a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** Digits a number may have and stay exact in a double. */
const MAX_DIGITS = 15;

/**
 * Reads the frames of nchan's `ws+meta.nchan` subprotocol: `id: T:G\n`, optionally
 * `content-type: X\n`, a blank line, then the message body. One reader per client, on the
 * per-copy path of a fan-out: the meta lines are scanned in place in the frame's bytes (they are
 * ASCII), so that only the body is ever decoded, and an id of nchan's usual `time:tag` form is
 * kept as two numbers. An id cut out of the frame would be compared with the last one at every copy.
 */
export class NchanFrameReader {
  /** Where the body of the last frame read starts (the meta lines' length). */
  bodyStart = 0;
  private time = -1;
  private tag = 0;
  /** An id of another form, as sent (`time:tag` is kept in `time` and `tag`). */
  private text = '';
  // The id of the frame being read, taken only once the whole frame has the form.
  private nextTime = -1;
  private nextTag = 0;
  private nextText = '';

  /** The last frame's id, as nchan sent it; '' before any frame. */
  get id(): string {
    return this.time >= 0 ? `${this.time}:${this.tag}` : this.text;
  }

  /**
   * Reads one frame's meta lines; false (and nothing changed) when the frame does not have the
   * form or lacks its id, which a client could not resume from.
   */
  read(frame: Buffer): boolean {
    // Byte by byte, by hand: the meta lines are a few dozen bytes, shorter than Buffer.indexOf's way in and out.
    const length = frame.length;
    let hasId = false;
    let start = 0;
    for (;;) {
      let colon = -1;
      let stop = start;
      for (; stop < length; stop++) {
        const c = frame[stop];
        if (c === NEWLINE) break;
        if (c === COLON && colon === -1) colon = stop;
      }
      if (stop === length) return false;
      if (stop === start) break;
      if (colon === -1) return false;
      if (namesId(frame, start, colon)) {
        if (!this.readId(frame, colon + 1, stop)) return false;
        hasId = true;
      }
      start = stop + 1;
    }
    // A blank line ended the meta lines, the first one too: a frame without meta has no id.
    if (!hasId) return false;
    this.time = this.nextTime;
    this.tag = this.nextTag;
    this.text = this.nextText;
    this.bodyStart = start + 1;
    return true;
  }

  /** The id between `from` and `to`, spaces around it left out; false when it is empty. */
  private readId(frame: Buffer, from: number, to: number): boolean {
    let start = from;
    let end = to;
    while (start < end && frame[start] === SPACE) start++;
    while (end > start && frame[end - 1] === SPACE) end--;
    if (start === end) return false;
    let colon = start;
    while (colon < end && frame[colon] !== COLON) colon++;
    const time = colon === end ? -1 : decimal(frame, start, colon);
    const tag = time === -1 ? -1 : decimal(frame, colon + 1, end);
    if (tag === -1) {
      this.nextTime = -1;
      this.nextText = frame.toString('utf8', start, end);
    } else {
      this.nextTime = time;
      this.nextTag = tag;
    }
    return true;
  }
}

/**
 * The number written from `from` to `to`, or -1 unless it is plain decimal digits that write it
 * back as they are (no leading zero, no more digits than a double holds exactly).
 */
function decimal(bytes: Buffer, from: number, to: number): number {
  const length = to - from;
  if (length === 0 || length > MAX_DIGITS || (length > 1 && bytes[from] === DIGIT_0)) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    if (c < DIGIT_0 || c > DIGIT_9) return -1;
    value = value * 10 + (c - DIGIT_0);
  }
  return value;
}

/** Whether the line's name (from `start` to the colon) is `id`, in any case, spaces around it allowed. */
function namesId(frame: Buffer, start: number, colon: number): boolean {
  let from = start;
  let to = colon;
  while (from < to && frame[from] === SPACE) from++;
  while (to > from && frame[to - 1] === SPACE) to--;
  return to - from === 2 && (frame[from]! | SPACE) === 0x69 && (frame[from + 1]! | SPACE) === 0x64;
}
