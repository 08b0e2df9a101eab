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

  it('adds the display settings to tile URLs and the listening parameters to audio URLs', () => {
    expect(tileUrl('/media', '?token=ab', 3, 1, 2, 'fft=1024&window=blackman&overlap=75')).toBe('/media/tiles/3/1/2?token=ab&fft=1024&window=blackman&overlap=75');
    expect(tileUrl('sonotype://media', '', 3, 1, 2, 'fft=512&window=hann&overlap=50')).toBe('sonotype://media/tiles/3/1/2?fft=512&window=hann&overlap=50');
    expect(audioUrl('/media', '?token=ab', 7, 0, 1, 'dc=remove&gain=40')).toBe('/media/audio/7?start=0&end=1&token=ab&dc=remove&gain=40');
    expect(audioUrl('/media', '', 7, 0, 1, '')).toBe('/media/audio/7?start=0&end=1');
  });

  it('never writes exponents or negative seconds (the route refuses them)', () => {
    expect(formatRouteSeconds(1e-7)).toBe('0');
    expect(formatRouteSeconds(-3)).toBe('0');
    expect(formatRouteSeconds(1234567.1234567)).toBe('1234567.123457');
    expect(formatRouteSeconds(2.5e6)).toBe('2500000');
    expect(/^\d{1,9}(\.\d{1,9})?$/.test(formatRouteSeconds(0.000123))).toBe(true);
  });
});
