/**
 * The project database schema as an ordered list of migrations. Never edit a
 * released migration: append a new one, so every existing project upgrades
 * along the same path a fresh one is built by.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  /** The user_version the database has after this migration (1, 2, …). */
  version: number;
  description: string;
  /** Applied inside a transaction together with the user_version bump. */
  up(sql: Database.Database): void;
}

/** 'Sono' in ASCII: marks the file as a Sonotype project in the SQLite header. */
export const SONOTYPE_APPLICATION_ID = 0x536f6e6f;

const v1ProjectRecordingsJobs: Migration = {
  version: 1,
  description: 'project settings, recordings, jobs',
  up(sql) {
    sql.pragma(`application_id = ${SONOTYPE_APPLICATION_ID}`);
    sql.exec(`
      CREATE TABLE project_settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- One row per audio file ever seen; never deleted (labels hang off them).
      CREATE TABLE recordings (
        id INTEGER PRIMARY KEY,
        rel_path TEXT NOT NULL UNIQUE,
        size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
        mtime_ms REAL NOT NULL,
        content_hash TEXT,
        sample_rate INTEGER,
        channels INTEGER,
        frames INTEGER,
        duration_seconds REAL,
        codec TEXT,
        container TEXT,
        bits_per_sample INTEGER,
        status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
        error_code TEXT,
        error_message TEXT,
        first_seen_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        missing INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1)),
        CHECK ((status = 'error') = (error_code IS NOT NULL))
      ) STRICT;
      CREATE INDEX recordings_by_hash ON recordings (content_hash);

      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        params_json TEXT NOT NULL DEFAULT '{}',
        progress_json TEXT,
        error_code TEXT,
        error_message TEXT,
        checkpoint_path TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX jobs_by_state ON jobs (state);
    `);
  },
};

