import { ForestError, show } from './errors';

type NumericArray = Uint8Array | Int32Array | Uint32Array | Float64Array;
type NumericArrayClass<T extends NumericArray> = { new (length: number): T; readonly BYTES_PER_ELEMENT: number };

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reverses the bytes of each element, turning little-endian into host order and back. */
function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

/** A typed array as base64 of its little-endian bytes: compact, exact (float64 round-trips bit for bit). */
export function encodeArray(array: NumericArray): string {
  const bytes = new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength));
  if (!hostIsLittleEndian) swapBytes(bytes, array.BYTES_PER_ELEMENT);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes what encodeArray wrote; throws ForestError naming `field` when it is not such a string. */
export function decodeArray<T extends NumericArray>(value: unknown, Type: NumericArrayClass<T>, field: string): T {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !base64.test(value)) {
    throw new ForestError(field, `expected base64 of a ${Type.name}, got ${show(value)}`);
  }
  const raw = Buffer.from(value, 'base64');
  if (raw.length % Type.BYTES_PER_ELEMENT !== 0) {
    throw new ForestError(field, `${raw.length} bytes is not a whole number of ${Type.BYTES_PER_ELEMENT}-byte values`);
  }
  const out = new Type(raw.length / Type.BYTES_PER_ELEMENT);
  const bytes = new Uint8Array(out.buffer);
  bytes.set(raw);
  if (!hostIsLittleEndian) swapBytes(bytes, Type.BYTES_PER_ELEMENT);
  return out;
}
