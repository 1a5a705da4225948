import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nothingDelivered } from '../helpers/exporters.js';
import { modelChecks } from '../../src/report/model.js';
import type { RunResult } from '../../src/document/result.js';
import { chanceOfSilence } from '../../src/transports/model.js';

const fixture = (): RunResult =>
  JSON.parse(readFileSync(new URL('../fixtures/result-notify.json', import.meta.url), 'utf8')) as RunResult;

describe('model beside measurement', () => {
  it('predicts short polling from the scenario: delay, requests, empties and bytes', () => {
    const result = fixture();
    const checks = modelChecks(result.transports[0]!, result.scenario);
    expect(checks.map((check) => check.figure)).toEqual([
      'mean added delay',
      'requests',
      'empty responses',
      'bytes / msg',
    ]);
    expect(checks[0]!.predicted).toBe(result.scenario.pollIntervalMs / 2);
    expect(checks[1]!.predicted).toBeCloseTo(
      (result.transports[0]!.clients.connected * result.transports[0]!.windowSeconds) /
        (result.scenario.pollIntervalMs / 1000),
      6,
    );
  });

  it('gives the chance of a silent interval by publish pattern', () => {
    const scenario = fixture().scenario;
    expect(chanceOfSilence({ ...scenario, rate: 2, pattern: 'poisson', channels: 1 }, 0.5)).toBeCloseTo(
      Math.exp(-1),
      9,
    );
    expect(chanceOfSilence({ ...scenario, rate: 2, pattern: 'constant', channels: 1 }, 0.25)).toBeCloseTo(0.5, 9);
    expect(chanceOfSilence({ ...scenario, rate: 2, pattern: 'constant', channels: 2 }, 0.25)).toBeCloseTo(0.75, 9);
    expect(chanceOfSilence({ ...scenario, rate: 20, pattern: 'burst', burstSize: 10, channels: 1 }, 0.25)).toBeCloseTo(
      0.5,
      9,
    );
  });

  it('flags a figure more than 25 % off its prediction', () => {
    const result = fixture();
    const polling = result.transports[0]!;
    polling.requests.inWindow = Math.round(polling.requests.inWindow * 1.5);
    const requests = modelChecks(polling, result.scenario).find((check) => check.figure === 'requests')!;
    expect(requests.flagged).toBe(true);
    expect(requests.deviation).toBeCloseTo(0.5, 2);
  });

  it('leaves out what the run cannot inform: per-message figures with nothing delivered, requests and bytes in a chat', () => {
    const result = fixture();
    const polling = result.transports[0]!;
    const empty = nothingDelivered(polling);
    expect(modelChecks(empty, result.scenario).map((check) => check.figure)).toEqual(['requests', 'empty responses']);
    const chat = { ...result.scenario, publisher: 'clients' as const };
    expect(modelChecks(polling, chat).map((check) => check.figure)).toEqual(['mean added delay']);
    expect(modelChecks(result.transports[3]!, chat)).toEqual([]);
  });
});
