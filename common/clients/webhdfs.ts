import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Config } from '../config';
import { errorOf, remoteError, WebHdfsError, type HdfsFileStatus } from './webhdfs-answers';

// Longer than 250 lines on purpose: one class holds every WebHDFS operation the project uses, and they share
// the two-step write (NameNode, then DataNode) and the error mapping; cut apart, a reader would follow one call across files.

export { WebHdfsError, type HdfsFileStatus };

export type HdfsData = Buffer | Uint8Array | string;

export interface WebHdfsClientOptions {
  /** The NameNode's HTTP address, e.g. http://127.0.0.1:9870 (a trailing /webhdfs/v1 is accepted). */
  baseUrl: string;
  /** Sent as user.name (simple authentication). */
  user: string;
  /** Per HTTP request; default 60 s. */
  timeoutMs?: number;
}

type Query = Record<string, string | number | boolean | undefined>;

/**
 * A small client of the WebHDFS REST API (https://hadoop.apache.org/docs/stable/hadoop-project-dist/hadoop-hdfs/WebHDFS.html)
 * over fetch. Writes follow WebHDFS's two steps itself: the NameNode names a DataNode (noredirect=true,
 * or a 307 Location), and the bytes go there (over node:http, see send()). Paths are absolute HDFS
 * paths ("/a/b.json"). Errors are WebHdfsError, with WebHDFS's RemoteException and the path.
 * Holds no connections of its own, so there is nothing to close.
 */
export class WebHdfsClient {
  readonly baseUrl: string;
  readonly user: string;
  private readonly timeoutMs: number;

  constructor(options: WebHdfsClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/webhdfs\/v1$/, '');
    this.user = options.user;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** The client for the configured HDFS (WEBHDFS_URL, HDFS_USER). */
  static fromConfig(config: Pick<Config, 'hdfs'>): WebHdfsClient {
    return new WebHdfsClient({ baseUrl: config.hdfs.webhdfsUrl, user: config.hdfs.user });
  }

  /** Creates the folder and any missing parents; fine when it exists already. */
  async mkdirs(path: string, permission?: string): Promise<void> {
    const res = await this.call('PUT', 'MKDIRS', path, { permission });
    if ((await this.json<{ boolean: boolean }>(res, 'MKDIRS', path)).boolean !== true) {
      throw new WebHdfsError('MKDIRS', path, res.status, undefined, 'the NameNode answered false');
    }
  }

  /**
   * Writes a file, creating missing parent folders. With overwrite false (the default) an existing
   * file fails with FileAlreadyExistsException.
   */
  async create(
    path: string,
    data: HdfsData,
    options: { overwrite?: boolean; permission?: string; replication?: number; blockSize?: number } = {},
  ): Promise<void> {
    const location = await this.dataNodeLocation('PUT', 'CREATE', path, {
      overwrite: options.overwrite ?? false,
      permission: options.permission,
      replication: options.replication,
      blocksize: options.blockSize,
    });
    await this.send('PUT', 'CREATE', path, location, data);
  }

  /** Appends to an existing file. */
  async append(path: string, data: HdfsData): Promise<void> {
    const location = await this.dataNodeLocation('POST', 'APPEND', path, {});
    await this.send('POST', 'APPEND', path, location, data);
  }

  /** Reads a file (or `length` bytes of it from `offset`). */
  async open(path: string, options: { offset?: number; length?: number } = {}): Promise<Buffer> {
    // GET may follow the NameNode's 307 to the DataNode: nothing is re-sent.
    const res = await this.call('GET', 'OPEN', path, { offset: options.offset, length: options.length }, 'follow');
    return Buffer.from(await res.arrayBuffer());
  }

  /** Same as open(). */
  read(path: string, options: { offset?: number; length?: number } = {}): Promise<Buffer> {
    return this.open(path, options);
  }

  /** Reads a file as UTF-8 text. */
  async readText(path: string): Promise<string> {
    return (await this.open(path)).toString('utf8');
  }

  /** The entries of a folder (for a file: the file itself). */
  async listStatus(path: string): Promise<HdfsFileStatus[]> {
    const res = await this.call('GET', 'LISTSTATUS', path, {});
    return (await this.json<{ FileStatuses: { FileStatus: HdfsFileStatus[] } }>(res, 'LISTSTATUS', path)).FileStatuses
      .FileStatus;
  }

  /** The status of a file or folder, or undefined when there is none. */
  async getFileStatus(path: string): Promise<HdfsFileStatus | undefined> {
    try {
      const res = await this.call('GET', 'GETFILESTATUS', path, {});
      return (await this.json<{ FileStatus: HdfsFileStatus }>(res, 'GETFILESTATUS', path)).FileStatus;
    } catch (err) {
      if (err instanceof WebHdfsError && err.exception === 'FileNotFoundException') return undefined;
      throw err;
    }
  }