const v2AnalysisAndLabels: Migration = {
  version: 2,
  description: 'feature configs, windows, models, embeddings, predictions, regions, labels + history, clusters',
  up(sql) {
    sql.exec(`
      CREATE TABLE feature_configs (
        id INTEGER PRIMARY KEY,
        canonical_key TEXT NOT NULL UNIQUE,
        config_json TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE windows (
        id INTEGER PRIMARY KEY,
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        feature_config_id INTEGER NOT NULL REFERENCES feature_configs (id) ON DELETE CASCADE,
        window_index INTEGER NOT NULL CHECK (window_index >= 0),
        start_frame INTEGER NOT NULL,
        start_sample INTEGER NOT NULL,
        end_sample INTEGER NOT NULL,
        start_native_sample INTEGER NOT NULL,
        end_native_sample INTEGER NOT NULL,
        padded INTEGER NOT NULL CHECK (padded IN (0, 1)),
        CHECK (end_sample >= start_sample AND end_native_sample >= start_native_sample),
        UNIQUE (recording_id, feature_config_id, window_index)
      ) STRICT;
      CREATE INDEX windows_by_config ON windows (feature_config_id);

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        feature_config_id INTEGER NOT NULL REFERENCES feature_configs (id),
        parent_model_id INTEGER REFERENCES models (id),
        normalisation_json TEXT NOT NULL,
        metrics_json TEXT NOT NULL DEFAULT '{}',
        files_path TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (kind, version)
      ) STRICT;

      CREATE TABLE embeddings (
        model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        window_id INTEGER NOT NULL REFERENCES windows (id) ON DELETE CASCADE,
        dims INTEGER NOT NULL CHECK (dims > 0),
        vector BLOB NOT NULL CHECK (length(vector) = 4 * dims),
        PRIMARY KEY (model_id, window_id)
      ) STRICT;
      CREATE INDEX embeddings_by_window ON embeddings (window_id);

      CREATE TABLE silence_predictions (
        model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        window_id INTEGER NOT NULL REFERENCES windows (id) ON DELETE CASCADE,
        p REAL NOT NULL CHECK (p >= 0 AND p <= 1),
        PRIMARY KEY (model_id, window_id)
      ) STRICT;
      CREATE INDEX silence_predictions_by_window ON silence_predictions (window_id);

      -- Sample positions are in the recording's native rate, exact integers.
      CREATE TABLE regions (
        id INTEGER PRIMARY KEY,
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        model_id INTEGER REFERENCES models (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('silence', 'sound')),
        start_sample INTEGER NOT NULL CHECK (start_sample >= 0),
        end_sample INTEGER NOT NULL,
        p REAL,
        source_params_json TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        CHECK (end_sample > start_sample)
      ) STRICT;
      CREATE INDEX regions_by_recording ON regions (recording_id, start_sample);
      CREATE INDEX regions_by_model ON regions (model_id);

      CREATE TABLE labels (
        id INTEGER PRIMARY KEY,
        recording_id INTEGER NOT NULL REFERENCES recordings (id),
        start_sample INTEGER NOT NULL CHECK (start_sample >= 0),
        end_sample INTEGER NOT NULL,
        value TEXT NOT NULL CHECK (length(value) > 0),
        source TEXT NOT NULL CHECK (source IN ('human', 'model', 'heuristic')),
        author TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        CHECK (end_sample > start_sample)
      ) STRICT;
      CREATE INDEX labels_by_recording ON labels (recording_id, start_sample);

      -- Undo stack: rows with undone = 0 can be undone (newest first), rows
      -- with undone = 1 form the redo branch (oldest first).
      CREATE TABLE label_history (
        id INTEGER PRIMARY KEY,
        op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
        label_id INTEGER NOT NULL REFERENCES labels (id),
        before_json TEXT,
        after_json TEXT NOT NULL,
        author TEXT,
        created_at INTEGER NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
      ) STRICT;
      CREATE INDEX label_history_by_label ON label_history (label_id);
      CREATE INDEX label_history_by_undone ON label_history (undone, id);

      CREATE TABLE cluster_runs (
        id INTEGER PRIMARY KEY,
        algorithm TEXT NOT NULL,
        model_id INTEGER REFERENCES models (id) ON DELETE SET NULL,
        params_json TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE clusters (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES cluster_runs (id) ON DELETE CASCADE,
        cluster_index INTEGER NOT NULL,
        label TEXT,
        UNIQUE (run_id, cluster_index)
      ) STRICT;

      -- A member is either a region (DTW clustering) or a single window (k-means).
      CREATE TABLE cluster_assignments (
        id INTEGER PRIMARY KEY,
        cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
        region_id INTEGER REFERENCES regions (id) ON DELETE CASCADE,
        window_id INTEGER REFERENCES windows (id) ON DELETE CASCADE,
        distance REAL,
        CHECK ((region_id IS NULL) <> (window_id IS NULL))
      ) STRICT;
      CREATE INDEX cluster_assignments_by_cluster ON cluster_assignments (cluster_id);
      CREATE INDEX cluster_assignments_by_region ON cluster_assignments (region_id);
      CREATE INDEX cluster_assignments_by_window ON cluster_assignments (window_id);
    `);
  },
};

const v3EditGroups: Migration = {
  version: 3,
  description: 'label edit groups: a split or merge is one undo step',
  up(sql) {
    // NULL = an edit of its own; otherwise the id of the group's first history row.
    sql.exec(`
      ALTER TABLE label_history ADD COLUMN edit_group INTEGER;
      CREATE INDEX label_history_by_group ON label_history (edit_group);
    `);
  },
};

