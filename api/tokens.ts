/**
 * Injection tokens. The API runs under tsx (esbuild), which emits no decorator metadata, so every
 * constructor parameter names its provider with @Inject(token) instead of relying on its type.
 */
export const CONFIG = Symbol('Config');
export const KAFKA = Symbol('Kafka');
export const MONGO_DB = Symbol('MongoDb');
export const TEMPORAL = Symbol('TemporalClients');
export const MODEL_REGISTRY = Symbol('ModelRegistry');
/** The task queue POST /api/training starts runs on: the training worker's, or a test's own. */
export const TRAINING_TASK_QUEUE = Symbol('TrainingTaskQueue');
