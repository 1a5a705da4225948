import type { Broker, BrokerEntry } from '../broker/broker.js';
import { appendTo, parsePublishInput, publishTo } from '../broker/publish.js';

/** Appends a publish request's body to the log: at once, or once the calibration delay has passed. */
export type Publisher = (body: unknown) => BrokerEntry | Promise<BrokerEntry>;

/**
 * With `delayMs` (serve --calibrate-delay, which slows the server on purpose to calibrate
 * compare), each publish is checked at once but appended, and so numbered and answered, at
 * least `delayMs` later: a timer, not a spin, so it costs no CPU. Timers of one duration fire
 * in the order they were set, so publishes held together keep their arrival order.
 */
export function publisherFor(broker: Broker, delayMs: number): Publisher {
  if (delayMs <= 0) return (body) => publishTo(broker, body);
  return (body) => {
    const input = parsePublishInput(body);
    return new Promise((resolve, reject) => {
      setTimeout(() => {
        try {
          resolve(appendTo(broker, input));
        } catch (error) {
          reject(error);
        }
      }, delayMs);
    });
  };
}
