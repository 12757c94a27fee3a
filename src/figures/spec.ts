/**
 * A figure as data: a plotly.js spec plus what export and the report need. Figure builders are
 * pure functions from tables to FigureSpec; exporting to HTML, SVG and PNG is separate (export.ts).
 */
export interface FigureSpec {
  /** File stem, e.g. 'fig3-sa-vs-ma'. */
  name: string;
  /** Title shown on the figure (export prefixes the synthetic-data mark when needed). */
  title: string;
  // plotly's own types are browser-side; specs stay plain JSON.
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
  width: number;
  height: number;
  /** True when any point comes from a simulated model: the title then carries a visible mark. */
  synthetic: boolean;
  /** One or two sentences for the report and notebooks: what the figure shows. */
  caption: string;
  /** The numbers behind the drawing (fits, intervals), JSON-ready, for the report and tests. */
  stats?: Record<string, unknown>;
}

export const SYNTHETIC_MARK = 'SYNTHETIC DATA (simulated models)';

/** The spec with its final title (synthetic mark included) folded into the layout. */
export function withTitle(spec: FigureSpec): FigureSpec {
  const title = spec.synthetic ? `${spec.title}<br><sup style="color:#b00">${SYNTHETIC_MARK}</sup>` : spec.title;
  const layout = { ...spec.layout, title: { text: title, x: 0.02, xanchor: 'left' } };
  return { ...spec, layout };
}
