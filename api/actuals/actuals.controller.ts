import { Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { flightKey, parseActualObject, type FlightActual } from '../../common/outcomes/actual';
import { Contract, Input, type ContractInput } from '../contract/route-contract';
import { requestIdOf } from '../logging/access-log';
import { UnprocessableInputError } from '../security/bad-input';
import { ActualsPublisher } from './actuals-publisher';
import { postActuals } from './actuals.contract';

@ApiTags('actuals')
@Controller('api/actuals')
export class ActualsController {
  constructor(@Inject(ActualsPublisher) private readonly publisher: ActualsPublisher) {}

  @Post()
  @HttpCode(202)
  @Contract(postActuals)
  async create(@Input() input: ContractInput<typeof postActuals>, @Res({ passthrough: true }) res: Response): Promise<{ accepted: number; keys: string[] }> {
    const bodies = Array.isArray(input.body) ? input.body : [input.body];
    // The contract read each field; the rule across fields (Origin ≠ Dest) is the parser's, as the join's.
    const actuals = bodies.map((body, i): FlightActual => {
      const parsed = parseActualObject(body);
      if (!parsed.ok) throw new UnprocessableInputError(parsed.reason, Array.isArray(input.body) ? `[${i}].${parsed.field ?? ''}` : parsed.field);
      return parsed.actual;
    });
    await this.publisher.publish(actuals, requestIdOf(res));
    return { accepted: actuals.length, keys: actuals.map(flightKey) };
  }
}
