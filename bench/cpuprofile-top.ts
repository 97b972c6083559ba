/**
 * Prints the functions with the most self time in a V8 .cpuprofile (node --cpu-prof), grouped by
 * function and file, and the share of time per area (our runtime / sink / sources, the test server,
 * node internals, dependencies). Usage: tsx bench/cpuprofile-top.ts <file.cpuprofile> [top=30]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const file = process.argv[2];
if (!file) throw new Error('usage: cpuprofile-top.ts <file.cpuprofile> [top]');
const top = Number(process.argv[3] ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

function area(url: string, name: string): string {
  if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') return name;
  if (url.includes('/src/runtime/')) return 'src/runtime';
  if (url.includes('/src/sink/')) return 'src/sink';
  if (url.includes('/src/sources/')) return 'src/sources';
  if (url.includes('/test/support/')) return 'test/support';
  if (url.includes('/node_modules/')) return `node_modules/${url.split('/node_modules/').pop()!.split('/')[0]}`;
  if (url.startsWith('node:') || url === '') return 'node internals';
  return 'other';
}

const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^.*\/(src|test|node_modules)\//, '$1/');
  const key = `${functionName || '(anonymous)'}  ${short}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const a = area(url, functionName);
  byArea.set(a, (byArea.get(a) ?? 0) + us);
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const busy = total - (byArea.get('(idle)') ?? 0);
const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s not idle`);
console.log('By area (share of non-idle time):');
for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1])) {
  if (a !== '(idle)') console.log(`  ${pct(us)}  ${(us / 1e6).toFixed(2).padStart(6)} s  ${a}`);
}
console.log(`Top ${top} functions by self time:`);
for (const [key, us] of [...byFunction].sort((x, y) => y[1] - x[1]).slice(0, top)) {
  if (!key.startsWith('(idle)')) console.log(`  ${pct(us)}  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${key}`);
}

// Which of our functions (src/, test/support/) caused the time: each sample is charged to the nearest
// caller in our code, so writev under HttpClient.request counts as the sink's.
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const ours = (url: string) => url.includes('/src/') || url.includes('/test/support/');
const byCaller = new Map<string, number>();
for (const [id, us] of selfUs) {
  let at: number | undefined = id;
  let key = '(no caller in our code)';
  while (at !== undefined) {
    const frame = byId.get(at)!.callFrame;
    if (ours(frame.url)) {
      key = `${frame.functionName || '(anonymous)'}  ${frame.url.replace(/^.*\/(src|test)\//, '$1/')}:${frame.lineNumber + 1}`;
      break;
    }
    at = parentOf.get(at);
  }
  if (key === '(no caller in our code)') {
    // Charge it to the nearest library instead (pg, undici, ...), else to the root frame.
    for (let up: number | undefined = id; up !== undefined; up = parentOf.get(up)) {
      const url = byId.get(up)!.callFrame.url;
      if (url.includes('/node_modules/')) {
        key = `(in ${url.split('/node_modules/').pop()!.split('/')[0]})`;
        break;
      }
      if (url.includes('internal/deps/undici')) {
        key = '(in undici, fetch)';
        break;
      }
    }
  }
  const name = byId.get(id)!.callFrame.functionName;
  if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') key = name;
  byCaller.set(key, (byCaller.get(key) ?? 0) + us);
}
console.log(`Top ${top} of our functions by time spent in them and below (up to the next one of ours):`);
for (const [key, us] of [...byCaller].sort((x, y) => y[1] - x[1]).slice(0, top)) {
  if (key !== '(idle)') console.log(`  ${pct(us)}  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${key}`);
}
