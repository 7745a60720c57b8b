/**
 * A format-neutral table: the Markdown and HTML renderers draw the same rows, so both show the same
 * content. Cells are plain, unescaped text; each renderer escapes for its own syntax.
 */

/** How a column's cells read: `code` for names and commands (monospace), `num` right-aligned. */
export type ColumnStyle = 'text' | 'code' | 'num';

export interface Column {
  title: string;
  style: ColumnStyle;
}

export interface Table {
  columns: Column[];
  rows: string[][];
  /** Rows left out after the shown ones (rendered as "… N more"). */
  more: number;
}

/** Builds columns from `title:style` shorthands (`'Seed:num'`, `'Entity:code'`, `'Message'`). */
export function columns(...specs: string[]): Column[] {
  return specs.map((spec) => {
    const [title = '', style = 'text'] = spec.split(':');
    return { title, style: style as ColumnStyle };
  });
}

/** A table of the first `max` items, each mapped to one row; the rest counted in `more`. */
export function tableOf<T>(cols: Column[], items: readonly T[], max: number, row: (item: T) => string[]): Table {
  const shown = items.slice(0, max);
  return { columns: cols, rows: shown.map(row), more: items.length - shown.length };
}