const v4LabelExchangeFields: Migration = {
  version: 4,
  description: 'labels: frequency bounds, annotation, sound type, confidence, imported source + table, reference flag, kept columns',
  up(sql) {
    // SQLite cannot change a CHECK constraint in place ('imported' joins the
    // sources), so labels is rebuilt, and label_history with it: renaming
    // labels re-points label_history's foreign key at the old copy, so the
    // history table is rebuilt against the new one before the old copy goes.
    // All inside this migration's transaction, foreign keys on and checked.
    sql.exec(`
      ALTER TABLE labels RENAME TO labels_v3;
      DROP INDEX labels_by_recording;
      CREATE TABLE labels (
        id INTEGER PRIMARY KEY,
        recording_id INTEGER NOT NULL REFERENCES recordings (id),
        start_sample INTEGER NOT NULL CHECK (start_sample >= 0),
        end_sample INTEGER NOT NULL,
        value TEXT NOT NULL CHECK (length(value) > 0),
        source TEXT NOT NULL CHECK (source IN ('human', 'model', 'heuristic', 'imported')),
        author TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        -- A frequency-bounded label (a box) has both bounds, in Hz.
        low_hz REAL CHECK (low_hz IS NULL OR low_hz >= 0),
        high_hz REAL,
        annotation TEXT,
        sound_type TEXT CHECK (sound_type IS NULL OR length(sound_type) > 0),
        confidence REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
        -- File name of the table an imported label came from.
        source_table TEXT,
        -- Truth for evaluation only: never trains anything, never counts as a correction.
        reference INTEGER NOT NULL DEFAULT 0 CHECK (reference IN (0, 1)),
        -- Columns of an imported table with no field here, as [[name, value], …]; written back on export.
        extra_json TEXT,
        CHECK (end_sample > start_sample),
        CHECK ((low_hz IS NULL) = (high_hz IS NULL)),
        CHECK (high_hz IS NULL OR high_hz > low_hz)
      ) STRICT;
      INSERT INTO labels (id, recording_id, start_sample, end_sample, value, source, author, created_at, updated_at, deleted)
        SELECT id, recording_id, start_sample, end_sample, value, source, author, created_at, updated_at, deleted FROM labels_v3;
      CREATE INDEX labels_by_recording ON labels (recording_id, start_sample);

      ALTER TABLE label_history RENAME TO label_history_v3;
      DROP INDEX label_history_by_label;
      DROP INDEX label_history_by_undone;
      DROP INDEX label_history_by_group;
      CREATE TABLE label_history (
        id INTEGER PRIMARY KEY,
        op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
        label_id INTEGER NOT NULL REFERENCES labels (id),
        before_json TEXT,
        after_json TEXT NOT NULL,
        author TEXT,
        created_at INTEGER NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
        -- NULL = an edit of its own; otherwise the id of the group's first history row.
        edit_group INTEGER
      ) STRICT;
      INSERT INTO label_history SELECT id, op, label_id, before_json, after_json, author, created_at, undone, edit_group FROM label_history_v3;
      CREATE INDEX label_history_by_label ON label_history (label_id);
      CREATE INDEX label_history_by_undone ON label_history (undone, id);
      CREATE INDEX label_history_by_group ON label_history (edit_group);
      DROP TABLE label_history_v3;
      DROP TABLE labels_v3;
    `);
  },
};

const v5SoundTypes: Migration = {
  version: 5,
  description: 'sound types: stable cluster identities, clustering runs with their dendrogram and members, cluster edits in the undo history',
  up(sql) {
    // The v2 cluster tables were never written by any feature (they tied
    // members to region ids, which every detection replaces). Sound-type
    // clusters keep an identity across runs instead, and members are time
    // spans, so names and edits survive re-detection and re-clustering.
    sql.exec(`
      DROP TABLE cluster_assignments;
      DROP TABLE clusters;
      ALTER TABLE cluster_runs ADD COLUMN item_count INTEGER NOT NULL DEFAULT 0;
      -- Dendrogram (scipy linkage matrix as float64 rows left, right, height, size) and distance quantiles.
      ALTER TABLE cluster_runs ADD COLUMN tree BLOB;
      ALTER TABLE cluster_runs ADD COLUMN quantiles BLOB;
      ALTER TABLE cluster_runs ADD COLUMN cut_json TEXT;
      ALTER TABLE cluster_runs ADD COLUMN current INTEGER NOT NULL DEFAULT 0 CHECK (current IN (0, 1));

      CREATE TABLE sound_clusters (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) > 0),
        -- 1 once a person named it; unnamed clusters are called C<id>.
        named INTEGER NOT NULL DEFAULT 0 CHECK (named IN (0, 1)),
        noise INTEGER NOT NULL DEFAULT 0 CHECK (noise IN (0, 1)),
        -- Merged away, or matched by nothing in the current run.
        retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE cluster_members (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES cluster_runs (id) ON DELETE CASCADE,
        item_index INTEGER NOT NULL CHECK (item_index >= 0),
        recording_id INTEGER NOT NULL REFERENCES recordings (id),
        start_sample INTEGER NOT NULL CHECK (start_sample >= 0),
        end_sample INTEGER NOT NULL,
        cluster_id INTEGER REFERENCES sound_clusters (id),
        -- Map position (UMAP) of the run.
        x REAL,
        y REAL,
        -- The type head's prediction for this region, when one was trained.
        predicted_type TEXT,
        confidence REAL,
        CHECK (end_sample > start_sample),
        UNIQUE (run_id, item_index)
      ) STRICT;
      CREATE INDEX cluster_members_by_cluster ON cluster_members (cluster_id);
      CREATE INDEX cluster_members_by_recording ON cluster_members (recording_id, start_sample);

      -- The undo history gains cluster edits: target 'clusters' rows hold a
      -- patch of cluster and member states instead of a label state.
      CREATE TABLE label_history_v5 (
        id INTEGER PRIMARY KEY,
        op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
        target TEXT NOT NULL DEFAULT 'label' CHECK (target IN ('label', 'clusters')),
        label_id INTEGER REFERENCES labels (id),
        before_json TEXT,
        after_json TEXT NOT NULL,
        author TEXT,
        created_at INTEGER NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
        edit_group INTEGER,
        CHECK ((target = 'label') = (label_id IS NOT NULL))
      ) STRICT;
      INSERT INTO label_history_v5 (id, op, label_id, before_json, after_json, author, created_at, undone, edit_group)
        SELECT id, op, label_id, before_json, after_json, author, created_at, undone, edit_group FROM label_history;
      DROP TABLE label_history;
      ALTER TABLE label_history_v5 RENAME TO label_history;
      CREATE INDEX label_history_by_label ON label_history (label_id);
      CREATE INDEX label_history_by_undone ON label_history (undone, id);
      CREATE INDEX label_history_by_group ON label_history (edit_group);
    `);
  },
};

