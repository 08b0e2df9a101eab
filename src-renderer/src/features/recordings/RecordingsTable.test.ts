import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import RecordingsTable from './RecordingsTable.svelte';
import type { RecordingSummary } from '../../../../src-shared/audio-types';

const row = (over: Partial<RecordingSummary>): RecordingSummary => ({
  id: 1, path: 'a.wav', sizeBytes: 10, hash: null, status: 'ok', sampleRate: 48000, channels: 1, durationSeconds: 61.5, codec: 'pcm_s16le', missing: false,
  ...over,
});

describe('RecordingsTable', () => {
  it('shows each recording with duration and rate, and errors in plain words', () => {
    render(RecordingsTable, {
      items: [row({}), row({ id: 2, path: 'broken.wav', status: 'error', error: { code: 'EMPTY_FILE', message: 'File is empty (0 bytes).' }, sampleRate: null, durationSeconds: null })],
    });
    expect(screen.getByText('a.wav')).toBeTruthy();
    expect(screen.getByText('1:01.5')).toBeTruthy();
    expect(screen.getByText('48000')).toBeTruthy();
    expect(screen.getByText('File is empty (0 bytes).')).toBeTruthy();
  });
});
