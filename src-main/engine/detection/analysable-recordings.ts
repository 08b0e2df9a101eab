import { listRecordings, type RecordingRecord } from '../store/recordings';
import type { DetectionProject } from './detect-types';

/** Recordings detection works on: scanned without error and present. */
export function analysableRecordings(project: Pick<DetectionProject, 'db'>): RecordingRecord[] {
  return listRecordings(project.db).filter((r) => r.status === 'ok' && !r.missing);
}
