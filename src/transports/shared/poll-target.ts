import type { CursorTracker } from './cursor-tracker.js';

/**
 * A poll's request target, `path?ch=…&since=N[&epoch=E]` plus fixed parameters: the resume
 * token handed back. Rebuilt only when the token changes, so an empty answer costs no string.
 */
export class PollTarget {
  private target = '';
  private cursor = -1;
  private epoch: string | undefined;
  private readonly prefix: string;

  /** `extraQuery`: parameters after the resume token, as `&name=value...`. */
  constructor(
    path: string,
    channel: string,
    private readonly extraQuery = '',
  ) {
    this.prefix = `${path}?ch=${encodeURIComponent(channel)}&since=`;
  }

  of(tracker: CursorTracker): string {
    const { cursor, epoch } = tracker;
    if (cursor !== this.cursor || epoch !== this.epoch) {
      this.cursor = cursor;
      this.epoch = epoch;
      const epochQuery = epoch === undefined ? '' : `&epoch=${encodeURIComponent(epoch)}`;
      this.target = `${this.prefix}${cursor}${epochQuery}${this.extraQuery}`;
    }
    return this.target;
  }
}
