import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Db } from 'mongodb';
import type { MonitoringDocument } from '../../common/contracts/monitoring';
import { mongoNames } from '../../common/names';
import { Contract, Input, type ContractInput } from '../contract/route-contract';
import { MONGO_DB } from '../tokens';
import { monitoringRoute } from './monitoring.contract';

@ApiTags('monitoring')
@Controller('api/monitoring')
export class MonitoringController {
  constructor(@Inject(MONGO_DB) private readonly db: Db) {}

  @Get()
  @Contract(monitoringRoute)
  async windows(@Input() input: ContractInput<typeof monitoringRoute>): Promise<Omit<MonitoringDocument, '_id'>[]> {
    const { from, days = 1 } = input.query;
    const to = new Date(Date.parse(`${from}T00:00:00Z`) + (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const docs = await this.db
      .collection<MonitoringDocument>(mongoNames.modelMonitoring)
      .find({ _id: { $gte: `${from}:`, $lt: `${to};` } }, { projection: { _id: 0 } })
      .sort({ _id: 1 })
      .toArray();
    return docs;
  }
}
