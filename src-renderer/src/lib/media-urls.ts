/**
 * URLs of the media routes (tiles and audio pages) served by main, built from
 * the `mediaBase` and `mediaQuery` that `review:open` returns.
 */

/** The query (browser-mode token) without its leading '?' or '&'; '' when there is none. */
function bareQuery(mediaQuery: string): string {
  return mediaQuery.replace(/^[?&]+/, '');
}

/** Query parts joined with '&', empty ones left out. */
function joinQuery(...parts: string[]): string {
  return parts.map(bareQuery).filter(Boolean).join('&');
}

/** `${mediaBase}/tiles/<id>/<level>/<index>` plus the media query and the display settings' query (display-types.ts). */
export function tileUrl(mediaBase: string, mediaQuery: string, recordingId: number, level: number, index: number, displayQuery = ''): string {
  const q = joinQuery(mediaQuery, displayQuery);
  return `${mediaBase}/tiles/${recordingId}/${level}/${index}${q ? `?${q}` : ''}`;
}

/**
 * Seconds as the audio route accepts them: plain decimals (never exponent
 * notation), at most 6 decimals, never negative.
 */
export function formatRouteSeconds(seconds: number): string {
  const s = Math.max(0, seconds);
  return s.toFixed(6).replace(/\.?0+$/, '') || '0';
}

/** `${mediaBase}/audio/<id>?start=<s>&end=<s>` plus the media query and listening parameters (gain, dc) joined with '&'. */
export function audioUrl(mediaBase: string, mediaQuery: string, recordingId: number, startSeconds: number, endSeconds: number, listeningQuery = ''): string {
  const q = joinQuery(mediaQuery, listeningQuery);
  return `${mediaBase}/audio/${recordingId}?start=${formatRouteSeconds(startSeconds)}&end=${formatRouteSeconds(endSeconds)}${q ? `&${q}` : ''}`;
}
