// `node --import tsx scripts/curate-published.ts [<raw scores.csv>]`: rebuilds
// data/published/scores.csv from ../shared/published/scores.csv (the rule is src/analysis/published.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/core/atomic.js';
import { projectRoot } from '../src/core/paths.js';
import { curatePublished, publishedCsv, publishedFile } from '../src/analysis/published.js';

const raw = process.argv[2] ?? join(projectRoot(), '..', 'shared', 'published', 'scores.csv');
const rows = curatePublished(readFileSync(raw, 'utf8'), raw);
writeFileAtomic(publishedFile(), publishedCsv(rows));
const comparable = rows.filter((r) => r.comparable).length;
process.stdout.write(`${rows.length} rows (${comparable} comparable with a masa benchmark) -> ${publishedFile()}\n`);
