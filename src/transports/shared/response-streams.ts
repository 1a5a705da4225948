import type { ServerResponse } from 'node:http';
import type { Broker, BrokerEntry } from '../../broker/broker.js';
import type { Cursor } from '../../broker/request-params.js';
import type { Gap } from '../../core/envelope.js';
import { chunk, writeChunks } from './chunked-stream.js';
import { StreamFanout, type StreamWriter } from './stream-fanout.js';
import type { CopyBurner } from './copy-burner.js';

/** How a streaming technique's messages, markers and heartbeat read on the wire, before chunking. */
export interface ResponseFrames {
  message(entry: BrokerEntry): Buffer;
  gap(gap: Gap): Buffer;
  reset(epoch: string): Buffer;
  heartbeat: Buffer;
}

/** Frames are HTTP chunks, each built once per message for every stream. */
function chunkedWriter(frames: ResponseFrames): StreamWriter<ServerResponse> {
  return {
    frame: (entry) => chunk(frames.message(entry)),
    gapFrame: (gap) => chunk(frames.gap(gap)),
    resetFrame: (epoch) => chunk(frames.reset(epoch)),
    write(res, built, flushed) {
      writeChunks(res, built.length === 1 ? built[0]! : Buffer.concat(built), flushed);
    },
    queued: (res) => res.writableLength,
    isOpen: (res) => !res.destroyed && res.writable,
    shed: (res) => res.destroy(),
  };
}

/**
 * The long HTTP responses of a streaming technique (SSE, HTTP streaming) over one fan-out: a
 * heartbeat to every live stream each interval, shedding those that have not drained for two,
 * and every stream ended at shutdown.
 */
export class ResponseStreams {
  private readonly fanout: StreamFanout<ServerResponse>;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(broker: Broker, frames: ResponseFrames, heartbeatMs: number, burn?: CopyBurner) {
    this.fanout = new StreamFanout(broker, chunkedWriter(frames), burn);
    const beat = chunk(frames.heartbeat);
    this.heartbeat = setInterval(() => {
      this.fanout.shedStalled(2 * heartbeatMs);
      for (const { sink, catchingUp } of this.fanout.subscribers()) if (!catchingUp) writeChunks(sink, beat);
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  /** Streams what the log holds after the cursor, then every new message, until the response closes. */
  add(res: ServerResponse, channel: string, cursor: Cursor): void {
    const subscriber = this.fanout.add(res, channel, cursor);
    res.on('close', () => this.fanout.remove(subscriber));
  }

  get shed(): number {
    return this.fanout.shed;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const subscriber of this.fanout.subscribers()) {
      this.fanout.remove(subscriber);
      subscriber.sink.end();
    }
  }
}
