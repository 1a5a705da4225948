import { once } from 'node:events';
import WebSocket from 'ws';
import { defer } from '../helpers/cleanup.js';
import { wsUrl } from '../helpers/http.js';

export interface ErrorFrame {
  code: string;
  message: string;
}

/**
 * A WebSocket client that sends hand-written text frames as publish requests and reads the
 * server's answer to each: the error frame of the contract. It subscribes to a channel nothing
 * is published on, so the only frames it gets are those answers. Closed after the test.
 */
export class WsPublisher {
  private readonly frames: string[] = [];
  private waiting: (() => void) | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(String(data));
      this.waiting?.();
    });
  }

  static async open(baseUrl: string): Promise<WsPublisher> {
    const socket = new WebSocket(wsUrl(baseUrl, '/ws?ch=answers-only'));
    defer(() => socket.terminate());
    await once(socket, 'open');
    return new WsPublisher(socket);
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends `text` and waits for the error frame it is answered with. */
  async refusal(text: string, timeoutMs = 3_000): Promise<ErrorFrame> {
    this.socket.send(text);
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (!this.open) throw new Error(`the socket closed instead of answering ${text.slice(0, 80)}`);
      if (Date.now() > deadline) throw new Error(`no answer within ${timeoutMs} ms to ${text.slice(0, 80)}`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 20);
      });
    }
    const frame = JSON.parse(this.frames.shift()!) as { type: string; error: ErrorFrame };
    if (frame.type !== 'error') throw new Error(`expected an error frame, got ${JSON.stringify(frame)}`);
    return frame.error;
  }

  /** The close code the server ends the socket with, once it does. */
  async closeCode(): Promise<number> {
    const [code] = (await once(this.socket, 'close')) as [number];
    return code;
  }

  /** Sends `text` as a publish the server should take: no answer comes to this socket. */
  send(text: string): void {
    this.socket.send(text);
  }
}
