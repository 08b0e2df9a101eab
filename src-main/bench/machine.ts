import { cpus, totalmem, platform, arch } from 'node:os';

/** Identifies the machine a figure was measured on, so figures are compared like with like. */
export function describeMachine() {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${platform()}-${arch()}`,
    node: process.version,
  };
}
