import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config';

describe('config', () => {
  it('defaults every setting to the local stack on 127.0.0.1', () => {
    const c = loadConfig({});
    assert.equal(c.temporal.address, '127.0.0.1:7233');
    assert.equal(c.temporal.uiUrl, 'http://127.0.0.1:8233');
    assert.deepEqual(c.kafka.brokers, ['127.0.0.1:9092']);
    assert.equal(c.mongo.url, 'mongodb://127.0.0.1:27017');
    assert.equal(c.mongo.db, 'agile_data_science');
    assert.equal(c.mlflow.trackingUri, 'http://127.0.0.1:5000');
    assert.equal(c.hdfs.webhdfsUrl, 'http://127.0.0.1:9870');
    assert.equal(c.api.port, 3000);
    assert.deepEqual(c.external, { temporal: false, kafka: false, mongo: false, mlflow: false, hdfs: false, prometheus: false });
    assert.equal(c.prometheus.url, 'http://127.0.0.1:9090');
  });

  it('serves Prometheus on PROMETHEUS_PORT unless PROMETHEUS_URL names one elsewhere; 0 turns a metrics port off', () => {
    const local = loadConfig({ PROMETHEUS_PORT: '9190', SCORING_METRICS_PORT: '0' });
    assert.equal(local.prometheus.url, 'http://127.0.0.1:9190');
    assert.equal(local.external.prometheus, false);
    assert.equal(local.metrics.scoringPort, 0);
    assert.equal(local.metrics.trainingPort, 9465);
    const elsewhere = loadConfig({ PROMETHEUS_URL: 'http://prometheus.example.com:9090/' });
    assert.equal(elsewhere.prometheus.url, 'http://prometheus.example.com:9090');
    assert.equal(elsewhere.external.prometheus, true);
  });

  it('marks a service external when its variable is set, and only that one', () => {
    const c = loadConfig({ KAFKA_BROKERS: 'k1:9092, k2:9092', MLFLOW_TRACKING_URI: 'https://mlflow.example.com/' });
    assert.deepEqual(c.kafka.brokers, ['k1:9092', 'k2:9092']);
    assert.equal(c.mlflow.trackingUri, 'https://mlflow.example.com');
    assert.equal(c.external.kafka, true);
    assert.equal(c.external.mlflow, true);
    assert.equal(c.external.temporal, false);
  });

  it('treats a blank variable as unset', () => {
    const c = loadConfig({ TEMPORAL_ADDRESS: '  ', API_PORT: '' });
    assert.equal(c.temporal.address, '127.0.0.1:7233');
    assert.equal(c.external.temporal, false);
    assert.equal(c.api.port, 3000);
  });

  it('reads the retraining policy, and refuses a history no longer than the days held out', () => {
    const r = loadConfig({ RETRAIN_ENABLED: 'false', RETRAIN_DRIFT_IGNORE: ' DayOfYear, Temp ,', RETRAIN_HISTORY_DAYS: '10' }).actuals.retraining;
    assert.deepEqual([r.enabled, r.driftIgnore, r.historyDays, r.accuracyMargin], [false, ['DayOfYear', 'Temp'], 10, 0.1]);
    assert.throws(() => loadConfig({ RETRAIN_HISTORY_DAYS: '2', RETRAIN_EVAL_DAYS: '2' }), (err: unknown) => err instanceof ConfigError && /RETRAIN_HISTORY_DAYS="2": must be more than RETRAIN_EVAL_DAYS/.test(err.message));
  });

  it('names every bad variable and the rule it broke', () => {
    assert.throws(
      () => loadConfig({ API_PORT: '70000', TEMPORAL_ADDRESS: 'localhost', MONGO_URL: 'postgres://x', LOG_LEVEL: 'loud' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const names = err.problems.map((p) => p.split('=')[0]);
        assert.deepEqual(names.sort(), ['API_PORT', 'LOG_LEVEL', 'MONGO_URL', 'TEMPORAL_ADDRESS']);
        assert.match(err.message, /TEMPORAL_ADDRESS="localhost": expected host:port/);
        assert.match(err.message, /\.env\.example/);
        return true;
      },
    );
  });

  it('rejects a broker list with a malformed entry', () => {
    assert.throws(
      () => loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092,nonsense' }),
      /KAFKA_BROKERS="127\.0\.0\.1:9092,nonsense": expected host:port, for example 127\.0\.0\.1:9092/,
    );
  });
});
