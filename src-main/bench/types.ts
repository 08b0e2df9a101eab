/** One line of `npm run bench` output. Field names are stable: CI dashboards parse them. */
export interface BenchLine {
  name: string;
  value: number;
  unit: string;
  better: 'higher' | 'lower';
  /** The goal from the issue, when there is one. */
  target?: number;
  /** Free-form details (sizes, baselines) that help read the figure. */
  detail?: Record<string, unknown>;
}

export interface BenchContext {
  /** A scratch folder removed after the run. */
  tmpDir: string;
  /** Progress notes go to stderr so stdout stays pure JSON lines. */
  log(message: string): void;
  /** Whether a line name passes the command line's filters (suites with costly parts skip unwanted ones). */
  wanted?: (name: string) => boolean;
}

/**
 * A group of related measurements. `names` lists the line names it can emit so
 * the name filter can skip whole groups without running them.
 */
export interface BenchSuite {
  names: string[];
  run(ctx: BenchContext, emit: (line: BenchLine) => void): Promise<void>;
}
