import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Db } from 'mongodb';
import type { MonitoringDocument } from '../../common/contracts/monitoring';
import { mongoNames } from '../../common/names';
import { Contract, Input, type ContractInput } from '../contract/route-contract';
import { UnprocessableInputError } from '../security/bad-input';
import { MONGO_DB } from '../tokens';
import { maxMonitoredDays, monitoringRoute } from './monitoring.contract';

@ApiTags('monitoring')
@Controller('api/monitoring')
export class MonitoringController {
  constructor(@Inject(MONGO_DB) private readonly db: Db) {}

  @Get()
  @Contract(monitoringRoute)
  async windows(@Input() input: ContractInput<typeof monitoringRoute>): Promise<Omit<MonitoringDocument, '_id'>[]> {
    const { from, to = from } = input.query;
    if (to < from) throw new UnprocessableInputError(`to: ${to} is before from ${from}; expected a range forwards in time`, 'to');
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days > maxMonitoredDays) throw new UnprocessableInputError(`to: ${from}..${to} is ${days} dates, more than ${maxMonitoredDays} a request; ask in parts`, 'to');
    const docs = await this.db
      .collection<MonitoringDocument>(mongoNames.modelMonitoring)
      .find({ _id: { $gte: `${from}:`, $lt: `${to};` } }, { projection: { _id: 0 } })
      .sort({ _id: 1 })
      .toArray();
    return docs;
  }
}
