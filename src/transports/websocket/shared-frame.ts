import * as ws from 'ws';
import { WebSocket } from 'ws';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}

/** ws's own framing function, the public static `Sender.frame`, which @types/ws leaves out. */
const { frame } = (ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } }).Sender;
const TEXT: FrameOptions = { fin: true, opcode: 0x1, mask: false, readOnly: true, rsv1: false };

/** A socket's `Sender`: `sendFrame` writes framed bytes in line with ws's own frames (pings, closes, sends). */
interface FrameSender {
  sendFrame(list: readonly Buffer[], cb?: (error?: Error) => void): void;
}

/**
 * One unmasked text frame, header and payload in one buffer. A server sends the same message
 * to every subscriber: framed once here and written as is, where `socket.send` would build a
 * header, an options object and a two-part write for each socket.
 */
export function textFrame(payload: Buffer): Buffer {
  return Buffer.concat(frame(payload, TEXT));
}

/**
 * Writes frames built by `textFrame` to an open socket, through its own sender (the way ws
 * suggests for broadcasting a frame built once; `_sender` is not part of its typed API, and
 * the contract tests go through this path). Frames for a socket that is closing are dropped,
 * as `send` drops them; `flushed` then runs on the next tick.
 */
export function sendFrames(socket: WebSocket, frames: Buffer, flushed?: () => void): void {
  if (socket.readyState !== WebSocket.OPEN) {
    if (flushed !== undefined) process.nextTick(flushed);
    return;
  }
  (socket as unknown as { _sender: FrameSender })._sender.sendFrame(
    [frames],
    flushed === undefined ? undefined : () => flushed(),
  );
}
