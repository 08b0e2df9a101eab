/**
 * Listening to regions from the map and gallery: one region, or a cluster's
 * regions one after another ("play all"), through one <audio> element and the
 * audio route (only the region's samples are fetched).
 */
import type { ClusterMemberView } from '../../../../src-shared/cluster-types';
import { audioUrl } from '../../lib/media-urls';

export class MemberPlayer {
  private queue: ClusterMemberView[] = [];
  private readonly onEnded = () => this.next();

  constructor(
    private readonly audio: HTMLAudioElement,
    private readonly media: () => { base: string; query: string } | null,
    private readonly onPlaying: (member: ClusterMemberView | null) => void,
  ) {
    audio.addEventListener('ended', this.onEnded);
  }

  /** Plays one region (stopping whatever played). */
  play(member: ClusterMemberView): void {
    this.playAll([member]);
  }

  /** Plays regions in order. */
  playAll(members: readonly ClusterMemberView[]): void {
    this.queue = [...members];
    this.next();
  }

  stop(): void {
    this.queue = [];
    this.audio.pause();
    this.onPlaying(null);
  }

  destroy(): void {
    this.stop();
    this.audio.removeEventListener('ended', this.onEnded);
  }

  private next(): void {
    const member = this.queue.shift();
    const media = this.media();
    if (!member || !media) {
      this.onPlaying(null);
      return;
    }
    this.audio.src = audioUrl(media.base, media.query, member.recordingId, member.startSample / member.sampleRate, member.endSample / member.sampleRate);
    this.onPlaying(member);
    // Autoplay can be refused (no user gesture yet); the next click plays.
    this.audio.play().catch(() => this.onPlaying(null));
  }
}
