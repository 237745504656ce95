/** What WebHDFS answers besides the data: file statuses, and its failures as WebHdfsError. */

/** One entry of GETFILESTATUS / LISTSTATUS, as WebHDFS sends it. */
export interface HdfsFileStatus {
  /** The entry's name inside the listed folder; empty for GETFILESTATUS. */
  pathSuffix: string;
  type: 'FILE' | 'DIRECTORY' | 'SYMLINK';
  /** Bytes; 0 for folders. */
  length: number;
  owner: string;
  group: string;
  /** Octal, e.g. "755". */
  permission: string;
  /** Milliseconds since the epoch. */
  modificationTime: number;
  accessTime: number;
  replication: number;
  blockSize: number;
  childrenNum?: number;
  fileId?: number;
  storagePolicy?: number;
}

/** A failed WebHDFS call: the server's RemoteException (exception, message) and the path it was about. */
export class WebHdfsError extends Error {
  override readonly name = 'WebHdfsError';

  constructor(
    /** The WebHDFS operation, e.g. "CREATE". */
    readonly op: string,
    /** The HDFS path of the call. */
    readonly path: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** Short Java exception name from RemoteException, e.g. "FileNotFoundException". */
    readonly exception: string | undefined,
    /** The server's message, or what went wrong on the way there. */
    readonly remoteMessage: string,
    options?: { cause?: unknown },
  ) {
    super(
      `WebHDFS ${op} ${path} failed: ${exception ? `${exception}: ` : ''}${remoteMessage}` +
        (status ? ` (HTTP ${status})` : ''),
      options,
    );
  }
}

/** The WebHdfsError for a non-2xx answer, with WebHDFS's RemoteException when the body carries one. */
export async function errorOf(res: Response, op: string, path: string): Promise<WebHdfsError> {
  return remoteError(res.status, await res.text().catch(() => ''), op, path);
}

export function remoteError(status: number, text: string, op: string, path: string): WebHdfsError {
  try {
    const remote = (JSON.parse(text) as { RemoteException?: { exception?: string; message?: string } }).RemoteException;
    if (remote) return new WebHdfsError(op, path, status, remote.exception, remote.message ?? '(no message)');
  } catch {
    /* not JSON: fall through */
  }
  return new WebHdfsError(op, path, status, undefined, text.trim().slice(0, 300) || `HTTP ${status}`);
}
