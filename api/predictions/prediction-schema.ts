import type { SchemaObject } from '@nestjs/swagger';

/** The OpenAPI description of a prediction request body (the rules themselves are common/prediction/request.ts). */
export const predictionBodySchema: SchemaObject = {
  type: 'object',
  required: ['Origin', 'Dest', 'Carrier', 'DepDelay', 'FlightDate'],
  additionalProperties: false,
  properties: {
    Origin: { type: 'string', pattern: '^[A-Za-z0-9]{1,10}$', example: 'ATL', description: 'IATA code of the origin airport' },
    Dest: { type: 'string', pattern: '^[A-Za-z0-9]{1,10}$', example: 'SFO', description: 'IATA code of the destination airport (not the origin)' },
    Carrier: { type: 'string', pattern: '^[A-Za-z0-9]{1,10}$', example: 'AA', description: 'carrier code; an unseen one is still scored' },
    DepDelay: { type: 'number', example: 5, description: 'departure delay in minutes (a JSON number)' },
    FlightDate: { type: 'string', format: 'date', example: '2016-12-25', description: 'YYYY-MM-DD, a real calendar date' },
    FlightNum: { oneOf: [{ type: 'string', maxLength: 20 }, { type: 'integer', minimum: 0 }], example: '1519' },
    Distance: { type: 'number', minimum: 0, exclusiveMinimum: true, description: 'miles; left out, it is looked up' },
  },
};
