import { createHash } from 'node:crypto';
import { createMlflowClient, isMlflowError, type MlflowClient } from './clients/mlflow';
import type { Config } from './config';
import type { Logger } from './logger';
import { mlflowNames } from './names';
import { FlightDelayModel } from '../models/flight-delay-model';
import { ModelStore } from '../models/model-store';

/** Where the registry keeps the models: MLFLOW_REGISTERED_MODEL, its champion alias and its challenger alias. */
export interface RegistryNames {
  registeredModel: string;
  championAlias: string;
  challengerAlias: string;
}

export interface RegisteredVersion {
  version: string;
  runId: string | null;
  accuracy: number | null;
  savedAt: string;
}

export interface RegistryModel {
  version: string;
  model: FlightDelayModel;
}

/** The model version tag that holds the SHA-256 of the version's model.json, set when it is registered. */
export const modelHashTag = 'model_sha256';
/** The model version tag that holds its accuracy on its held-out rows. */
export const accuracyTag = 'accuracy';
/** The model's file among the run's artifacts. */
export const modelArtifactPath = 'model/model.json';

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The models every worker scores with, on any machine: the champion is MLflow's `champion` alias, and
 * each version's model.json is fetched from MLflow's artifact store (through the server's artifact
 * proxy: nothing but MLFLOW_TRACKING_URI is needed) and kept in this machine's cache (MODEL_STORE_DIR),
 * checked against the SHA-256 recorded with the version. When MLflow cannot be reached, the champion this
 * machine saw last and the cached models still serve.
 */
export class ModelRegistry {
  private readonly loaded = new Map<string, FlightDelayModel>();

