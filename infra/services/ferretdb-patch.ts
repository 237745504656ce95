/**
 * One fix to FerretDB 1.24's SQLite backend, applied at build time to a copy of its module source (the
 * Go module cache stays untouched, and nothing of FerretDB's is kept in this repository).
 *
 * The backend queries a document by `_ferretdb_sjson->'$._id'` but indexes `_id` as
 * `_ferretdb_sjson->"_id"`. The two mean the same, yet SQLite uses an expression index only for the
 * same expression, so every lookup, update and delete by `_id` read the whole table: 37 ms per delete
 * at 20,000 documents, a second to find a result by its UUID among 100,000. Written `->'_id'`, they use
 * the unique index (EXPLAIN QUERY PLAN: SEARCH … USING INDEX instead of SCAN); a delete takes 0.45 ms.
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
export const FERRETDB_PATCH = 'id-index-1';

const ferretdbModule = 'github.com/FerretDB/FerretDB';
const metadataFile = join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go');
const unindexed = `IDColumn = DefaultColumn + "->'$._id'"`;
const indexed = `IDColumn = DefaultColumn + "->'_id'"`;

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
  const target = join(patchedModule, metadataFile);
  const source = readFileSync(target, 'utf8');
  if (!source.includes(unindexed)) {
    throw new Error(`${join(moduleDir, metadataFile)} has no line \`${unindexed}\` to patch: update infra/services/ferretdb-patch.ts for this FerretDB version`);
  }
  chmodSync(target, 0o644);
  writeFileSync(target, source.replace(unindexed, indexed));

  const main = join(src, 'main');
  cpSync(opts.sourceDir, main, { recursive: true });
  await run('go', ['mod', 'edit', `-replace=${ferretdbModule}=${patchedModule}`], {
    cwd: main,
    env: { ...opts.env, GOFLAGS: '' },
    log: opts.log,
    what: 'point the FerretDB build at the patched module',
  });
  return main;
}