const v6Reliability: Migration = {
  version: 6,
  description: 'recording warnings (truncated files), job leases (owner process + heartbeat), undo history per client',
  up(sql) {
    sql.exec(`
      -- A readable caveat on a recording that is usable (e.g. "the header says 2.5 s; the file holds 1.1 s").
      ALTER TABLE recordings ADD COLUMN warning TEXT;

      -- The process running a job, so another process opening the project can tell a
      -- live job (leave it alone) from one whose process died (mark it interrupted).
      ALTER TABLE jobs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE jobs ADD COLUMN owner_host TEXT;
      ALTER TABLE jobs ADD COLUMN heartbeat_at INTEGER;

      -- Which window (client) made an edit: undo and redo take a client's own edits only.
      -- NULL: made before this version, by the CLI, or by a client that is gone (shared).
      ALTER TABLE label_history ADD COLUMN client TEXT;
      CREATE INDEX label_history_by_client ON label_history (client, undone, id);
    `);
  },
};

const v7FrameDetection: Migration = {
  version: 7,
  description: 'frame-level detection: per-recording frame features, per-head frame probabilities, model payloads',
  up(sql) {
    sql.exec(`
      -- One row per recording and frame analysis (rate, FFT, hop, band, floor): float32 frames × dims.
      -- content_key is the file's hash (or size + mtime): another value means the file changed.
      CREATE TABLE frame_features (
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        analysis_key TEXT NOT NULL,
        content_key TEXT NOT NULL,
        analysis_json TEXT NOT NULL,
        frames INTEGER NOT NULL CHECK (frames >= 0),
        native_frames INTEGER NOT NULL CHECK (native_frames >= 0),
        dims INTEGER NOT NULL CHECK (dims > 0),
        noise_floor_db REAL,
        data BLOB NOT NULL CHECK (length(data) = 4 * frames * dims),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (recording_id, analysis_key)
      ) STRICT;

      -- A detection head's silence probability for every frame of a recording (float32), before human labels apply.
      CREATE TABLE frame_probabilities (
        model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        analysis_key TEXT NOT NULL,
        frames INTEGER NOT NULL CHECK (frames >= 0),
        data BLOB NOT NULL CHECK (length(data) = 4 * frames),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (model_id, recording_id)
      ) STRICT;
      CREATE INDEX frame_probabilities_by_recording ON frame_probabilities (recording_id);

      -- Models small enough to live in the database (a detection head's trees), as JSON.
      CREATE TABLE model_payloads (
        model_id INTEGER PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
        format TEXT NOT NULL,
        payload_json TEXT NOT NULL
      ) STRICT;
    `);
  },
};

/** All migrations in order; `migrations[i].version === i + 1`. */
export const migrations: readonly Migration[] = [v1ProjectRecordingsJobs, v2AnalysisAndLabels, v3EditGroups, v4LabelExchangeFields, v5SoundTypes, v6Reliability, v7FrameDetection];

/** The schema version this code writes and understands. */
export const SCHEMA_VERSION = migrations.length;
