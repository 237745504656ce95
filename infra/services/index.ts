import { hdfs } from './hdfs';
import { kafka } from './kafka';
import { mlflow } from './mlflow';
import { mongo } from './mongo';
import { prometheus } from './prometheus';
import type { ServiceDefinition } from './service';
import { temporal } from './temporal';

/** Start order; `down` stops them in reverse. */
export const services: ServiceDefinition[] = [temporal, kafka, mongo, mlflow, hdfs, prometheus];
