import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Db } from 'mongodb';
import { monitoringDocumentId, type ModelEvent, type MonitoringDocument } from '../../common/contracts/monitoring';
import { mongoNames } from '../../common/names';
import { Contract, Input, type ContractInput } from '../contract/route-contract';
import { MONGO_DB } from '../tokens';
import { monitoringEventsRoute, monitoringRoute } from './monitoring.contract';

/** A window written before a field was added has it as null (the document says null means "not known"), or none of a list. */
const withLaterFields = (w: Omit<MonitoringDocument, '_id'>): Omit<MonitoringDocument, '_id'> => ({
  ...w,
  HeldOutAccuracy: w.HeldOutAccuracy ?? null,
  PredictedClassPSI: w.PredictedClassPSI ?? null,
  ActualClassPSI: w.ActualClassPSI ?? null,
  MlflowRunId: w.MlflowRunId ?? null,
  FeatureDrift: w.FeatureDrift ?? [],
});

/** Dates answered when the request names none. */
const latestDays = 14;

@ApiTags('monitoring')
@Controller('api/monitoring')
export class MonitoringController {
  constructor(@Inject(MONGO_DB) private readonly db: Db) {}

  @Get()
  @Contract(monitoringRoute)
  async windows(@Input() input: ContractInput<typeof monitoringRoute>): Promise<Omit<MonitoringDocument, '_id'>[]> {
    const { from, days = from ? 1 : latestDays } = input.query;
    const windows = this.db.collection<MonitoringDocument>(mongoNames.modelMonitoring);
    if (from) {
      const to = new Date(Date.parse(`${from}T00:00:00Z`) + (days - 1) * 86_400_000).toISOString().slice(0, 10);
      return (await windows.find({ _id: { $gte: `${from}:`, $lt: `${to};` } }, { projection: { _id: 0 } }).sort({ _id: 1 }).toArray()).map(withLaterFields);
    }
    // The latest dates monitored: the collection holds a few windows a date, so reading it whole is cheap.
    const all = await windows.find({ FlightDate: { $exists: true } }, { projection: { _id: 0 } }).toArray();
    const dates = new Set([...new Set(all.map((w) => w.FlightDate))].sort().slice(-days));
    return all
      .filter((w) => dates.has(w.FlightDate))
      .sort((a, b) => monitoringDocumentId(a).localeCompare(monitoringDocumentId(b)))
      .map(withLaterFields);
  }

  @Get('events')
  @Contract(monitoringEventsRoute)
  async events(@Input() input: ContractInput<typeof monitoringEventsRoute>): Promise<Omit<ModelEvent, '_id'>[]> {
    // _id starts with the ISO time: newest first by _id.
    const events = await this.db.collection<ModelEvent>(mongoNames.modelEvents).find({}, { projection: { _id: 0 } }).sort({ _id: -1 }).limit(input.query.limit ?? 50).toArray();
    return events;
  }
}
