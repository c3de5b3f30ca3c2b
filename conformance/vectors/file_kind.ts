/** What a path that is not a regular file is, for messages: one wording for the vector loader, explain and report writers. */
import type { Stats } from 'node:fs';

/** 'a directory', 'a FIFO', 'a character device', 'a block device', 'a socket' or 'not a regular file'. */
export function specialFileKind(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}
