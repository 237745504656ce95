/**
 * Fixes to FerretDB 1.24, applied at build time to a copy of its module source (the Go module cache
 * stays untouched, and nothing of FerretDB's is kept in this repository). Each was measured with
 * `npm run bench:store` (README, "The local stack").
 *
 * 1. The `_id` index. The backend queries a document by `_ferretdb_sjson->'$._id'` but indexes `_id` as
 * `_ferretdb_sjson->"_id"`. The two mean the same, yet SQLite uses an expression index only for the
 * same expression, so every lookup, update and delete by `_id` read the whole table: 37 ms per delete
 * at 20,000 documents, a second to find a result by its UUID among 100,000. Written `->'_id'`, they use
 * the unique index (EXPLAIN QUERY PLAN: SEARCH … USING INDEX instead of SCAN); a delete takes 0.45 ms.
 *
 * 2. Filters SQLite can apply (infra/ferretdb/patches/sqlite_pushdown.go, added to the backend): an
 *    `_id` prefix range through the `_id` index — how the batch finds and clears one date's results —
 *    and string comparisons of one top-level field, so that only matching documents are decoded in Go.
 * 3. `count` with no filter (estimatedDocumentCount) reads the table's size from SQLite instead of
 *    decoding every document.
 *
 * `go build -overlay` cannot do this: Go refuses to replace files beneath GOMODCACHE. So the module is
 * copied next to the build, patched there, and a copy of infra/ferretdb builds against it through a
 * `replace` directive.
 */
import { cpSync, chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../common/logger';
import { run } from '../exec';

/** Bump when the patch changes: the build marker includes it, so the binary is rebuilt. */
export const FERRETDB_PATCH = 'id-index-1+pushdown-2+count-1';

const ferretdbModule = 'github.com/FerretDB/FerretDB';
const metadataFile = join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go');
const unindexed = `IDColumn = DefaultColumn + "->'$._id'"`;
const indexed = `IDColumn = DefaultColumn + "->'_id'"`;

/** The patch's files: the new Go file, and the exact lines each replacement expects to find. */
export const pushdownSource = join('patches', 'sqlite_pushdown.go');
const collectionFile = join('internal', 'backends', 'sqlite', 'collection.go');
const idOnlyWhere = [
  '\tif params.Filter.Len() == 1 {',
  '\t\tv, _ := params.Filter.Get("_id")',
  '\t\tswitch v.(type) {',
  '\t\tcase string, types.ObjectID:',
  '\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)',
  '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}',
  '\t\t}',
  '\t}',
].join('\n');
const pushdownWhere = '\twhereClause, args = pushdownWhere(params.Filter)';
const countFile = join('internal', 'handler', 'msg_count.go');
const countQuery = '\tvar qp backends.QueryParams\n\tif !h.DisablePushdown {';
const countFromStats = [
  '\t// Patched (flight-delay): no filter, no skip, no limit — the table\'s size, not a decode of every document.',
  '\tif params.Filter.Len() == 0 && params.Skip == 0 && params.Limit == 0 {',
  '\t\tif stats, statsErr := c.Stats(connCtx, new(backends.CollectionStatsParams)); statsErr == nil {',
  '\t\t\treturn documentOpMsg(must.NotFail(types.NewDocument("n", int32(stats.CountDocuments), "ok", float64(1))))',
  '\t\t}',
  '\t}',
  '',
  countQuery,
].join('\n');

/** Replaces `from` with `to` in a file of the copied module, or fails naming what is missing. */
function replaceIn(moduleDir: string, patchedModule: string, file: string, from: string, to: string): void {
  const target = join(patchedModule, file);
  const source = readFileSync(target, 'utf8');
  if (!source.includes(from)) {
    throw new Error(`${join(moduleDir, file)} has no \`${from.split('\n')[0]!.trim()}\` … to patch: update infra/services/ferretdb-patch.ts for this FerretDB version`);
  }
  chmodSync(target, 0o644);
  writeFileSync(target, source.replace(from, to));
}

/**
 * Prepares `<buildDir>/src/ferretdb` (the patched module) and `<buildDir>/src/main` (infra/ferretdb
 * building against it); returns the folder to run `go build` in. Fails, saying so, when the module no
 * longer has the line to patch.
 */
export async function patchedFerretdbSource(opts: { sourceDir: string; buildDir: string; env: NodeJS.ProcessEnv; log: Logger }): Promise<string> {
  // Downloads the module when the cache does not have it yet, and says where it is.
  const output = await run('go', ['mod', 'download', '-json', ferretdbModule], {
    cwd: opts.sourceDir,
    env: opts.env,
    log: opts.log,
    what: 'download the FerretDB module source',
  });
  const moduleDir = (JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1)) as { Dir?: string }).Dir;
  if (!moduleDir) throw new Error(`go mod download named no folder for ${ferretdbModule}:\n${output.slice(-2000)}`);
  const src = join(opts.buildDir, 'src');
  rmSync(src, { recursive: true, force: true });
  const patchedModule = join(src, 'ferretdb');
  cpSync(moduleDir, patchedModule, { recursive: true });
  replaceIn(moduleDir, patchedModule, metadataFile, unindexed, indexed);
  replaceIn(moduleDir, patchedModule, collectionFile, idOnlyWhere, pushdownWhere);
  cpSync(join(opts.sourceDir, pushdownSource), join(patchedModule, 'internal', 'backends', 'sqlite', 'flightdelay_pushdown.go'));
  replaceIn(moduleDir, patchedModule, countFile, countQuery, countFromStats);

  const main = join(src, 'main');
  // The main package only: the patch sources are not part of it.
  cpSync(opts.sourceDir, main, { recursive: true, filter: (from) => !from.includes(`${join(opts.sourceDir, 'patches')}`) });
  await run('go', ['mod', 'edit', `-replace=${ferretdbModule}=${patchedModule}`], {
    cwd: main,
    env: { ...opts.env, GOFLAGS: '' },
    log: opts.log,
    what: 'point the FerretDB build at the patched module',
  });
  return main;
}
