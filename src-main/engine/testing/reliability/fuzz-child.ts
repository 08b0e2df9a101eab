/**
 * Child process of the fuzz runs (not a test itself): scans a folder into a
 * project and runs detection on it, reporting every step as a JSON line so
 * the parent (child-monitor.ts) can tell which file a hang or a memory
 * blow-up happened on.
 *
 * Usage: node --import tsx fuzz-child.ts <projectDir> <audioDir>
 * Lines: {"step":"scan","file"} before each file; {"step":"detect","phase","file"}
 * per detection progress; {"step":"done","scan":[…],"detect":{…}} or {"step":"error","error"}.
 */
import { toErrorInfo } from '../../../../src-shared/errors';
import { openProject } from '../../project/open-project';
import { scanProject } from '../../project/scan-project';
import { detectProject } from '../../detection/detect-project';

const report = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main(): Promise<void> {
  const [projectDir, audioDir] = process.argv.slice(2);
  if (!projectDir || !audioDir) throw new Error('usage: fuzz-child.ts <projectDir> <audioDir>');
  const project = await openProject(projectDir, { audioRoot: audioDir });
  try {
    const scan = await scanProject(project, { onFileStart: (file) => report({ step: 'scan', file }) });
    report({ step: 'scanned', ok: scan.totals.ok, errors: scan.totals.errors });
    const detect = await detectProject(project, {
      backend: 'wasm',
      onProgress: (p) => report({ step: 'detect', phase: p.phase, file: p.recording ?? null, done: p.done, total: p.total }),
    });
    report({
      step: 'done',
      scan: scan.recordings.map((r) => ({ path: r.path, status: r.status, error: r.error ?? null, durationSeconds: r.durationSeconds, sampleRate: r.sampleRate, channels: r.channels })),
      detect: {
        recordings: detect.recordings.map((r) => ({ path: r.path, regions: r.regions.length, durationSeconds: r.durationSeconds })),
        failures: detect.failures.map((f) => ({ path: f.path, error: f.error })),
      },
    });
  } catch (error) {
    report({ step: 'error', error: toErrorInfo(error) });
  } finally {
    project.close();
  }
}

await main();
