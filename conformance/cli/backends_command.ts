/**
 * `qconform backends`: every built-in backend, whether it can run here (cheap checks: a package lookup,
 * a file test; nothing is started), and what it is. `--claims` also starts each available one and
 * prints the claims it reports (torch and the native adapters report theirs in their handshake, which
 * takes seconds).
 */
import type { Capabilities } from '../backends/backend.js';
import { BUILTIN_BACKENDS } from '../backends/registry.js';
import { CPU_MODELS, cpuAvailability } from '../backends/cpu/cpu_models.js';

function claims(c: Capabilities): string {
  const ops = c.ops.length ? `${c.ops.length} ops` : 'no ops';
  return [ops, `schemes: ${c.schemes?.join(', ') ?? 'all'}`, `dtypes: ${c.dtypes?.join(', ') ?? 'all'}`, c.accumulator ? `accumulator: ${c.accumulator}` : null]
    .filter(Boolean)
    .join('; ');
}

export async function backendsCommand(options: { claims?: boolean } = {}, log: (s: string) => void = console.log): Promise<number> {
  for (const b of BUILTIN_BACKENDS) {
    const a = b.availability();
    if (!a.available) {
      log(`${b.name.padEnd(14)} unavailable: ${a.reason}\n${' '.repeat(15)}install: ${a.install}\n${' '.repeat(15)}${b.summary}`);
      continue;
    }
    if (!options.claims) {
      log(`${b.name.padEnd(14)} available\n${' '.repeat(15)}${b.summary}`);
      continue;
    }
    try {
      const backend = await b.create();
      log(`${b.name.padEnd(14)} available: ${backend.name} ${backend.version}\n${' '.repeat(15)}${b.summary}\n${' '.repeat(15)}claims ${claims(backend.capabilities)}\n${' '.repeat(15)}--cpu ${(b.cpus ?? ['host']).join(', ')}`);
      await backend.close?.();
    } catch (e) {
      log(`${b.name.padEnd(14)} installed but failed to start: ${(e as Error).message}`);
    }
  }
  log('\nCPU models (--cpu), each with the built-ins that run on it:');
  for (const m of CPU_MODELS) {
    const a = cpuAvailability(m);
    const on = BUILTIN_BACKENDS.filter((b) => (b.cpus ?? ['host']).includes(m.name)).map((b) => b.name);
    const how = m.qemu ? `${m.qemu.binary} -cpu ${m.qemu.cpu}` : 'native';
    log(`${m.name.padEnd(14)} ${a.available ? 'available' : `unavailable: ${a.reason}; install: ${a.install}`} (${how}; ${m.features})\n${' '.repeat(15)}${on.join(', ')}`);
  }
  if (!options.claims) log('\n`qconform backends --claims` starts each available backend and lists what it claims.');
  log('\nAny other backend: --backend <module.ts|module.js> (exports a Backend) or --backend "<command>" (speaks docs/protocol.md).');
  return 0;
}
