import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/document/document-file.js';
import { type OutputFormat, render } from '../../src/report/output.js';
import { TRANSPORT_NAMES } from '../../src/transports/registry.js';

// Every rendering committed beside a JSON document (reports/*.md, *.html and the README's sample)
// must be what the current code renders from that document: a renderer change that leaves one
// stale fails here. `npm run reports:render` writes them again (reports/render.mjs).
const REPORTS = new URL('../../reports/', import.meta.url);
const ROOT = new URL('../../', import.meta.url);
const STALE = 'stale: run `npm run reports:render` and commit what it writes';

const documents = readdirSync(REPORTS).filter((name) => name.endsWith('.json'));

async function rendered(path: URL, format: OutputFormat): Promise<string> {
  return render(await loadDocument(fileURLToPath(path), TRANSPORT_NAMES), format);
}

describe('committed reports are rendered from their JSON by the current code', () => {
  it('finds the committed documents', () => {
    expect(documents).toEqual(expect.arrayContaining(['notify.json', 'sweep-clients.json']));
  });

  for (const file of documents) {
    for (const format of ['md', 'html'] as const) {
      const output = `${file.slice(0, -'.json'.length)}.${format}`;
      it(`reports/${output} is reports/${file} rendered as ${format}`, async () => {
        const committed = readFileSync(new URL(output, REPORTS), 'utf8');
        expect(committed, `reports/${output} ${STALE}`).toBe(await rendered(new URL(file, REPORTS), format));
      });
    }
  }

  it("the README's sample is its document rendered as the marker says", async () => {
    const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
    const sample = /<!-- sample: report (\S+) --format (\w+) -->\n```\n([\s\S]*?)```\n<!-- \/sample -->/.exec(readme);
    expect(sample, 'README.md has a <!-- sample: report FILE --format FORMAT --> block').not.toBeNull();
    const [, file, format, committed] = sample!;
    expect(committed, `README.md's sample ${STALE}`).toBe(await rendered(new URL(file!, ROOT), format as OutputFormat));
  });
});
