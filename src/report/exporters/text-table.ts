import Table from 'cli-table3';

/** The terminal width a text table is kept within. */
export const TABLE_WIDTH = 80;

type Rows = readonly (readonly string[])[];

/** Label column left, figures right; no colours, so pipes and CI logs stay clean. */
function render(head: readonly string[], rows: Rows): string {
  const table = new Table({
    head: [...head],
    colAligns: ['left', ...head.slice(1).map(() => 'right' as const)],
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) table.push([...row]);
  return table.toString();
}

function widest(text: string): number {
  return Math.max(...text.split('\n').map((line) => line.length));
}

/** The label column and the value columns `from` up to (not including) `to`. */
function columns(head: readonly string[], rows: Rows, from: number, to: number): string {
  const pick = (row: readonly string[]): string[] => [row[0] ?? '', ...row.slice(from, to)];
  return render(pick(head), rows.map(pick));
}

/** `count` value columns cut into `parts` runs of column indexes (from 1) as even as they go, the longer runs first. */
function evenRuns(count: number, parts: number): Array<[from: number, to: number]> {
  const runs: Array<[number, number]> = [];
  let from = 1;
  for (let part = 0; part < parts; part++) {
    const size = Math.ceil((count - (from - 1)) / (parts - part));
    runs.push([from, from + size]);
    from += size;
  }
  return runs;
}

/**
 * A table whose first column labels the rows, as one table or, when it would be wider than
 * `width`, as the fewest tables that fit, their value columns shared out evenly, each repeating
 * the labels. A single value column wider than `width` still gets a table of its own.
 */
export function textTables(head: readonly string[], rows: Rows, width = TABLE_WIDTH): string[] {
  const count = head.length - 1;
  let tables: string[] = [];
  for (let parts = 1; parts <= Math.max(count, 1); parts++) {
    tables = evenRuns(count, parts).map(([from, to]) => columns(head, rows, from, to));
    if (tables.every((table) => widest(table) <= width)) break;
  }
  return tables;
}
