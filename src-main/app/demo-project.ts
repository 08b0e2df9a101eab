/**
 * The demo project: redistributable recordings bundled in resources/demo
 * (see its ATTRIBUTION.md), analysed in a writable project folder in the
 * app's config folder — the bundled audio is only ever read.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SonotypeError } from '../../src-shared/errors';
import { openProject, type Project } from '../engine/project/open-project';
import { scanProject } from '../engine/project/scan-project';
import { listRecordings } from '../engine/store/recordings';
import { configDir, resourcesDir } from './app-paths';

export async function openDemoProject(): Promise<Project> {
  const audioRoot = join(resourcesDir(), 'demo');
  if (!existsSync(audioRoot)) throw new SonotypeError('NOT_FOUND', `The demo recordings are missing (${audioRoot}).`);
  const project = await openProject(join(configDir(), 'demo-project'), { audioRoot });
  try {
    if (listRecordings(project.db).length === 0) await scanProject(project);
    return project;
  } catch (error) {
    project.close();
    throw error;
  }
}
