import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { FlightDelayModel } from './flight-delay-model';

/** What the store keeps beside each model. */
export interface StoredModelMeta {
  version: string;
  /** The MLflow run that produced it. */
  runId: string;
  accuracy: number;
  savedAt: string;
  /** SHA-256 of model.json, as the registry recorded it; checked on every read. */
  sha256?: string;
}

export interface ChampionPointer {
  version: string;
  promotedAt: string;
}

/**
 * This machine's cache of registered models (the registry itself is MLflow: common/model-registry.ts),
 * by version, plus the champion it saw last, so that scoring loads the champion even when MLflow is down. Every write goes to a temporary file first and is
 * renamed into place, so a reader never sees half a model.
 *
 *   <dir>/versions/<version>/model.json   the FlightDelayModel bundle
 *   <dir>/versions/<version>/meta.json
 *   <dir>/champion.json                   { version, promotedAt }
 */
export class ModelStore {
  constructor(readonly dir: string) {}

  /** `model` is a FlightDelayModel, its JSON, or its JSON text (kept byte for byte, so that its SHA-256 holds). */
  save(meta: StoredModelMeta, model: unknown): string {
    checkVersion(meta.version);
    const folder = join(this.dir, 'versions', meta.version);
    mkdirSync(folder, { recursive: true });
    writeAtomically(join(folder, 'model.json'), typeof model === 'string' ? model : JSON.stringify(model));
    writeAtomically(join(folder, 'meta.json'), JSON.stringify(meta, null, 2));
    return folder;
  }

  /** A cached model's JSON text, checked against the SHA-256 in its meta when there is one. */
  readVerified(version: string): string {
    const text = readFileSync(join(this.dir, 'versions', checkVersion(version), 'model.json'), 'utf8');
    const expected = this.meta(version).sha256;
    if (expected !== undefined && createHash('sha256').update(text).digest('hex') !== expected) {
      throw new Error(`the cached model.json of version ${version} in ${this.dir} does not match its SHA-256`);
    }
    return text;
  }

  has(version: string): boolean {
    return existsSync(join(this.dir, 'versions', checkVersion(version), 'model.json'));
  }

  meta(version: string): StoredModelMeta {
    return JSON.parse(readFileSync(join(this.dir, 'versions', checkVersion(version), 'meta.json'), 'utf8')) as StoredModelMeta;
  }

  load(version: string): FlightDelayModel {
    const file = join(this.dir, 'versions', checkVersion(version), 'model.json');
    if (!existsSync(file)) throw new Error(`model store ${this.dir} has no version ${version}`);
    return FlightDelayModel.load(JSON.parse(readFileSync(file, 'utf8')));
  }

  versions(): string[] {
    const folder = join(this.dir, 'versions');
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((v) => this.has(v))
      .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  }

  /** Points the champion at `version`, which must be stored already. */
  promote(version: string): ChampionPointer {
    if (!this.has(version)) throw new Error(`cannot promote version ${version}: it is not in the model store ${this.dir}`);
    const pointer = { version, promotedAt: new Date().toISOString() };
    mkdirSync(this.dir, { recursive: true });
    writeAtomically(join(this.dir, 'champion.json'), JSON.stringify(pointer, null, 2));
    return pointer;
  }

  champion(): ChampionPointer | undefined {
    const file = join(this.dir, 'champion.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ChampionPointer) : undefined;
  }

  loadChampion(): { version: string; model: FlightDelayModel } | undefined {
    const pointer = this.champion();
    return pointer ? { version: pointer.version, model: this.load(pointer.version) } : undefined;
  }

  /** The version asked for, else the champion; throws saying what to do when there is none. */
  loadWanted(wanted: { modelVersion?: string | null }): { version: string; model: FlightDelayModel } {
    const version = wanted.modelVersion ?? this.champion()?.version;
    if (!version) throw new Error(`no champion in the model store ${this.dir}: train one (npm run train)`);
    return { version, model: this.load(version) };
  }
}

function checkVersion(version: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(version)) throw new RangeError(`model version ${JSON.stringify(version)} must be a plain name (letters, digits, . _ -)`);
  return version;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