  async exists(path: string): Promise<boolean> {
    return (await this.getFileStatus(path)) !== undefined;
  }

  /**
   * Deletes a file or folder; a non-empty folder needs `recursive`. Resolves false when there was
   * nothing to delete.
   */
  async delete(path: string, options: { recursive?: boolean } = {}): Promise<boolean> {
    const res = await this.call('DELETE', 'DELETE', path, { recursive: options.recursive ?? false });
    return (await this.json<{ boolean: boolean }>(res, 'DELETE', path)).boolean;
  }

  /**
   * Moves `from` to `to` (an absolute path; into it when `to` is an existing folder). WebHDFS
   * answers a bare false when the source is missing, the destination's folder is missing or the
   * destination file exists: that is thrown as an error naming both paths.
   */
  async rename(from: string, to: string): Promise<void> {
    checkPath(to, 'RENAME');
    const res = await this.call('PUT', 'RENAME', from, { destination: to });
    if ((await this.json<{ boolean: boolean }>(res, 'RENAME', from)).boolean !== true) {
      throw new WebHdfsError(
        'RENAME',
        from,
        res.status,
        undefined,
        `the NameNode refused to rename it to ${to} (source missing, destination folder missing, or destination exists)`,
      );
    }
  }

  // --- plumbing -------------------------------------------------------------------------------

  private url(op: string, path: string, query: Query): string {
    checkPath(path, op);
    const encoded = path
      .split('/')
      .map((segment) => encodeURIComponent(segment))
      .join('/');
    const params = new URLSearchParams({ op, 'user.name': this.user });
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    return `${this.baseUrl}/webhdfs/v1${encoded}?${params.toString()}`;
  }

  /** One request to the NameNode; resolves with a 2xx response (or a 307 when redirects are manual). */
  private async call(
    method: string,
    op: string,
    path: string,
    query: Query,
    redirect: 'manual' | 'follow' = 'manual',
  ): Promise<Response> {
    const res = await this.fetch(this.url(op, path, query), { method, redirect }, op, path);
    if (res.ok || (redirect === 'manual' && res.status === 307)) return res;
    throw await errorOf(res, op, path);
  }

  /** Step one of CREATE/APPEND: the DataNode URL the NameNode assigns for the bytes. */
  private async dataNodeLocation(method: 'PUT' | 'POST', op: string, path: string, query: Query): Promise<string> {
    const res = await this.call(method, op, path, { ...query, noredirect: true });
    let location: string | undefined;
    if (res.status === 307) {
      location = res.headers.get('location') ?? undefined;
      await res.body?.cancel();
    } else {
      location = (await this.json<{ Location?: string }>(res, op, path)).Location;
    }
    if (!location) throw new WebHdfsError(op, path, res.status, undefined, 'the NameNode named no DataNode to write to');
    return location;
  }

  /**
   * Step two of CREATE/APPEND: the bytes to the DataNode. Over node:http rather than fetch: the
   * DataNode answers every PUT/POST with an unasked-for "100 Continue" before its real answer, which
   * fetch (undici) rejects as a bad response while node:http skips it.
   */
  private async send(method: 'PUT' | 'POST', op: string, path: string, location: string, data: HdfsData): Promise<void> {
    const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const url = new URL(location);
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method,
          headers: { 'content-type': 'application/octet-stream', 'content-length': body.byteLength },
          timeout: this.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    }).catch((err: NodeJS.ErrnoException) => {
      throw new WebHdfsError(
        op,
        path,
        0,
        undefined,
        `cannot reach the DataNode at ${url.origin} (${err.code ?? err.message}), which the NameNode named for the data. ` +
          "Check that the DataNode runs ('npm run stack -- status hdfs') and that its address is reachable from here.",
        { cause: err },
      );
    });
    if (res.status < 200 || res.status > 299) throw remoteError(res.status, res.text, op, path);
  }

  private async fetch(url: string, init: RequestInit, op: string, path: string): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const e = err as Error & { cause?: NodeJS.ErrnoException };
      const reason = e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
      const where = new URL(url).origin;
      throw new WebHdfsError(
        op,
        path,
        0,
        undefined,
        `cannot reach ${where} (${reason}). Start the local HDFS with 'npm run stack -- up hdfs', or point WEBHDFS_URL at a running NameNode.`,
        { cause: err },
      );
    }
  }

  private async json<T>(res: Response, op: string, path: string): Promise<T> {
    const text = await res.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new WebHdfsError(op, path, res.status, undefined, `expected JSON, got: ${text.slice(0, 200)}`);
    }
  }
}

function checkPath(path: string, op: string): void {
  if (!path.startsWith('/')) throw new WebHdfsError(op, path, 0, undefined, 'HDFS paths must be absolute (start with /)');
}
