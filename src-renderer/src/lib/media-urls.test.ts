import { describe, expect, it } from 'vitest';
import { audioUrl, formatRouteSeconds, tileUrl } from './media-urls';

describe('media URLs', () => {
  it('builds tile URLs with or without a token query', () => {
    expect(tileUrl('sonotype://media', '', 3, 2, 15)).toBe('sonotype://media/tiles/3/2/15');
    expect(tileUrl('http://127.0.0.1:5/media', '?token=ab', 3, 0, 0)).toBe('http://127.0.0.1:5/media/tiles/3/0/0?token=ab');
  });

  it('joins the token to the audio query with &', () => {
    expect(audioUrl('http://h/media', '?token=ab', 7, 60, 120.5)).toBe('http://h/media/audio/7?start=60&end=120.5&token=ab');
    expect(audioUrl('sonotype://media', '', 7, 0, 1e-7)).toBe('sonotype://media/audio/7?start=0&end=0');
  });

  it('never writes exponents or negative seconds (the route refuses them)', () => {
    expect(formatRouteSeconds(1e-7)).toBe('0');
    expect(formatRouteSeconds(-3)).toBe('0');
    expect(formatRouteSeconds(1234567.1234567)).toBe('1234567.123457');
    expect(formatRouteSeconds(2.5e6)).toBe('2500000');
    expect(/^\d{1,9}(\.\d{1,9})?$/.test(formatRouteSeconds(0.000123))).toBe(true);
  });
});
