import { describe, expect, it } from 'vitest';
import type { RunResult, TransportResult } from '../../src/document/result.js';
import { expectRefused, named, refusal } from '../helpers/merge.js';
import { distinctValues, fixtureResult, splitIntoTwoShards, TARGET } from '../helpers/shards.js';

describe('mergeShards refuses, naming the file', () => {
  const run = fixtureResult('result-notify.json');
  const pair = (): [RunResult, RunResult] => splitIntoTwoShards(run, distinctValues);

  it('a different scenario', () => {
    const [a, b] = pair();
    b.scenario.rate = 5;
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      'b.json: scenario.rate is 5, but a.json (shard 0) has 2: every shard must run the same scenario',
    );
    const [c, d] = pair();
    c.scenario.clients = 60;
    expect(refusal(named(c, d)).message).toBe(
      'b.json: scenario.clients is 100, but a.json (shard 0) has 60: every shard must run the same scenario',
    );
  });

  it('shards of different servers, or of none', () => {
    const [a, b] = pair();
    b.environment.target = 'http://10.0.0.9:8080';
    expect(refusal(named(a, b)).message).toBe(
      `b.json: environment.target is "http://10.0.0.9:8080", but a.json (shard 0) has "${TARGET}": every shard must drive the same server`,
    );
    const [c, d] = pair();
    c.environment.target = null;
    d.environment.target = null;
    expect(refusal(named(c, d)).message).toMatch(
      /^a\.json: environment\.target is null: .* run every shard with --target URL$/,
    );
  });

  it('other techniques, repetitions or tool versions', () => {
    const [a, b] = pair();
    b.transports.pop();
    expect(refusal(named(a, b)).message).toBe(
      'b.json: the list of techniques is ["short-polling","long-polling","sse"], but a.json (shard 0) has ["short-polling","long-polling","sse","websocket"]: every shard must measure the same techniques',
    );
    const [c, d] = pair();
    d.tool.version = '0.2.0';
    expect(refusal(named(c, d)).message).toBe(
      'b.json: tool.version is "0.2.0", but a.json (shard 0) has "0.1.0": every shard must be run by the same im-bench',
    );
  });

  it("client slices that do not add up to the scenario's clients", () => {
    const [a, b] = pair();
    b.transports[2]!.clients.requested = 100;
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      "sse: the shards' clients.requested add up to 160 (a.json 60, b.json 100), but scenario.clients is 100: each shard must hold its own slice of the clients",
    );
  });

  it('a figure it cannot read, or a histogram that does not decode', () => {
    const [a, b] = pair();
    delete (b.transports[1]!.requests as Partial<TransportResult['requests']>).empty;
    expectRefused(
      named(a, b),
      'IMB_ERR_INVALID_RESULT',
      'b.json: transports[1].requests.empty: expected a number, got nothing',
    );
    const [c, d] = pair();
    c.transports[3]!.connectHistogram = 'HISTnot-a-histogram';
    const error = refusal(named(c, d));
    expect(error.code).toBe('IMB_ERR_INVALID_RESULT');
    expect(error.message).toMatch(/^a\.json: transports\[3\]\.connectHistogram: not an HDR histogram \(/);
  });
});
