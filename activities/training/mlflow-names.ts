/** Where training runs and models go in MLflow (from config: MLFLOW_EXPERIMENT, MLFLOW_REGISTERED_MODEL). */
export interface MlflowNames {
  experiment: string;
  registeredModel: string;
  championAlias: string;
}
