/** The health routes' contracts: liveness, readiness and the detailed view. */
import { z } from 'zod';
import { routeContract } from '../contract/route-contract';

const check = z.object({ up: z.boolean(), ms: z.number(), detail: z.string() });
const stream = z.object({ consumerLag: z.number().nullable(), status: z.string(), modelVersion: z.string().nullable() });
const detailed = z.object({
  status: z.enum(['ok', 'degraded']),
  dependencies: z.object({ kafka: check, mongodb: check, temporal: check, mlflow: check, hdfs: check }),
  stream,
  champion: z.string().nullable(),
});
const readiness = z.object({
  ready: z.boolean(),
  checks: z.object({ kafka: check, mongodb: check, stream: z.object({ up: z.boolean(), detail: z.string() }) }).describe('what readiness needs'),
  reported: z.object({ temporal: check, mlflow: check, hdfs: check }).describe('reported, not failing readiness'),
});

export const healthRoute = routeContract({
  summary: "Each dependency's state (Kafka, MongoDB, Temporal, MLflow, HDFS), the stream and the champion; 503 when one is down",
  responses: { 200: { description: 'every dependency up', body: detailed }, 503: { description: 'one or more down', body: detailed } },
});

export const liveRoute = routeContract({
  summary: 'Liveness: the process answers (restart it when this fails)',
  responses: { 200: { description: 'alive', body: z.object({ status: z.literal('live'), uptimeSeconds: z.number() }) } },
});

export const readyRoute = routeContract({
  summary: 'Readiness: this API can serve predictions (Kafka, MongoDB and a running stream); MLflow, HDFS and Temporal are reported but do not fail it',
  responses: { 200: { description: 'ready', body: readiness }, 503: { description: 'not ready: send traffic elsewhere', body: readiness } },
});
