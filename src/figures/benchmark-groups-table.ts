import type { FigureData } from './figure-data.js';
import { baseLayout, fmt, GROUP_COLOURS, translucent } from './palette.js';
import type { FigureSpec } from './spec.js';

/** Paper table: the benchmarks, their group and pillar, items scored, metric and chance level. */
export function benchmarkGroupsTable(data: FigureData): FigureSpec {
  const b = data.benchmarks;
  const header = ['Benchmark', 'Group', 'Pillar', 'Items scored', 'Metric', 'Chance level'];
  const cells = [
    b.map((x) => x.title),
    b.map((x) => x.group),
    b.map((x) => x.pillar),
    b.map((x) => String(x.items)),
    b.map((x) => x.metric ?? '–'),
    b.map((x) => (x.chance === null ? 'unknown' : fmt(x.chance, 3))),
  ];
  const fill = b.map((x) => translucent(GROUP_COLOURS[x.group], 0.12));
  const height = 150 + 27 * b.length;
  return {
    name: 'fig1-benchmark-groups',
    title: 'Benchmarks and their groups',
    data: [
      {
        type: 'table',
        columnwidth: [150, 60, 110, 100, 90, 100],
        header: { values: header.map((h) => `<b>${h}</b>`), align: 'left', fill: { color: '#eee' }, font: { size: 13 }, height: 28 },
        cells: { values: cells, align: 'left', fill: { color: [fill] }, font: { size: 13 }, height: 26 },
      },
    ],
    layout: baseLayout({ margin: { l: 20, r: 20, t: 80, b: 20 } }),
    width: 760,
    height,
    synthetic: data.synthetic,
    caption:
      'The benchmarks benchmarks grouped as single-agent (SA), multi-agent understanding (MA-U) and multi-agent planning (MA-P), with the number of items scored in these results, the metric and the accuracy of uniform random guessing (– = not known for these data).',
  };
}
