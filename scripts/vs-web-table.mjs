#!/usr/bin/env node
// One table of ratios: the web page's harness results (peer/out/results-N.json) beside
// `citygrid bench --compare` (JSON), as scripts/bench-vs-web.sh prints it.
// Usage: node scripts/vs-web-table.mjs PEER_RESULTS.json CITYGRID.json
import fs from 'node:fs';
import os from 'node:os';

const [peerFile, oursFile] = process.argv.slice(2);
const peer = JSON.parse(fs.readFileSync(peerFile, 'utf8'));
const ours = JSON.parse(fs.readFileSync(oursFile, 'utf8'));
const median = (a) => { const v = a.filter((x) => typeof x === 'number' && isFinite(x)).sort((x, y) => x - y); if (!v.length) return null; const m = v.length >> 1; return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
const runs = (mode) => peer.runs.filter((r) => r.mode === mode);
const pm = (mode, f) => median(runs(mode).map((r) => { try { return f(r); } catch { return null; } }));

// [figure, page, citygrid, unit, better: 'lower' | 'higher']
const rows = [
  ['launch → fully drawn', pm('drill', (r) => r.launch_to_ready_ms), ours.start_ms, 'ms', 'lower'],
  ['  citygrid\'s first start (writes its start cache)', null, ours.start_first_ms, 'ms', 'lower'],
  ['memory after start, PSS', pm('drill', (r) => r.mem_after_ready.pss_mb), ours.pss_start_mib, 'MiB', 'lower'],
  ['memory after start, RSS', pm('drill', (r) => r.mem_after_ready.rss_mb), ours.rss_start_mib, 'MiB', 'lower'],
  ['memory after drills, PSS (page: 3 cycles; citygrid: 1,000 drills)', pm('drill', (r) => r.mem_after_drill.pss_mb), ours.pss_drills_mib, 'MiB', 'lower'],
  ['memory after drills, RSS', pm('drill', (r) => r.mem_after_drill.rss_mb), ours.rss_drills_mib, 'MiB', 'lower'],
  ['memory, all buildings shown, PSS after start', pm('all', (r) => r.mem_after_ready.pss_mb), null, 'MiB', 'lower'],
  ['pan/zoom at the district, fps', pm('drill', (r) => r.fps_roam.fps), ours.fps_district, 'fps', 'higher'],
  ['  frame p95', pm('drill', (r) => r.fps_roam.p95_ms), ours.fps_district_p95_ms, 'ms', 'lower'],
  ['pan/zoom with all buildings shown, fps', pm('all', (r) => r.fps_roam.fps), ours.fps_all, 'fps', 'higher'],
  ['CPU at rest, 10 s (citygrid: ambient motion off)', pm('drill', (r) => r.idle_cpu_pct_of_one_core), ours.rest_cpu_ambient_off_pct, '% of a core', 'lower'],
  ['CPU at rest, 10 s (citygrid: ambient motion on)', null, ours.rest_cpu_ambient_on_pct, '% of a core', 'lower'],
  ['bare window of citygrid\'s renderer, nothing drawn: PSS', null, ours.floor_pss_mib, 'MiB', 'lower'],
  ['  its frame, drawn continuously', null, ours.floor_frame_ms, 'ms', 'lower'],
];
const fmt = (x) => (x == null ? '—' : (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en') : (+x).toFixed(1)));
const env = peer.env || {};
console.log(`Machine: ${env.cpu || os.cpus()[0]?.model} × ${env.cores || os.cpus().length} cores, ${env.mem_gb || Math.round(os.totalmem() / 2 ** 30)} GiB; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
console.log(`Web page: ${env.chromium || 'Chromium'}, ECharts ${env.echarts || '?'}, headless, software raster (--disable-gpu), ${peer.config?.runs} runs per mode, medians`);
console.log(`citygrid: ${ours.citygrid}, ${ours.renderer}, ${ours.size}, ${ours.runs} runs per figure, medians (frame rates MSAA off; at rest the exhibit's defaults)`);
console.log(`Data: the page's own ${peer.n.toLocaleString('en')}-building district (gen_data.mjs), imported with citygrid import`);
console.log('');
console.log('| figure | web page | citygrid | unit | citygrid ÷ page |');
console.log('|---|---|---|---|---|');
for (const [name, p, c, unit, better] of rows) {
  let ratio = '';
  if (p != null && c != null && p > 0) {
    const r = c / p;
    const good = better === 'lower' ? r <= 1 : r >= 1;
    ratio = `${r.toFixed(2)}${good ? '' : ' (worse)'}`;
  }
  console.log(`| ${name} | ${fmt(p)} | ${fmt(c)} | ${unit} | ${ratio} |`);
}
