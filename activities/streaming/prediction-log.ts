import type { IHeaders } from 'kafkajs';
import type { Logger } from '../../common/logger';
import { kafkaHeaders } from '../../common/names';
import type { ScoredBatch, StreamMessage } from './score-batch';

/** The API's request id of a message (its `request-id` header), if it has one. */
export function requestIdOf(headers: IHeaders | undefined): string | undefined {
  const value = headers?.[kafkaHeaders.requestId];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

const traced = (m: StreamMessage | undefined): boolean => m?.requestId !== undefined;

/**
 * The stream's lines about single predictions, each with its `uuid`. A request the HTTP API published
 * carries its request id (a Kafka header): its lines are written at info, with `requestId`, so that an
 * operator can follow one prediction from the API's access line to every sink at the default level.
 * Requests of other producers (bulk, at thousands a second) get the same lines at debug only.
 */
export function predictionLog(log: Logger) {
  const write = (m: StreamMessage | undefined, msg: string, fields: Record<string, unknown>): void => {
    if (traced(m)) log.info(msg, { ...fields, requestId: m!.requestId });
    else log.debug(msg, fields);
  };
  const wanted = (batch: ScoredBatch): boolean => log.isLevelEnabled('debug') || batch.sources.some(traced) || batch.rejects.some((r) => r.requestId !== undefined);
  return {
    /** A line per result (`scored`) and per reject (`dead-lettered`) of a batch. */
    scored(batch: ScoredBatch): void {
      if (!wanted(batch)) return;
      const all = log.isLevelEnabled('debug');
      batch.results.forEach((r, i) => {
        const m = batch.sources[i];
        if (all || traced(m)) write(m, 'scored', { uuid: r.UUID, partition: m?.partition, offset: m?.offset, prediction: r.Prediction, modelVersion: r.ModelVersion });
      });
      for (const r of batch.rejects) {
        if (r.requestId !== undefined) log.warn('dead-lettered', { requestId: r.requestId, partition: r.partition, offset: r.offset, reason: r.reason, field: r.field });
        else if (all) log.debug('dead-lettered', { partition: r.partition, offset: r.offset, reason: r.reason, field: r.field });
      }
    },
    /** A line per result once `sink` accepted the batch (stored it, or for the HDFS sink, spooled it). */
    accepted(sink: string, batch: ScoredBatch): void {
      if (!wanted(batch)) return;
      const all = log.isLevelEnabled('debug');
      batch.results.forEach((r, i) => {
        const m = batch.sources[i];
        if (all || traced(m)) write(m, 'accepted by sink', { uuid: r.UUID, sink });
      });
    },
  };
}

export type PredictionLog = ReturnType<typeof predictionLog>;
