import pkg from '@alexanderolsen/libsamplerate-js';
import { createResampler } from './resample';
const { create, ConverterType } = pkg as any;
const n = 96000 * 60;
const x = new Float32Array(n); for (let i = 0; i < n; i++) x[i] = 0.5 * Math.sin(2 * Math.PI * 1000 * i / 96000);
const block = 65536;
async function main() {
  for (const [name, t] of [['libsamplerate FASTEST', ConverterType.SRC_SINC_FASTEST], ['libsamplerate MEDIUM', ConverterType.SRC_SINC_MEDIUM_QUALITY]] as const) {
    const src = await create(1, 96000, 48000, { converterType: t });
    const c0 = process.cpuUsage(); const t0 = performance.now();
    for (let o = 0; o < n; o += block) src.full(x.subarray(o, Math.min(n, o + block)));
    const cu = process.cpuUsage(c0); const cpu = (cu.user + cu.system) / 1e6;
    console.log(name, 'per 10 min: wall', ((performance.now() - t0) / 100).toFixed(2), 's, cpu', (cpu * 10).toFixed(2), 's');
    src.destroy();
  }
  for (const kernel of ['auto', 'js'] as const) {
    const r = createResampler(96000, 48000, { kernel });
    const c0 = process.cpuUsage(); const t0 = performance.now();
    for (let o = 0; o < n; o += block) r.process(x.subarray(o, Math.min(n, o + block)));
    r.flush();
    const cu = process.cpuUsage(c0); const cpu = (cu.user + cu.system) / 1e6;
    console.log('sonotype', kernel, 'per 10 min: wall', ((performance.now() - t0) / 100).toFixed(2), 's, cpu', (cpu * 10).toFixed(2), 's');
  }
}
main();
