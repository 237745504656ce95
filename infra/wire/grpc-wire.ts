import type { ClientHttp2Session, IncomingHttpHeaders } from 'node:http2';

// ---- Unary gRPC over node:http2 (h2c), and the bits of protobuf the Temporal probe needs ----------

export interface GrpcReply {
  status: number;
  message: string;
  /** The response message without its 5-byte gRPC frame header. */
  body: Buffer;
}

/** One unary gRPC call over an HTTP/2 session (h2c): a length-prefixed protobuf in, status and message out. */
export function grpcUnary(session: ClientHttp2Session, path: string, request: Buffer): Promise<GrpcReply> {
  return new Promise((resolve, reject) => {
    const frame = Buffer.alloc(5 + request.length);
    frame.writeUInt32BE(request.length, 1); // byte 0 = 0: not compressed
    request.copy(frame, 5);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const chunks: Buffer[] = [];
    let status: string | undefined;
    let message = '';
    let httpStatus = 0;
    const take = (h: IncomingHttpHeaders): void => {
      const s = h['grpc-status'];
      const m = h['grpc-message'];
      if (typeof s === 'string') status = s;
      if (typeof m === 'string') message = decodeURIComponent(m);
    };
    stream.on('response', (headers) => {
      httpStatus = Number(headers[':status']);
      take(headers); // a trailers-only reply carries grpc-status in the headers
    });
    stream.on('trailers', (trailers: IncomingHttpHeaders) => take(trailers));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => {
      if (status === undefined) {
        reject(new Error(`${path}: no gRPC status in the reply (HTTP ${httpStatus || 'none'}); is this a Temporal frontend?`));
        return;
      }
      const data = Buffer.concat(chunks);
      resolve({ status: Number(status), message, body: data.length >= 5 ? data.subarray(5) : Buffer.alloc(0) });
    });
    stream.end(frame);
  });
}

function readVarint(buf: Buffer, pos: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated protobuf varint');
    const b = buf[pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, pos];
    shift += 7;
  }
}

function encodeVarint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

/** Protobuf: a length-delimited string field. */
export function stringField(field: number, value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([encodeVarint((field << 3) | 2), encodeVarint(bytes.length), bytes]);
}

/** Protobuf: the first string field with the given number in a message, if any. */
export function readStringField(buf: Buffer, field: number): string | undefined {
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    const wireType = tag & 7;
    pos = afterTag;
    if (wireType === 0) [, pos] = readVarint(buf, pos);
    else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else if (wireType === 2) {
      const [len, start] = readVarint(buf, pos);
      if (Math.floor(tag / 8) === field) return buf.subarray(start, start + len).toString('utf8');
      pos = start + len;
    } else throw new Error(`unexpected protobuf wire type ${wireType}`);
  }
  return undefined;
}
