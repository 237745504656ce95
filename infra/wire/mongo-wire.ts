import { tcpExchange } from '../probes';
import type { ProbeResult } from '../services/service';

// ---- The probe: one OP_MSG `hello` with a hand-written BSON document, and a reader of the reply. ----

const OP_MSG = 2013;
const BSON_DOUBLE = 0x01;
const BSON_STRING = 0x02;
const BSON_BOOL = 0x08;
const BSON_INT32 = 0x10;
const BSON_INT64 = 0x12;

const cstring = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
};

/** BSON of a flat document of int32 and string values. */
function bsonDocument(fields: [string, number | string][]): Buffer {
  const elements = fields.map(([key, value]) => {
    if (typeof value === 'number') return Buffer.concat([Buffer.from([BSON_INT32]), cstring(key), int32(value)]);
    const str = cstring(value);
    return Buffer.concat([Buffer.from([BSON_STRING]), cstring(key), int32(str.length), str]);
  });
  const body = Buffer.concat([...elements, Buffer.from([0])]);
  return Buffer.concat([int32(body.length + 4), body]);
}

/** OP_MSG: header (length, requestID, responseTo, opCode), flagBits, one kind-0 section holding the command. */
export function opMsg(requestId: number, command: Buffer): Buffer {
  const body = Buffer.concat([int32(0), Buffer.from([0]), command]);
  return Buffer.concat([int32(16 + body.length), int32(requestId), int32(0), int32(OP_MSG), body]);
}

export type BsonScalar = number | string | boolean | bigint | null;

/**
 * The top-level fields of a BSON document whose values are numbers, strings or booleans; other
 * values are skipped (and read as null). Throws on a malformed document.
 */
export function readTopLevel(doc: Buffer): Map<string, BsonScalar> {
  const out = new Map<string, BsonScalar>();
  const end = doc.readInt32LE(0);
  if (end > doc.length || end < 5) throw new Error('malformed BSON: bad length');
  let i = 4;
  while (i < end - 1) {
    const type = doc[i]!;
    const keyEnd = doc.indexOf(0, i + 1);
    if (keyEnd < 0 || keyEnd >= end) throw new Error('malformed BSON: unterminated key');
    const key = doc.toString('utf8', i + 1, keyEnd);
    i = keyEnd + 1;
    let value: BsonScalar = null;
    let size: number;
    switch (type) {
      case BSON_DOUBLE:
        value = doc.readDoubleLE(i);
        size = 8;
        break;
      case BSON_STRING:
      case 0x0d: // JavaScript code
      case 0x0e: // symbol
        size = 4 + doc.readInt32LE(i);
        value = doc.toString('utf8', i + 4, i + size - 1);
        break;
      case 0x03: // document
      case 0x04: // array
      case 0x0f: // code with scope
        size = doc.readInt32LE(i);
        break;
      case 0x05: // binary
        size = 5 + doc.readInt32LE(i);
        break;
      case 0x06: // undefined
      case 0x0a: // null
      case 0x7f: // max key
      case 0xff: // min key
        size = 0;
        break;
      case 0x07: // ObjectId
        size = 12;
        break;
      case BSON_BOOL:
        value = doc[i] === 1;
        size = 1;
        break;
      case 0x09: // UTC datetime
      case 0x11: // timestamp
        size = 8;
        break;
      case 0x0b: {
        // regex: two cstrings
        const patternEnd = doc.indexOf(0, i);
        size = doc.indexOf(0, patternEnd + 1) + 1 - i;
        break;
      }
      case 0x0c: // DBPointer
        size = 4 + doc.readInt32LE(i) + 12;
        break;
      case BSON_INT32:
        value = doc.readInt32LE(i);
        size = 4;
        break;
      case BSON_INT64:
        value = doc.readBigInt64LE(i);
        size = 8;
        break;
      case 0x13: // decimal128
        size = 16;
        break;
      default:
        throw new Error(`malformed BSON: unknown type 0x${type.toString(16)} at ${key}`);
    }
    if (size < 0 || i + size > end) throw new Error(`malformed BSON: field ${key} overruns the document`);
    out.set(key, value);
    i += size;
  }
  return out;
}

/** Resolves once `received` holds one whole wire-protocol message. */
const wholeMessage = (received: Buffer): boolean => received.length >= 4 && received.length >= received.readInt32LE(0);

/**
 * Sends {hello: 1, $db: "admin"} and checks that the reply is an OP_MSG answering it. Resolves with the
 * top-level fields of the reply, or with a failed probe result when the reply is not such an answer.
 */
export async function helloExchange(hostPort: string): Promise<Map<string, BsonScalar> | ProbeResult> {
  const requestId = Math.floor(Math.random() * 0x7fffffff);
  const request = opMsg(requestId, bsonDocument([['hello', 1], ['$db', 'admin']]));
  const reply = await tcpExchange(hostPort, request, wholeMessage);
  if (reply.length < 21) return { ok: false, detail: `${hostPort} sent a short reply: not a MongoDB server?` };
  const opCode = reply.readInt32LE(12);
  if (opCode !== OP_MSG) return { ok: false, detail: `${hostPort} answered with opCode ${opCode}, not OP_MSG: not a MongoDB server?` };
  if (reply.readInt32LE(8) !== requestId) return { ok: false, detail: `${hostPort} answered another request` };
  if (reply[20] !== 0) return { ok: false, detail: `${hostPort} replied without a body section` };
  return readTopLevel(reply.subarray(21, reply.readInt32LE(0)));
}
