import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

interface Manifest {
  kind: string;
  metadata: { name: string };
  // biome-ignore lint/suspicious/noExplicitAny: a manifest is read as untyped YAML, checked by the assertions
  spec: Record<string, any>;
}

function manifests(file: string): Manifest[] {
  const text = readFileSync(new URL(`../../examples/kubernetes/${file}`, import.meta.url), 'utf8');
  return parseAllDocuments(text).map((document) => {
    expect(document.errors, file).toEqual([]);
    return document.toJS() as Manifest;
  });
}

const only = (list: Manifest[], kind: string): Manifest => {
  const found = list.filter((manifest) => manifest.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};

const argsOf = (podOwner: Manifest): string[] => podOwner.spec['template'].spec.containers[0].args as string[];

describe('examples/kubernetes', () => {
  const target = manifests('target.yaml');
  const shards = manifests('shards.yaml');
  const job = only(shards, 'Job');
  const shardCount = job.spec['completions'] as number;

  it('runs N shards at once as an Indexed Job, each with its index as --shard I/N', () => {
    expect(job.spec['completionMode']).toBe('Indexed');
    expect(shardCount).toBeGreaterThan(1);
    expect(job.spec['parallelism']).toBe(shardCount);
    const args = argsOf(job);
    expect(args.slice(0, 2)).toEqual(['im-bench', 'run']);
    expect(args).toContain(`--shard=$(JOB_COMPLETION_INDEX)/${shardCount}`);
    expect(args).toContain('--allow-remote');
    expect(args).toContain('--out=/results/shard-$(JOB_COMPLETION_INDEX).json');
  });

  it('points every shard at the one server the target Service exposes', () => {
    const service = only(target, 'Service');
    const deployment = only(target, 'Deployment');
    const port = service.spec['ports'][0].port as number;
    expect(argsOf(job)).toContain(`--target=http://${service.metadata.name}:${port}`);
    expect(deployment.spec['replicas']).toBe(1);
    const serve = argsOf(deployment);
    expect(serve.slice(0, 2)).toEqual(['im-bench', 'serve']);
    expect(serve.join(' ')).toContain('--host 0.0.0.0');
    expect(serve.join(' ')).toContain(`--port ${service.spec['ports'][0].targetPort}`);
  });

  it('merges exactly the files the shards write, from the volume they share', () => {
    const merge = only(manifests('merge.yaml'), 'Job');
    const args = argsOf(merge);
    expect(args.slice(0, 2)).toEqual(['im-bench', 'merge']);
    const inputs = args.slice(2).filter((arg) => !arg.startsWith('--'));
    expect(inputs).toEqual(Array.from({ length: shardCount }, (_, i) => `/results/shard-${i}.json`));
    const claim = only(shards, 'PersistentVolumeClaim').metadata.name;
    for (const owner of [job, merge]) {
      expect(owner.spec['template'].spec.volumes[0].persistentVolumeClaim.claimName).toBe(claim);
      expect(owner.spec['template'].spec.containers[0].volumeMounts[0].mountPath).toBe('/results');
    }
  });
});
