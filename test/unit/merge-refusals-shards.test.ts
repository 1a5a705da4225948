import { describe, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { mergeShards } from '../../src/report/merge/merge.js';
import { expectRefused, named } from '../helpers/merge.js';
import { distinctValues, fixtureResult, splitIntoTwoShards } from '../helpers/shards.js';

describe('mergeShards refuses, naming the file', () => {
  const run = fixtureResult('result-notify.json');
  const pair = (): [RunResult, RunResult] => splitIntoTwoShards(run, distinctValues);

  it('a missing index', () => {
    const [a, b] = pair();
    a.shard = { index: 0, count: 3 };
    b.shard = { index: 1, count: 3 };
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      'shard 2 of 3 is missing: got a.json (shard 0), b.json (shard 1)',
    );
  });

  it('an index given twice', () => {
    const [a, b] = pair();
    expectRefused(
      [...named(a, b), { name: 'b-again.json', result: b }],
      'IMB_ERR_UNMERGEABLE',
      'b-again.json: shard 1 of 2 again (b.json is shard 1 too)',
    );
    expectRefused([...named(a, b), { name: 'b.json', result: b }], 'IMB_ERR_UNMERGEABLE', 'b.json: given twice');
  });

  it('shard counts that differ', () => {
    const [a, b] = pair();
    b.shard = { index: 1, count: 3 };
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      "b.json: shard 1 of 3, but a.json is one of 2: every document must come from the same run's shards",
    );
  });

  it("a document that is not a shard's, or is already merged", () => {
    const [a, b] = pair();
    delete a.shard;
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      'a.json: not a shard\'s result (it has no "shard"): merge the documents of "im-bench run --shard I/N", one per shard',
    );
    const merged = mergeShards(named(...pair()));
    expectRefused(
      [{ name: 'merged.json', result: merged }, ...named(...pair())],
      'IMB_ERR_UNMERGEABLE',
      "merged.json: already merged from 2 shards: merge the shards' own documents instead",
    );
  });

  it('a shard that did not finish', () => {
    const [a, b] = pair();
    b.aborted = true;
    expectRefused(
      named(a, b),
      'IMB_ERR_UNMERGEABLE',
      'b.json: shard 1 did not finish ("aborted": true), so its counts are short: run that shard again',
    );
  });

  it('a shard field out of range', () => {
    const [a, b] = pair();
    a.shard = { index: 2, count: 2 };
    expectRefused(
      named(a, b),
      'IMB_ERR_INVALID_RESULT',
      'a.json: shard: expected {"index": 0 … count - 1, "count": 1 or more}, got {"index":2,"count":2}',
    );
  });

  it('nothing at all', () => {
    expectRefused([], 'IMB_ERR_UNMERGEABLE', "nothing to merge: name every shard's result document");
  });
});
