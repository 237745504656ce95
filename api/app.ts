import 'reflect-metadata';
import { hostname } from 'node:os';
import type { NextFunction, Request, Response } from 'express';
import { join } from 'node:path';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Producer } from 'kafkajs';
import { createKafka, ensureTopics } from '../common/clients/kafka';
import { createMongoClient, database } from '../common/clients/mongo';
import { closeTemporal, connectTemporal } from '../common/clients/temporal';
import type { Config } from '../common/config';
import { createLogger, type Logger } from '../common/logger';
import { modelRegistryFor } from '../common/model-registry';
import { taskQueues } from '../common/names';
import { defaultApiNames, type ApiNames } from './api-names';
import { ActualsController } from './actuals/actuals.controller';
import { MonitoringController } from './monitoring/monitoring.controller';
import { ActualsPublisher } from './actuals/actuals-publisher';
import { BatchController } from './batch/batch.controller';
import { BATCH_SETTINGS, batchSettings } from './batch/batch-settings';
import { DependencyChecks } from './health/dependency-checks';
import { HealthController } from './health/health.controller';
import { accessLog } from './logging/access-log';
import { NestLogger } from './logging/nest-logger';
import { ApiMetrics } from './metrics/api-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { ChampionCache } from './models/champion-cache';
import { ModelsController } from './models/models.controller';
import { LiveStatsCollector } from './predictions/live-stats';
import { PredictionRequests } from './predictions/prediction-requests';
import { PredictionsController } from './predictions/predictions.controller';
import { PredictionsGateway } from './predictions/predictions.gateway';
import { ResultHub } from './predictions/result-hub';
import { StreamStatus } from './predictions/stream-status';
import { ReferenceController } from './reference/reference.controller';
import { ErrorsFilter } from './security/errors.filter';
import { rateLimit } from './security/rate-limit';
import { securityHeaders } from './security/security-headers';
import { methodNotAllowed } from './contract/method-not-allowed';
import { SeedRoutesController } from './seed/seed-routes.controller';
import { TrainingController } from './training/training.controller';
import { TuningController } from './tuning/tuning.controller';
import { CONFIG, KAFKA, MODEL_REGISTRY, MONGO_DB, TEMPORAL, TRAINING_TASK_QUEUE } from './tokens';

export interface ApiOptions {
  /** Topics and collections; the defaults of common/names.ts unless a test gives its own. */
  names?: ApiNames;
  /** Streaming workflow whose stats the dashboard shows; workflowIds.streaming by default. */
  streamingWorkflowId?: string;
  /** The batch workflows' task queue and the collections their worker writes; the defaults of common/names.ts unless a test gives its own. */
  batch?: Parameters<typeof batchSettings>[0];
  /** The task queue POST /api/training starts runs on; the training worker's unless a test gives its own. */
  trainingTaskQueue?: string;
  log?: Logger;
}

export interface Api {
  app: NestExpressApplication;
  hub: ResultHub;
  /** Stops the app, then its consumer, producer and clients. */
  close(): Promise<void>;
}

@Module({})
class ApiModule {
  static with(providers: Provider[]): DynamicModule {
    return {
      module: ApiModule,
      controllers: [PredictionsController, ActualsController, MonitoringController, ReferenceController, ModelsController, TrainingController, TuningController, BatchController, HealthController, MetricsController, SeedRoutesController],
      providers: [...providers, PredictionsGateway],
    };
  }
}

/**
 * The NestJS app with its clients: the request producer, the response consumer (ResultHub), MongoDB,
 * Temporal and the model registry. Not listening yet: main.ts calls listen, tests use getHttpServer().
 */
export async function createApi(cfg: Config, options: ApiOptions = {}): Promise<Api> {
  const log = options.log ?? createLogger('api', cfg);
  const names = options.names ?? defaultApiNames();
  const kafka = createKafka(cfg, 'api');
  // The API may start before the scoring worker: the topics it writes and reads are created here too (idempotent).
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [names.request, names.response, names.actuals], cfg.kafka.topicPartitions);
  } finally {
    await admin.disconnect();
  }
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const mongo = await createMongoClient(cfg);
  const db = database(mongo, cfg);
  const temporal = await connectTemporal(cfg);
  const registry = modelRegistryFor(cfg, log);
  const champion = new ChampionCache(registry);
  await champion.refresh().catch((err: unknown) => log.warn('could not read the champion from the model registry yet', { error: String(err) }));
  champion.start();
  const hub = new ResultHub(kafka, db, names, log);
  await hub.start();
  const stream = new StreamStatus(temporal.client, log, options.streamingWorkflowId);
  stream.start();
  const requests = await PredictionRequests.create(producer, db, names);
  const actuals = new ActualsPublisher(producer, names.actuals);
  const metrics = new ApiMetrics(() => stream.current().consumerLag);
  hub.on('result', (r) => metrics.recordPrediction(r));

  const providers: Provider[] = [
    { provide: CONFIG, useValue: cfg },
    { provide: KAFKA, useValue: kafka },
    { provide: MONGO_DB, useValue: db },
    { provide: TEMPORAL, useValue: temporal },
    { provide: MODEL_REGISTRY, useValue: registry },
    { provide: ResultHub, useValue: hub },
    { provide: StreamStatus, useValue: stream },
    { provide: PredictionRequests, useValue: requests },
    { provide: ActualsPublisher, useValue: actuals },
    { provide: ChampionCache, useValue: champion },
    { provide: LiveStatsCollector, useValue: new LiveStatsCollector() },
    { provide: ApiMetrics, useValue: metrics },
    { provide: BATCH_SETTINGS, useValue: batchSettings(options.batch) },
    { provide: TRAINING_TASK_QUEUE, useValue: options.trainingTaskQueue ?? taskQueues.training },
    DependencyChecks,
  ];
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.with(providers), {
    bodyParser: false,
    logger: new NestLogger(log.child('nest')),
  });
  app.use(accessLog(log.child('http')));
  app.useBodyParser('json', { limit: cfg.api.bodyLimit });
  app.useBodyParser('urlencoded', { limit: cfg.api.bodyLimit, extended: false });
  app.disable('x-powered-by');
  // Which API process answered: behind a load balancer, the instance an operator looks at.
  const instance = `${process.pid}@${hostname()}`;
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Api-Instance', instance);
    next();
  });
  app.use(securityHeaders());
  app.use(metrics.middleware());
  const limiter = rateLimit(cfg.api.rateLimitPerMinute);
  app.use('/api', limiter);
  app.use('/flights', limiter);
  if (cfg.api.corsOrigins) app.enableCors({ origin: cfg.api.corsOrigins === '*' ? true : cfg.api.corsOrigins });
  app.useGlobalFilters(new ErrorsFilter(log));
  app.useStaticAssets(join(__dirname, 'web'), { index: 'index.html' });
  // The document comes from the routes' contracts (api/contract/): the validators' own schemas.
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Flight delay prediction API')
      .setDescription('Realtime arrival-delay predictions through Kafka, training and models through Temporal. The seed system\'s routes are kept as aliases.')
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'x-api-key')
      .build(),
  );
  app.use(methodNotAllowed(document.paths, { cors: Boolean(cfg.api.corsOrigins) }));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  const close = async (): Promise<void> => {
    await stream.stop();
    champion.stop();
    await app.close();
    await hub.stop();
    await producer.disconnect().catch(() => undefined);
    await mongo.close().catch(() => undefined);
    await closeTemporal(temporal);
  };
  return { app, hub, close };
}
