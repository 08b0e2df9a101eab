import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearSetting, getAllSettings, getSetting, setSetting } from './settings';
import { createTempProject, type TempProject } from './test-helpers';

let project: TempProject;
beforeEach(() => {
  project = createTempProject();
});
afterEach(() => project.cleanup());

describe('project settings', () => {
  it('store typed values that survive a restart', () => {
    const { db } = project;
    expect(getSetting(db, 'analysisSampleRate')).toBeUndefined();
    expect(getAllSettings(db)).toEqual({});
    setSetting(db, 'analysisSampleRate', 48_000);
    setSetting(db, 'channel', 1);
    setSetting(db, 'audioRoot', '../recordings 2011/ünïcode');
    setSetting(db, 'channel', 0);
    const reopened = project.reopen();
    expect(getAllSettings(reopened)).toEqual({ analysisSampleRate: 48_000, channel: 0, audioRoot: '../recordings 2011/ünïcode' });
    clearSetting(reopened, 'channel');
    expect(getSetting(reopened, 'channel')).toBeUndefined();
  });

  it('reject invalid values with a readable message and ignore damaged stored ones', () => {
    const { db } = project;
    expect(() => setSetting(db, 'analysisSampleRate', 44_100.5)).toThrow(/whole number of Hz/);
    expect(() => setSetting(db, 'channel', -1)).toThrow(/channel number/);
    expect(() => setSetting(db, 'audioRoot', '')).toThrow(/non-empty folder path/);
    expect(() => setSetting(db, 'bogus' as 'channel', 1)).toThrow(/Unknown project setting/);
    db.sql.prepare(`INSERT INTO project_settings (key, value_json, updated_at) VALUES ('channel', '"left"', 0)`).run();
    expect(getSetting(db, 'channel')).toBeUndefined();
    db.sql.prepare(`INSERT INTO project_settings (key, value_json, updated_at) VALUES ('audioRoot', '{broken', 0)`).run();
    expect(() => getSetting(db, 'audioRoot')).toThrow(/unreadable data/);
  });
});
