#!/usr/bin/env node
// Converts the peer page's metrics.json (../shared/peer/gen_data.mjs: metrics nested under
// departments, one `dates` array for every series, `by_street` values) into citygrid's
// import contract (docs/import-format.md), so that `citygrid import` reads the same files
// the page shows. Usage: node scripts/peer-metrics.mjs PEER/metrics.json OUT/metrics.json
import fs from 'node:fs';

const [src, dst] = process.argv.slice(2);
if (!src || !dst) {
  console.error('usage: node scripts/peer-metrics.mjs PEER/metrics.json OUT/metrics.json');
  process.exit(2);
}
const peer = JSON.parse(fs.readFileSync(src, 'utf8'));
const dates = peer.dates;
const last = dates[dates.length - 1];
const out = {
  exported_at: `${last}T18:00:00+08:00`,
  departments: peer.departments.map((d) => ({ id: d.id, name: d.name, name_en: d.name_en, color: d.color })),
  metrics: peer.departments.flatMap((d) => d.metrics.map((m) => {
    const streets = Object.values(m.by_street);
    // The district's value as the page shows it: the streets' sum ('sum') or mean ('mean').
    const total = streets.reduce((a, b) => a + b, 0);
    const district = m.agg === 'sum' ? total : total / Math.max(1, streets.length);
    return {
      id: m.id,
      department: d.id,
      name: m.name,
      name_en: m.name_en,
      unit: m.unit,
      unit_en: m.unit_en,
      kind: m.unit === '%' ? 'percent' : 'count',
      series: m.series.map((value, i) => ({ date: dates[i], value })),
      values: { ...m.by_street, [peer.district_id]: Math.round(district * 100) / 100 },
      target: m.target ?? null,
    };
  })),
};
fs.writeFileSync(dst, JSON.stringify(out));
