import base from './vite.config.ts';
const why = {
  name: 'why',
  generateBundle(this: any) {
    const target = process.env.WHY!;
    const ids = [...this.getModuleIds()];
    const start = ids.filter((i: string) => i.includes(target));
    // BFS back to the entry
    const seen = new Map<string, string | null>();
    const q: string[] = [];
    for (const s of start.slice(0, 1)) { seen.set(s, null); q.push(s); }
    while (q.length) {
      const id = q.shift()!;
      const info = this.getModuleInfo(id);
      if (info.isEntry) { let c: string | null = id; const chain = []; while (c) { chain.push(c.replace(/^.*\/bundle\//, '')); c = seen.get(c)!; } console.log('WHY', chain.join('\n   <- imported by? no: -> ')); return; }
      for (const imp of [...info.importers, ...info.dynamicImporters]) if (!seen.has(imp)) { seen.set(imp, id); q.push(imp); }
    }
    console.log('WHY none', start.length);
  },
};
export default { ...base, plugins: [...base.plugins, why] };
