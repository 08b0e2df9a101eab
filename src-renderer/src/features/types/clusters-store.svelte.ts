/**
 * The sound-types view's state: the current clustering (reloaded on
 * 'clusters:changed'), the selection shared by map and gallery (and, through
 * linkedSelection, the review view), the focused cluster, the colouring, and
 * every action — running the clustering and the type head as jobs, edits
 * (each one undo step), a new cut, undo/redo.
 */
import type { ClusterRequestInput, ClusteringView, ClusterMemberView, ClusterView, TypeHeadReport } from '../../../../src-shared/cluster-types';
import type { ApiEvents } from '../../../../src-shared/contract';
import type { Scope } from '../../../../src-shared/scope';
import { call, getApi } from '../../lib/api';
import { errorMessage } from '../../lib/format';
import { linkedSelection } from '../../lib/linked-selection.svelte';
import type { JobsStore } from '../jobs/jobs-store.svelte';
import type { ColorBy } from './map-geometry';

export type SortBy = 'size' | 'cohesion' | 'name';

export type CurrentClustering = ClusteringView & { mediaBase: string; mediaQuery: string };

export function createClustersStore(jobs: JobsStore) {
  // Raw: the view (2,000 members and more) is replaced whole on every load and never mutated; a deep
  // proxy made applying it and every derivation over its members cost tens of milliseconds per cut.
  let view = $state.raw<CurrentClustering | null>(null);
  let loaded = $state(false);
  let error = $state<string | null>(null);
  let notice = $state<string | null>(null);
  let busy = $state<string | null>(null);
  let selected = $state<number[]>([]);
  let focusedCluster = $state<number | null>(null);
  let colorBy = $state<ColorBy>('cluster');
  let sortBy = $state<SortBy>('size');
  let report = $state<TypeHeadReport | null>(null);

  const clustersSorted = $derived.by((): ClusterView[] => {
    const list = [...(view?.clusters ?? [])];
    if (sortBy === 'size') list.sort((a, b) => b.size - a.size || a.id - b.id);
    else if (sortBy === 'cohesion') list.sort((a, b) => (a.cohesion ?? Infinity) - (b.cohesion ?? Infinity) || b.size - a.size);
    else list.sort((a, b) => a.name.localeCompare(b.name));
    return list;
  });
  const membersByCluster = $derived.by(() => {
    const map = new Map<number, ClusterMemberView[]>();
    for (const m of view?.members ?? []) {
      if (m.clusterId === null) continue;
      const list = map.get(m.clusterId);
      if (list) list.push(m);
      else map.set(m.clusterId, [m]);
    }
    return map;
  });
  /** Named types in a stable order: what the number keys 1–9 assign. */
  const typeNames = $derived([...(view?.clusters ?? [])].filter((c) => c.named).map((c) => c.name).sort((a, b) => a.localeCompare(b)));

  // Loads are numbered: only the newest answer is applied, and an action
  // whose call already triggered a load ('clusters:changed' arrives before
  // the call's reply) waits for that one instead of fetching the view twice.
  let loadsStarted = 0;
  let latestLoad: Promise<void> = Promise.resolve();

  function load(): Promise<void> {
    const seq = ++loadsStarted;
    latestLoad = (async () => {
      try {
        // Both asked at once; the view is shown as soon as it comes (main answers the report after it).
        const typeReport = call('types:report');
        typeReport.catch(() => undefined); // its failure is reported below, once awaited
        const answer = await call('clusters:current');
        if (seq !== loadsStarted) return; // a newer load is on its way
        view = answer;
        loaded = true;
        error = null;
        const ids = new Set(answer?.members.map((m) => m.id) ?? []);
        selected = selected.filter((id) => ids.has(id));
        if (focusedCluster !== null && !answer?.clusters.some((c) => c.id === focusedCluster)) focusedCluster = null;
        const reported = await typeReport;
        if (seq === loadsStarted) report = reported;
      } catch (e) {
        if (seq === loadsStarted) error = errorMessage(e);
      }
    })();
    return latestLoad;
  }

  /**
   * Reloads after an action unless a load was already started since it
   * began: main handles calls in order, so that load sees the action's result.
   */
  function reloadAfter(startedBefore: number): Promise<void> {
    return loadsStarted > startedBefore ? latestLoad : load();
  }

  function onChanged(_: ApiEvents['clusters:changed']): void {
    void load();
  }

  /** Reloads on main's 'clusters:changed' for as long as `scope` (the view showing the store) lives. */
  function subscribe(scope: Scope): void {
    scope.add(getApi().on('clusters:changed', onChanged));
  }

  /** Runs an action, keeping its error readable; reloads the view afterwards. */
  async function act<T>(label: string, work: () => Promise<T>): Promise<T | undefined> {
    busy = label;
    error = null;
    notice = null;
    const before = loadsStarted;
    try {
      const result = await work();
      await reloadAfter(before);
      return result;
    } catch (e) {
      error = errorMessage(e);
      return undefined;
    } finally {
      busy = null;
    }
  }

  /** Starts a job and waits for it (progress shows in the jobs indicator). */
  async function runJob(label: string, start: () => Promise<number>): Promise<boolean> {
    const outcome = await act(label, async () => {
      const id = await start();
      const final = await jobs.whenFinished(id);
      if (final.state === 'failed') throw new Error(final.error?.message ?? `${label} failed.`);
      if (final.state === 'cancelled') throw new Error(`${label} was cancelled.`);
      return final;
    });
    return outcome !== undefined;
  }

  function setSelection(ids: readonly number[]): void {
    selected = [...new Set(ids)];
    const members = view?.members ?? [];
    const chosen = new Set(selected);
    linkedSelection.set(members.filter((m) => chosen.has(m.id)).map((m) => ({ memberId: m.id, recordingId: m.recordingId, startSample: m.startSample, endSample: m.endSample })));
  }

  return {
    get view() { return view; },
    get loaded() { return loaded; },
    get error() { return error; },
    get notice() { return notice; },
    get busy() { return busy; },
    get selected() { return selected; },
    get focusedCluster() { return focusedCluster; },
    set focusedCluster(id: number | null) { focusedCluster = id; },
    get colorBy() { return colorBy; },
    set colorBy(by: ColorBy) { colorBy = by; },
    get sortBy() { return sortBy; },
    set sortBy(by: SortBy) { sortBy = by; },
    get clustersSorted() { return clustersSorted; },
    get membersByCluster() { return membersByCluster; },
    get typeNames() { return typeNames; },
    get report() { return report; },
    load,
    subscribe,
    setSelection,
    cluster: (request: ClusterRequestInput) => runJob('Clustering', () => jobs.start('cluster', request)),
    trainTypeHead: () => runJob('Training the type head', () => jobs.start('type-head', {})),
    /** Retrains the silence head (noise marks become silence labels) and the type head, one after the other. */
    retrainHeads: async () => {
      const silence = await runJob('Retraining the silence head', () => jobs.start('retrain-head', {}));
      if (!silence) return false;
      return runJob('Training the type head', () => jobs.start('type-head', {}));
    },
    rename: (id: number, name: string) => act('Renaming', () => call('clusters:rename', id, name)),
    merge: (target: number, others: number[]) => act('Merging', () => call('clusters:merge', target, others)),
    split: (id: number, members: number[] | null) => act('Splitting', () => call('clusters:split', id, members)),
    move: (members: number[], target: number) => act('Moving', () => call('clusters:move', members, target)),
    assignType: (members: number[], type: string) => act('Assigning a type', () => call('clusters:assignType', members, type)),
    setNoise: (id: number, noise: boolean) => act(noise ? 'Marking noise' : 'Unmarking noise', () => call('clusters:setNoise', id, noise)),
    cut: (kind: 'count' | 'distance' | 'percentile', value: number) => act('Cutting', () => call('clusters:cut', { kind, value })),
    undo: () => act('Undoing', async () => {
      const state = await call('history:undo');
      notice = state.clusters || state.recordingId !== undefined ? 'Undid the last edit.' : 'Nothing to undo.';
    }),
    redo: () => act('Redoing', () => call('history:redo')),
    showNotice(text: string) { notice = text; },
    /** Selects the regions the type head is least sure about (the type review queue). */
    async selectUncertain(count = 20): Promise<void> {
      try {
        const queue = await call('types:uncertain', count);
        setSelection(queue.map((m) => m.id));
        notice = queue.length === 0
          ? 'The type head has no prediction to doubt: train it first (Retrain heads).'
          : `Selected the ${queue.length} regions the type head is least sure about (confidence ${Math.round(100 * queue[0].confidence!)}–${Math.round(100 * queue[queue.length - 1].confidence!)} %): give them a type (number keys) or move them.`;
      } catch (e) {
        error = errorMessage(e);
      }
    },
  };
}

export type ClustersStore = ReturnType<typeof createClustersStore>;
