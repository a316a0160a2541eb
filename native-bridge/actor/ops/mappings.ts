/**
 * Shared memory this actor has attached (shmat) or mapped (mmap), so that
 * `write-memory` only ever touches a live, writable mapping of ours, and
 * shmdt/munmap can be asked for by shmid or address.
 */
import { OpArgError } from './op-types';

export interface Mapping {
  address: bigint;
  length: number;
  writable: boolean;
  /** "shm:<shmid>" or "posix_shm:/name" */
  object: string;
}

const mappings = new Map<bigint, Mapping>();

export function addMapping(m: Mapping): void {
  mappings.set(m.address, m);
}

export function removeMapping(address: bigint): void {
  mappings.delete(address);
}

export function findMapping(address: bigint): Mapping | undefined {
  return mappings.get(address);
}

/** The most recent mapping of `object`. */
export function latestMappingOf(object: string): Mapping | undefined {
  return [...mappings.values()].filter((m) => m.object === object).pop();
}

/** "0x7f..." (as ops return it) -> bigint. */
export function addressArg(args: Record<string, unknown>): bigint {
  const value = args.address;
  if (typeof value !== 'string' || !/^0x[0-9a-f]+$/i.test(value)) throw new OpArgError('argument "address" must be a hex string like "0x7f..."');
  return BigInt(value);
}

export function hexAddress(address: bigint): string {
  return `0x${address.toString(16)}`;
}
