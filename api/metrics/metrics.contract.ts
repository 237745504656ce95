import { routeContract } from '../contract/route-contract';

export const metricsRoute = routeContract({
  summary: 'Prometheus metrics of this API process',
  responses: { 200: { description: 'the Prometheus text format', media: { type: 'text/plain', schema: { type: 'string' } } } },
});
