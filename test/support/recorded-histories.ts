import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Worker, type ReplayResult } from '@temporalio/worker';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import { repoRoot } from '../../common/config';

/** `npm run replay:record` writes here; workflows/replay.test.ts replays every file. */
export const historiesDir = join(repoRoot, 'test', 'histories');

/** A recorded history and what replaying it needs besides the workflow code. */
export interface RecordedHistory {
  /** The file's path below test/histories without .json: `<workflow>-<case>`, or `recorded-before-<date>/<workflow>-<case>`. */
  name: string;
  workflowType: string;
  /** The recorded run's workflow id (its first event carries it). */
  workflowId: string;
  history: History;
}

/** Every history under test/histories (those kept from before a change in its subfolders too), by path. */
export function readRecordedHistories(dir = historiesDir): RecordedHistory[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const history = historyFromJson(readFileSync(join(dir, file), 'utf8'));
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      if (!started?.workflowType?.name) throw new TypeError(`${file}: the first event is not a WorkflowExecutionStarted`);
      const name = file.replace(/\.json$/, '');
      return { name, workflowType: started.workflowType.name, workflowId: started.workflowId || name, history };
    });
}

/**
 * Replays each history against the workflows of `workflowsPath`, bundled once (a few seconds) as a
 * worker bundles them; resolves with each history's result by name (error undefined: it replayed).
 */
export async function replayHistories(workflowsPath: string, histories: readonly RecordedHistory[]): Promise<Map<string, ReplayResult>> {
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  const results = new Map<string, ReplayResult>();
  const runs = histories.map(({ history, workflowId }) => ({ history, workflowId }));
  let i = 0;
  // One result per history, in order (two runs of one stream share a workflow id).
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, replayName: 'replay-test' }, runs)) {
    results.set(histories[i++]!.name, result);
  }
  return results;
}

/**
 * Event histories to and from the JSON form of Temporal's tools (`temporal workflow show --output json`,
 * the UI's download) — what the SDK's historyToJSON and historyFromJSON do, which fail in this
 * project's install with "type must be a Type": npm gives @temporalio/common and @temporalio/proto a
 * protobufjs 8 copy each (the hoisted one is 7, for @grpc/proto-loader), and common's JSON codec
 * refuses the types that proto's copy built. Here the codec is the one of proto's own copy.
 * Worker.runReplayHistory takes the History object that historyFromJson returns as it is.
 */
interface ProtoJson {
  toJson(type: unknown, message: unknown, options?: object): unknown;
  fromJson(type: unknown, json: unknown, options?: object): unknown;
}
const protojson = createRequire(require.resolve('@temporalio/proto'))('protobufjs/ext/protojson') as ProtoJson;
const root = patchProtobufRoot(proto as unknown as Record<string, unknown>) as unknown as { lookupType(name: string): unknown };
const historyType = root.lookupType('temporal.api.history.v1.History');

/** A history (as fetchHistory gives it) as indented JSON text. */
export function historyToJson(history: History): string {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return JSON.stringify(protojson.toJson(historyType, message), null, 2);
}

/** A history back from that JSON text; fields a newer server added are ignored, as the SDK does. */
export function historyFromJson(text: string): History {
  const loaded = protojson.fromJson(historyType, JSON.parse(text), { ignoreUnknownFields: true }) as History | null;
  if (!loaded?.events?.length) throw new TypeError('not an event history: expected an object with a non-empty array of events');
  return loaded;
}
