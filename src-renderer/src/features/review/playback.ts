/**
 * Playback of a long recording through a plain media element fed with pages
 * of at most a few minutes from the audio route, so the renderer never holds
 * or decodes the whole file. The controller keeps the absolute position
 * (page start + element time), moves to the next page at a page's end, and
 * loops a span at any speed from 0.25× to 2×.
 */

/** Seconds of audio per page (the route allows up to 600). */
export const PAGE_SECONDS = 300;
/** Audio kept before the play position in a page, so small backward seeks need no new page. */
export const PAGE_LEAD_SECONDS = 5;
export const PLAYBACK_RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2] as const;

export interface Span {
  start: number;
  end: number;
}

/**
 * The page to load for playing from `seconds` (and looping `loop`, if the
 * loop fits in one page): it starts a little before and lasts up to
 * PAGE_SECONDS, clipped to the recording.
 */
export function audioPageFor(seconds: number, durationSeconds: number, loop: Span | null = null): Span {
  if (loop && loop.end - loop.start <= PAGE_SECONDS - PAGE_LEAD_SECONDS && seconds >= loop.start && seconds <= loop.end) {
    const start = Math.max(0, loop.start - PAGE_LEAD_SECONDS);
    return { start, end: Math.min(durationSeconds, start + PAGE_SECONDS) };
  }
  const start = Math.max(0, Math.min(seconds, durationSeconds) - PAGE_LEAD_SECONDS);
  return { start, end: Math.min(durationSeconds, start + PAGE_SECONDS) };
}

/** The next playback rate in PLAYBACK_RATES, `direction` steps away (clamped). */
export function stepRate(rate: number, direction: 1 | -1): number {
  let index = PLAYBACK_RATES.findIndex((r) => r >= rate - 1e-9);
  if (index < 0) index = PLAYBACK_RATES.length - 1;
  // Between two steps: the step above (faster) or the one below (slower).
  if (Math.abs(PLAYBACK_RATES[index] - rate) > 1e-9) return direction > 0 ? PLAYBACK_RATES[index] : PLAYBACK_RATES[Math.max(0, index - 1)];
  return PLAYBACK_RATES[Math.min(PLAYBACK_RATES.length - 1, Math.max(0, index + direction))];
}

export interface PlaybackCallbacks {
  onTime: (seconds: number) => void;
  onPlayingChange: (playing: boolean) => void;
  onError: (message: string) => void;
}

/** Drives one media element; see the file comment. */
export class PagedPlayer {
  private page: Span | null = null;
  private loop: Span | null = null;
  /** Where playing a span once stops (null: play on). */
  private stopAt: number | null = null;
  private playing = false;
  private frame = 0;
  private rate = 1;
  private preservePitch = true;
  private readonly unlisten: Array<() => void> = [];

  constructor(
    private readonly media: HTMLMediaElement,
    private readonly durationSeconds: number,
    private readonly urlFor: (page: Span) => string,
    private readonly callbacks: PlaybackCallbacks,
  ) {
    const on = (name: string, fn: () => void) => {
      media.addEventListener(name, fn);
      this.unlisten.push(() => media.removeEventListener(name, fn));
    };
    on('ended', () => void this.onPageEnded());
    on('error', () => {
      if (!this.page) return;
      this.stopLoop();
      this.callbacks.onError('The audio for this part of the recording could not be played. Is the file still where it was?');
    });
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  /** The absolute position in seconds, or null when no page is loaded. */
  get position(): number | null {
    return this.page ? this.page.start + this.media.currentTime : null;
  }

  setLoop(loop: Span | null): void {
    this.loop = loop && loop.end > loop.start ? loop : null;
  }

  /** Plays `span` once and stops at its end (no loop). */
  async playSpan(span: Span): Promise<void> {
    this.loop = null;
    await this.play(span.start, span.end);
  }

  setRate(rate: number, preservePitch: boolean): void {
    this.rate = rate;
    this.preservePitch = preservePitch;
    this.applyRate();
  }

  /** Starts playing at `seconds` (loading another page when needed), stopping at `stopAt` when given. */
  async play(seconds: number, stopAt: number | null = null): Promise<void> {
    this.stopAt = stopAt;
    try {
      await this.seekInternal(seconds);
      this.applyRate();
      await this.media.play();
      this.playing = true;
      this.callbacks.onPlayingChange(true);
      this.tick();
    } catch (e) {
      this.stopLoop();
      if ((e as Error).name === 'AbortError') return; // superseded by a newer play/seek
      this.callbacks.onError(`Playback failed: ${(e as Error).message}`);
    }
  }

  pause(): void {
    this.media.pause();
    this.stopLoop();
  }

  /** Loads the audio again from the route (e.g. after the listening gain changed), going on where it was. */
  reload(): void {
    const position = this.position;
    const wasPlaying = this.playing;
    this.page = null;
    if (wasPlaying && position !== null) void this.play(position);
  }

  destroy(): void {
    this.pause();
    for (const off of this.unlisten) off();
    this.media.removeAttribute('src');
    this.media.load();
  }

  private applyRate(): void {
    this.media.playbackRate = this.rate;
    (this.media as HTMLMediaElement & { preservesPitch?: boolean }).preservesPitch = this.preservePitch;
  }

  private async seekInternal(seconds: number): Promise<void> {
    const target = Math.max(0, Math.min(this.durationSeconds, seconds));
    const page = this.page;
    const inPage = page && target >= page.start && target < page.end - 0.05;
    if (!inPage) {
      const next = audioPageFor(target, this.durationSeconds, this.loop);
      this.page = next;
      this.media.src = this.urlFor(next);
      await waitForMetadata(this.media);
    }
    this.media.currentTime = target - (this.page as Span).start;
  }

  private stopLoop(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.playing) {
      this.playing = false;
      this.callbacks.onPlayingChange(false);
    }
  }

  private tick = (): void => {
    if (!this.playing) return;
    const position = this.position;
    if (position !== null) {
      if (this.loop && position >= this.loop.end) {
        void this.play(this.loop.start);
        return;
      }
      if (this.stopAt !== null && position >= this.stopAt) {
        const end = this.stopAt;
        this.pause();
        this.callbacks.onTime(end);
        return;
      }
      this.callbacks.onTime(position);
    }
    this.frame = requestAnimationFrame(this.tick);
  };

  private async onPageEnded(): Promise<void> {
    const page = this.page;
    if (!page || !this.playing) return;
    if (this.loop && page.end >= this.loop.end - 0.01) return void this.play(this.loop.start);
    if (page.end >= this.durationSeconds - 0.01) {
      this.stopLoop();
      this.callbacks.onTime(this.durationSeconds);
      return;
    }
    await this.play(page.end, this.stopAt);
  }
}

function waitForMetadata(media: HTMLMediaElement): Promise<void> {
  if (media.readyState >= 1) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      media.removeEventListener('loadedmetadata', done);
      media.removeEventListener('error', fail);
      resolve();
    };
    const fail = () => {
      media.removeEventListener('loadedmetadata', done);
      media.removeEventListener('error', fail);
      reject(new Error('the audio page could not be loaded'));
    };
    media.addEventListener('loadedmetadata', done);
    media.addEventListener('error', fail);
  });
}
