/**
 * Playback for the review view: connects the store (cursor, speed, loop) to
 * a PagedPlayer on the page's <audio> element, and keeps the playhead on
 * screen while playing.
 */
import { audioUrl } from '../../lib/media-urls';
import { PagedPlayer, type Span } from './playback';
import type { ReviewStore } from './review-store.svelte';
import { viewportEnd } from './viewport';

export class ReviewPlayback {
  private readonly player: PagedPlayer;

  /** `listening()` gives the audio route's gain / DC parameters (display/listening), read for every page. */
  constructor(private readonly store: ReviewStore, audio: HTMLAudioElement, listening: () => string = () => '') {
    const review = store.review;
    if (!review) throw new Error('ReviewPlayback needs an opened recording');
    const pageUrl = (page: Span) => audioUrl(review.mediaBase, review.mediaQuery, store.recordingId, page.start, page.end, listening());
    this.player = new PagedPlayer(audio, review.durationSeconds, pageUrl, {
      onTime: (seconds) => this.follow(seconds),
      onPlayingChange: (playing) => (store.playing = playing),
      onError: (message) => store.showError(new Error(message)),
    });
  }

  /** Applies the store's speed and pitch setting. */
  applyRate(): void {
    this.player.setRate(this.store.playbackRate, this.store.preservePitch);
  }

  /** The span looping acts on: the single selected label, else the current region. */
  activeSpan(): Span | null {
    const s = this.store;
    const item = (s.selectedLabels.length === 1 ? s.selectedLabels[0] : null) ?? s.currentRegion;
    return item ? { start: item.startSeconds, end: item.endSeconds } : null;
  }

  /** Pauses, or plays from the cursor (from the loop's start when the cursor is outside the loop). */
  playPause(): void {
    const s = this.store;
    if (this.player.isPlaying) return this.player.pause();
    const loop = s.looping ? this.activeSpan() : null;
    this.player.setLoop(loop);
    let from = loop && (s.cursorSeconds < loop.start || s.cursorSeconds >= loop.end) ? loop.start : s.cursorSeconds;
    if (from >= s.durationSeconds - 0.01) from = 0;
    void this.player.play(from);
  }

  /** Fetches the audio again with the current listening parameters (gain, DC). */
  reloadAudio(): void {
    this.player.reload();
  }

  /** Plays the selected label (or the current region) once, from its start to its end. */
  playSelectionOnce(): void {
    const span = this.activeSpan();
    if (!span) return this.store.showInfo('Select a label or a region to play it.');
    void this.player.playSpan(span);
  }

  toggleLoop(): void {
    const s = this.store;
    const span = this.activeSpan();
    if (!s.looping && !span) return s.showInfo('Select a label or a region to loop.');
    s.looping = !s.looping;
    this.player.setLoop(s.looping ? span : null);
  }

  destroy(): void {
    this.player.destroy();
  }

  private follow(seconds: number): void {
    const s = this.store;
    s.cursorSeconds = seconds;
    const vp = s.viewport;
    // Page along with the playhead, keeping a little context on the left.
    if (seconds > viewportEnd(vp) || seconds < vp.startSeconds) s.setViewport({ ...vp, startSeconds: seconds - 0.1 * vp.widthPx * vp.secondsPerPixel });
  }
}