  constructor(
    private readonly mlflow: MlflowClient,
    private readonly names: RegistryNames,
    /** This machine's cache of registered models. */
    readonly cache: ModelStore,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  /** The champion's version: the registry's alias, else (MLflow away) the last one this machine saw; undefined when there is none. */
  async championVersion(): Promise<string | undefined> {
    let version: string | undefined;
    try {
      version = (await this.mlflow.getModelVersionByAlias(this.names.registeredModel, this.names.championAlias))?.version;
    } catch (err) {
      const cached = this.cache.champion()?.version;
      this.log.warn(`MLflow is not answering (${(err as Error).message}); using the champion this machine saw last`, { version: cached ?? 'none' });
      return cached;
    }
    return version;
  }

  /** A registered version's model: from this process, else this machine's cache when its hash matches the registry's, else downloaded. */
  async load(version: string): Promise<RegistryModel> {
    const ready = this.loaded.get(version);
    if (ready) {
      this.loaded.delete(version);
      this.loaded.set(version, ready);
      return { version, model: ready };
    }
    const model = await this.fetch(version);
    // Versions are large: keep the two used last parsed (the champion and a shadow challenger).
    this.loaded.set(version, model);
    for (const old of [...this.loaded.keys()].slice(0, -2)) this.loaded.delete(old);
    return { version, model };
  }

  /** The version asked for, else the champion; throws saying what to do when there is none. */
  async loadWanted(wanted: { modelVersion?: string | null }): Promise<RegistryModel> {
    const version = wanted.modelVersion ?? (await this.championVersion());
    if (!version) throw new Error(`no champion of ${this.names.registeredModel} in MLflow's registry (or this machine's cache): train one (npm run train)`);
    const loaded = await this.load(version);
    // The champion this machine saw last: what serves while MLflow is away.
    if (!wanted.modelVersion && this.cache.champion()?.version !== version) this.cache.promote(version);
    return loaded;
  }

  /** Whether `version` is registered (false when MLflow answers that it is not; throws when MLflow cannot be asked). */
  async has(version: string): Promise<boolean> {
    try {
      await this.mlflow.getModelVersion(this.names.registeredModel, version);
      return true;
    } catch (err) {
      if (isMlflowError(err, 'RESOURCE_DOES_NOT_EXIST')) return false;
      throw err;
    }
  }

  /** Every registered version, newest first, and the champion. */
  async versions(): Promise<{ champion: string | null; versions: RegisteredVersion[] }> {
    const [all, champion] = await Promise.all([
      this.mlflow.searchModelVersions(`name = '${this.names.registeredModel}'`),
      this.championVersion(),
    ]);
    const versions = all
      .map((v) => ({ version: v.version, runId: v.runId ?? null, accuracy: v.tags[accuracyTag] === undefined ? null : Number(v.tags[accuracyTag]), savedAt: new Date(v.creationTimestamp).toISOString() }))
      .sort((a, b) => Number(b.version) - Number(a.version));
    return { champion: champion ?? null, versions };
  }

  /**
   * Registers `text` (a model's JSON, already uploaded as the run's model artifact) as a new version —
   * or finds the version registered earlier for this run (a retried registration) — tagged with its
   * SHA-256 and accuracy, and keeps it in this machine's cache. With `loggedModel` (an MLflow 3 logged
   * model of the run), the version is registered from it: its source and model id link the two.
   */
  async register(
    runId: string,
    text: string,
    accuracy: number,
    description?: string,
    loggedModel?: { modelId: string; source: string },
  ): Promise<{ version: string; reused: boolean }> {
    const name = this.names.registeredModel;
    await this.mlflow.createRegisteredModel(name, description ? { description } : {});
    const hash = sha256(text);
    const tags = { [modelHashTag]: hash, [accuracyTag]: String(accuracy) };
    const [existing] = await this.mlflow.searchModelVersions(`name = '${name}' and run_id = '${runId}'`);
    const version =
      existing ??
      (await (loggedModel
        ? this.mlflow.createModelVersion(name, loggedModel.source, runId, { tags, modelId: loggedModel.modelId })
        : this.mlflow.createModelVersion(name, await this.mlflow.artifactUri(runId, 'model'), runId, { tags })));
    for (const [key, value] of Object.entries(tags)) if (version.tags[key] !== value) await this.mlflow.setModelVersionTag(name, version.version, key, value);
    this.cache.save({ version: version.version, runId, accuracy, savedAt: new Date().toISOString(), sha256: hash }, text);
    return { version: version.version, reused: existing !== undefined };
  }

  /** The champion's registered version, or undefined when there is none (MLflow must answer). */
  async registeredChampion(): Promise<{ version: string; runId: string | undefined } | undefined> {
    const v = await this.mlflow.getModelVersionByAlias(this.names.registeredModel, this.names.championAlias);
    return v ? { version: v.version, runId: v.runId } : undefined;
  }

  /**
   * Moves the champion alias to a registered version (every worker follows it; the caller signals the
   * stream to reload at once). A challenger promoted stops being the challenger.
   */
  async promote(version: string): Promise<void> {
    await this.mlflow.setRegisteredModelAlias(this.names.registeredModel, this.names.championAlias, version);
    if (this.cache.has(version)) this.cache.promote(version);
    if ((await this.challengerVersion()) === version) await this.setChallenger(null);
  }

  /**
   * The shadow challenger's version (MLflow's `challenger` alias), scored beside the champion and never
   * answering; undefined when none is set, or MLflow cannot be asked (then no shadow is scored).
   */
  async challengerVersion(): Promise<string | undefined> {
    try {
      return (await this.mlflow.getModelVersionByAlias(this.names.registeredModel, this.names.challengerAlias))?.version;
    } catch (err) {
      this.log.warn(`MLflow is not answering (${(err as Error).message}); no shadow challenger`);
      return undefined;
    }
  }

  /** Sets the `challenger` alias to a registered version (checked), or clears it (null). */
  async setChallenger(version: string | null): Promise<void> {
    if (version === null) {
      await this.mlflow.deleteRegisteredModelAlias(this.names.registeredModel, this.names.challengerAlias).catch((err: unknown) => {
        if (!isMlflowError(err, 'RESOURCE_DOES_NOT_EXIST')) throw err;
      });
      return;
    }
    await this.mlflow.setRegisteredModelAlias(this.names.registeredModel, this.names.challengerAlias, version);
  }

  /** The model of `version`, checked against its registered hash, cached on this machine. */
  private async fetch(version: string): Promise<FlightDelayModel> {
    const parse = (text: string): FlightDelayModel => FlightDelayModel.load(JSON.parse(text));
    let registered: { runId?: string; hash?: string };
    try {
      const v = await this.mlflow.getModelVersion(this.names.registeredModel, version);
      registered = { runId: v.runId, hash: v.tags[modelHashTag] };
    } catch (err) {
      if (this.cache.has(version)) {
        this.log.warn(`MLflow is not answering (${(err as Error).message}); using the cached model`, { version });
        return parse(this.cache.readVerified(version));
      }
      throw new Error(`model version ${version} of ${this.names.registeredModel} is not in this machine's cache and MLflow cannot be asked: ${(err as Error).message}`);
    }
    if (this.cache.has(version) && (registered.hash === undefined || this.cache.meta(version).sha256 === registered.hash)) {
      try {
        return parse(this.cache.readVerified(version));
      } catch (err) {
        this.log.warn(`the cached model is damaged (${(err as Error).message}); fetching it again`, { version });
      }
    }
    if (!registered.runId) throw new Error(`model version ${version} of ${this.names.registeredModel} has no run to fetch its model from`);
    const bytes = await this.mlflow.downloadArtifact(registered.runId, modelArtifactPath);
    const hash = sha256(bytes);
    if (registered.hash !== undefined && hash !== registered.hash) {
      throw new Error(`model version ${version}: the artifact's SHA-256 ${hash} is not the registered ${registered.hash} (a changed or damaged artifact)`);
    }
    const text = bytes.toString('utf8');
    const model = parse(text);
    this.cache.save({ version, runId: registered.runId, accuracy: model.info.evaluation.accuracy, savedAt: new Date().toISOString(), sha256: hash }, text);
    return model;
  }
}

/** The registry of the configured MLflow (MLFLOW_TRACKING_URI, MLFLOW_REGISTERED_MODEL), cached in MODEL_STORE_DIR. */
export function modelRegistryFor(cfg: Config, log: Pick<Logger, 'warn'>): ModelRegistry {
  return new ModelRegistry(createMlflowClient(cfg), { registeredModel: cfg.mlflow.registeredModel, championAlias: mlflowNames.championAlias, challengerAlias: mlflowNames.challengerAlias }, new ModelStore(cfg.training.modelStoreDir), log);
}
