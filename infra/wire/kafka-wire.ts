// ---- The Kafka wire protocol over node:net, as much of it as the probe needs ----------------------

const API_METADATA = 3;
const API_VERSIONS = 18;
const PROBE_CLIENT_ID = 'flight-delay-stack-probe';

/** A request frame: size, then header v1 (api key, version, correlation id, client id), then the body. */
function requestFrame(apiKey: number, apiVersion: number, correlationId: number, body: Buffer): Buffer {
  const clientId = Buffer.from(PROBE_CLIENT_ID, 'utf8');
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + clientId.length + body.length);
  return Buffer.concat([size, header, clientId, body]);
}

/** Splits the bytes received into complete size-prefixed frames. */
export function frames(received: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (received.length - at >= 4) {
    const size = received.readInt32BE(at);
    if (received.length - at - 4 < size) break;
    out.push(received.subarray(at + 4, at + 4 + size));
    at += 4 + size;
  }
  return out;
}

/** A minimal big-endian reader that fails with a clear message on a short or malformed reply. */
class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  private need(n: number): void {
    if (this.at + n > this.buf.length) throw new Error('truncated Kafka response');
  }
  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.at);
    this.at += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
  string(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    this.need(len);
    const s = this.buf.toString('utf8', this.at, this.at + len);
    this.at += len;
    return s;
  }
}

/** An ApiVersions v0 request frame (empty body). */
export function apiVersionsRequest(correlationId: number): Buffer {
  return requestFrame(API_VERSIONS, 0, correlationId, Buffer.alloc(0));
}

/** A Metadata v1 request frame asking for no topics. */
export function metadataRequest(correlationId: number): Buffer {
  return requestFrame(API_METADATA, 1, correlationId, Buffer.from([0, 0, 0, 0])); // topics: empty array = none
}

export type ApiVersionsResponse =
  | { kind: 'other-correlation'; correlationId: number }
  | { kind: 'error'; errorCode: number }
  | { kind: 'ok'; apiCount: number };

/**
 * Reads an ApiVersions v0 response only as far as needed: reading stops at a correlation id other
 * than `expectedCorrelationId`, and at a non-zero error code. Throws on a truncated response.
 */
export function parseApiVersionsResponse(frame: Buffer, expectedCorrelationId: number): ApiVersionsResponse {
  const versions = new Reader(frame);
  const correlationId = versions.int32();
  if (correlationId !== expectedCorrelationId) return { kind: 'other-correlation', correlationId };
  const errorCode = versions.int16();
  if (errorCode !== 0) return { kind: 'error', errorCode };
  return { kind: 'ok', apiCount: versions.int32() };
}

export interface MetadataBroker {
  id: number;
  host: string;
  port: number;
}

export type MetadataResponse =
  | { kind: 'other-correlation'; correlationId: number }
  | { kind: 'ok'; brokers: MetadataBroker[]; controllerId: number };

/**
 * Reads a Metadata v1 response (brokers and controller id) only as far as needed: reading stops at a
 * correlation id other than `expectedCorrelationId`. Throws on a truncated response.
 */
export function parseMetadataResponse(frame: Buffer, expectedCorrelationId: number): MetadataResponse {
  const metadata = new Reader(frame);
  const correlationId = metadata.int32();
  if (correlationId !== expectedCorrelationId) return { kind: 'other-correlation', correlationId };
  const brokers: MetadataBroker[] = [];
  const brokerCount = metadata.int32();
  for (let i = 0; i < brokerCount; i++) {
    const id = metadata.int32();
    const host = metadata.string() ?? '';
    const port = metadata.int32();
    metadata.string(); // rack
    brokers.push({ id, host, port });
  }
  const controllerId = metadata.int32();
  return { kind: 'ok', brokers, controllerId };
}
