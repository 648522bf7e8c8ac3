/**
 * `npx tsx bench/profile-top.ts <file.cpuprofile> [top]`: what a V8 CPU profile (node --cpu-prof)
 * spent its samples on — self time by place (our source file, an npm package, Node's internals,
 * garbage collection) and the functions with the most self time, and the most inclusive time among
 * our own source (src/). The profiling recipe is in docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: `src/<file>`, `<package>`, `node:<module>` or a V8 bucket. */
function placeOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/(src|bench|test)\/(.+)$/.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/profile-top.ts <file.cpuprofile> [top]');
  const top = Number(topArg ?? 25);
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const places = new Map<string, number>();
  const fns = new Map<string, number>();
  const inclusiveSrc = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const f = n.callFrame;
    const place = placeOf(f.url, f.functionName);
    places.set(place, (places.get(place) ?? 0) + us);
    const key = `${f.functionName || '(anonymous)'}  ${place}:${f.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    // Inclusive time of our own functions: each src/ frame on the stack once per sample.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)!.callFrame;
      const pl = placeOf(cf.url, cf.functionName);
      if (!pl.startsWith('src/')) continue;
      const k = `${cf.functionName || '(anonymous)'}  ${pl}:${cf.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusiveSrc.set(k, (inclusiveSrc.get(k) ?? 0) + us);
    }
  }
  const idle = [...places].filter(([k]) => k === '(idle)').reduce((s, [, v]) => s + v, 0);
  const busy = total - idle;
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const print = (title: string, m: Map<string, number>, n: number) => {
    console.log(`\n${title}`);
    for (const [k, v] of [...m]
      .filter(([k]) => !k.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n))
      console.log(`${pct(v)}  ${k}`);
  };
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages of busy time)`);
  print('self time by place', places, top);
  print('self time by function', fns, top);
  print('inclusive time, our own functions (src/)', inclusiveSrc, top);
}

main();
