/**
 * The matrix as a grid, the one layout the GitHub Action's job summary and the server's pipeline
 * page share: one column per value of `matrix.arch` as written (then any arch only an include
 * added; one column when no combination has an arch), one row per combination of the other keys
 * in plan order, and in each cell the build jobs (each with its test) of that row and arch. A row
 * that lacks an arch has no cell there: the callers show "—".
 */
import { valueText } from '../plan/interpolate.js';

/** A build job as the grid needs it: its matrix values and the test job of its packages, if any. */
export interface GridBuild {
  id: string;
  matrix: Record<string, unknown>;
  test: string | null;
}

export interface GridCell {
  build: string;
  test: string | null;
}

export interface GridRow {
  /** For each of the grid's keys, its value as text, or undefined where the combination has none. */
  values: Record<string, string | undefined>;
  /** Column (arch, or '' without arches) → the builds of this row there, in plan order. */
  cells: Map<string, GridCell[]>;
}

export interface MatrixGrid {
  /** The matrix keys other than arch, in file order. */
  keys: string[];
  hasArch: boolean;
  /** The arches, or [''] when no combination has an arch. */
  columns: string[];
  rows: GridRow[];
}

/**
 * `builds` in plan order; `axes` the matrix keys in file order with their values as written (when
 * unknown, the keys and arches come in the order the builds first show them).
 */
export function matrixGrid(
  builds: readonly GridBuild[],
  axes: readonly { key: string; values: readonly unknown[] }[] = [],
): MatrixGrid {
  const archAxis = axes.find((a) => a.key === 'arch');
  const hasArch = archAxis !== undefined || builds.some((b) => b.matrix.arch !== undefined);
  const keys = [
    ...new Set([
      ...axes.map((a) => a.key).filter((k) => k !== 'arch'),
      ...builds.flatMap((b) => Object.keys(b.matrix).filter((k) => k !== 'arch')),
    ]),
  ];
  // The arches as written, then any an include added.
  const arches = hasArch
    ? [...new Set([...(archAxis?.values ?? []).map(valueText), ...archOrder(builds, keys)])]
    : [];
  const rows = new Map<string, GridRow>();
  for (const build of builds) {
    const values = Object.fromEntries(
      keys.map((k) => [k, build.matrix[k] === undefined ? undefined : valueText(build.matrix[k])]),
    );
    const rowKey = JSON.stringify(keys.map((k) => values[k] ?? null));
    let row = rows.get(rowKey);
    if (!row) {
      row = { values, cells: new Map() };
      rows.set(rowKey, row);
    }
    const column = hasArch ? valueText(build.matrix.arch) : '';
    row.cells.set(column, [...(row.cells.get(column) ?? []), { build: build.id, test: build.test }]);
  }
  return { keys, hasArch, columns: hasArch ? arches : [''], rows: [...rows.values()] };
}

/**
 * The arches of `builds` in the order the matrix wrote them, when only the builds are known (a
 * pipeline record): within one combination of the other keys the arches come in written order, so
 * every such row says which arch comes before which; an exclude that removes an arch from the first
 * row does not move it. Arches no row orders keep the order they first appear in.
 */
function archOrder(builds: readonly GridBuild[], keys: readonly string[]): string[] {
  const seen: string[] = [];
  const before = new Map<string, Set<string>>();
  const lastInRow = new Map<string, string>();
  for (const build of builds) {
    if (build.matrix.arch === undefined) continue;
    const arch = valueText(build.matrix.arch);
    if (!seen.includes(arch)) seen.push(arch);
    if (!before.has(arch)) before.set(arch, new Set());
    const row = JSON.stringify(keys.map((k) => valueText(build.matrix[k])));
    const previous = lastInRow.get(row);
    if (previous !== undefined && previous !== arch) before.get(arch)!.add(previous);
    lastInRow.set(row, arch);
  }
  // The first arch (in order of appearance) that no unplaced arch must precede, again and again.
  const order: string[] = [];
  while (order.length < seen.length) {
    const next =
      seen.find((a) => !order.includes(a) && [...before.get(a)!].every((b) => order.includes(b))) ??
      seen.find((a) => !order.includes(a))!;
    order.push(next);
  }
  return order;
}
