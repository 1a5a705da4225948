import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { shardSlice } from '../../src/harness/run/shard.js';

interface Manifest {
  kind: string;
  metadata: { name: string };
  // biome-ignore lint/suspicious/noExplicitAny: a manifest is read as untyped YAML, checked by the assertions
  spec: Record<string, any>;
}

const EXAMPLE = fileURLToPath(new URL('../../examples/kubernetes/', import.meta.url));

const renderer = (...args: string[]) =>
  spawnSync(process.execPath, [join(EXAMPLE, 'render.mjs'), ...args], { encoding: 'utf8' });

function parse(text: string, label: string): Manifest[] {
  return parseAllDocuments(text).map((document) => {
    expect(document.errors, label).toEqual([]);
    return document.toJS() as Manifest;
  });
}

/** `node render.mjs STEP N`: its manifests, parsed, and its text. */
function render(step: string, shards: number): { text: string; list: Manifest[] } {
  const result = renderer(step, String(shards));
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).not.toMatch(/\$\{N\}/);
  return { text: result.stdout, list: parse(result.stdout, `${step} ${shards}`) };
}

const only = (list: Manifest[], kind: string): Manifest => {
  const found = list.filter((manifest) => manifest.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};

const podOf = (owner: Manifest) => owner.spec['template'].spec;
const argsOf = (owner: Manifest): string[] => podOf(owner).containers[0].args as string[];

/** Where a pod mounts the volume that holds claim `claim`. */
function mountPathOf(owner: Manifest, claim: string): string {
  const pod = podOf(owner);
  const volume = pod.volumes.find((v: { persistentVolumeClaim?: { claimName: string } }) => {
    return v.persistentVolumeClaim?.claimName === claim;
  });
  expect(volume, `${owner.metadata.name} mounts ${claim}`).toBeDefined();
  const mount = pod.containers[0].volumeMounts.find((m: { name: string }) => m.name === volume.name);
  return mount.mountPath as string;
}

/** Runs the merge Job's shell script with `files` in place of the volume's and a stand-in im-bench. */
function runMergeScript(script: string, mountPath: string, files: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'im-bench-k8s-'));
  try {
    for (const file of files) writeFileSync(join(dir, file), '{}');
    writeFileSync(join(dir, 'im-bench'), '#!/bin/sh\necho "im-bench $*"\n');
    chmodSync(join(dir, 'im-bench'), 0o755);
    const local = script.replaceAll(`${mountPath}/`, `${dir}/`);
    const result = spawnSync('sh', ['-c', local], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}:${process.env['PATH']}` },
    });
    const back = (text: string) => text.replaceAll(`${dir}/`, `${mountPath}/`);
    return { status: result.status, stdout: back(result.stdout), stderr: back(result.stderr) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const shardFiles = (count: number) => Array.from({ length: count }, (_, i) => `shard-${i}.json`);

describe.each([2, 5])('examples/kubernetes rendered for N = %i', (shards) => {
  const target = parse(readFileSync(join(EXAMPLE, 'target.yaml'), 'utf8'), 'target.yaml');
  const rendered = render('shards', shards);
  const job = only(rendered.list, 'Job');
  const claim = only(rendered.list, 'PersistentVolumeClaim');
  const merge = only(render('merge', shards).list, 'Job');
  const mountPath = mountPathOf(job, claim.metadata.name);
  const script = argsOf(merge)[2]!;

  it('runs N shards at once as an Indexed Job, each with its index as --shard I/N', () => {
    expect(job.spec['completionMode']).toBe('Indexed');
    expect(job.spec['completions']).toBe(shards);
    expect(job.spec['parallelism']).toBe(shards);
    const args = argsOf(job);
    expect(args.slice(0, 2)).toEqual(['im-bench', 'run']);
    expect(args).toContain(`--shard=$(JOB_COMPLETION_INDEX)/${shards}`);
    expect(args).toContain('--allow-remote');
    expect(args).toContain(`--out=${mountPath}/shard-$(JOB_COMPLETION_INDEX).json`);
  });

  it('gives --clients as the total, split between the N shards as it says', () => {
    const clients = argsOf(job).filter((arg) => arg.startsWith('--clients='));
    expect(clients).toHaveLength(1);
    const total = Number(clients[0]!.slice('--clients='.length));
    expect(rendered.text).toContain(`--clients=${total} # in all, not per shard: split between the ${shards} shards`);
    const slices = Array.from({ length: shards }, (_, index) => shardSlice(total, { index, count: shards }).clients);
    expect(Math.min(...slices)).toBeGreaterThan(0);
    expect(slices.reduce((sum, slice) => sum + slice, 0)).toBe(total);
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

  it('merges from the volume the shards write to, mounted at the same path', () => {
    expect(claim.spec['accessModes']).toEqual(['ReadWriteMany']);
    expect(mountPathOf(merge, claim.metadata.name)).toBe(mountPath);
    expect(argsOf(merge).slice(0, 2)).toEqual(['sh', '-c']);
    // The pattern is the shards' --out with the index as a wildcard.
    expect(script).toContain(`set -- ${mountPath}/shard-*.json`);
    expect(script).toContain(`! [ "$#" -eq ${shards} ]`);
    expect(script).toContain(`exec im-bench merge "$@" --out=${mountPath}/merged.json`);
  });

  it('merges the N shard files it finds', () => {
    const result = runMergeScript(script, mountPath, [...shardFiles(shards), 'merged.json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const inputs = shardFiles(shards).map((file) => `${mountPath}/${file}`);
    expect(result.stdout.trim()).toBe(
      `im-bench merge ${inputs.join(' ')} --out=${mountPath}/merged.json --out=${mountPath}/merged.md --format=table`,
    );
  });

  it.each([
    ['one shard file short', shardFiles(shards - 1)],
    ['one more shard file than N', shardFiles(shards + 1)],
    ['no shard file', []],
  ])('refuses to merge with %s', (_, files) => {
    const result = runMergeScript(script, mountPath, files);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `expected ${shards} shard documents (${mountPath}/shard-*.json), found ${files.length}`,
    );
  });
});

describe('examples/kubernetes/render.mjs', () => {
  it.each(['0', '1001', '2.5', '-3', 'four', '', '4x'])('refuses N = %j, naming the argument', (value) => {
    const result = renderer('shards', value);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `N (the second argument, the shard count) must be an integer from 1 to 1000, not ${JSON.stringify(value)}`,
    );
  });

  it('refuses a missing N, an unknown step and a third argument', () => {
    expect(renderer('merge').stderr).toContain('must be an integer from 1 to 1000: none was given');
    expect(renderer('target', '2').stderr).toContain(
      'the first argument (the step) must be shards or merge, not "target"',
    );
    expect(renderer('merge', '2', '3').stderr).toContain('unexpected argument "3"');
    for (const args of [['merge'], ['target', '2'], ['merge', '2', '3']]) expect(renderer(...args).status).toBe(2);
  });

  it('accepts the bounds, 1 and 1000', () => {
    expect(only(render('shards', 1).list, 'Job').spec['completions']).toBe(1);
    expect(only(render('shards', 1000).list, 'Job').spec['parallelism']).toBe(1000);
  });
});
