/**
 * Reads files of public data sets from local git snapshots of their repositories. The data are not
 * part of this repository: each set's repository is fetched (a bare git directory) into
 * `$PUBLIC_DATA_DIR/<owner>+<name>/repo` (default root /work/.mirror), and files are read at HEAD.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The root holding the snapshots (PUBLIC_DATA_DIR, default /work/.mirror). */
export function publicDataDir(): string {
  return process.env.PUBLIC_DATA_DIR || '/work/.mirror';
}

/** The git directory of a repository's snapshot (`owner/name`), whether or not it exists. */
export function snapshotDir(repo: string): string {
  const dir = join(publicDataDir(), repo.replace('/', '+'), 'repo');
  return existsSync(join(dir, '.git')) ? join(dir, '.git') : dir;
}

/** Why a file could not be read, phrased as what to do about it. */
export class MissingData extends Error {
  constructor(
    readonly repo: string,
    readonly path: string,
    reason: string,
  ) {
    super(`${repo}: ${path} ${reason}; fetch github:${repo} into ${join(publicDataDir(), repo.replace('/', '+'), 'repo')} (or set PUBLIC_DATA_DIR)`);
  }
}

/** The bytes of one file of a snapshot at HEAD; throws MissingData when the snapshot or the file is absent. */
export function readSnapshotBytes(repo: string, path: string): Buffer {
  const dir = snapshotDir(repo);
  if (!existsSync(dir)) throw new MissingData(repo, path, 'is not available: no snapshot');
  try {
    return execFileSync('git', ['--git-dir', dir, 'show', `HEAD:${path}`], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    throw new MissingData(repo, path, 'is not in the snapshot (absent or too large to have been fetched)');
  }
}

/** One file of a snapshot as text (gunzipped when its name ends in .gz). */
export function readSnapshotText(repo: string, path: string): string {
  const bytes = readSnapshotBytes(repo, path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** The paths of a snapshot's files under a folder (names only; the files themselves may be absent). */
export function listSnapshotFiles(repo: string, folder: string): string[] {
  const dir = snapshotDir(repo);
  if (!existsSync(dir)) throw new MissingData(repo, folder, 'is not available: no snapshot');
  const out = execFileSync('git', ['--git-dir', dir, 'ls-tree', '--name-only', `HEAD:${folder}`], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter(Boolean)
    .map((name) => `${folder}/${name}`);
}
