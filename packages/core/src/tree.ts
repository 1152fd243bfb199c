import { lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConflictError, GenError, UsageError } from './errors.js';

export type ChangeType = 'create' | 'update' | 'delete';

/** One staged file change, with both sides so it can be diffed, applied and undone. */
export interface FileChange {
  readonly path: string;
  readonly type: ChangeType;
  readonly before: string | null;
  readonly after: string | null;
}

export interface WriteOptions {
  /** Overwrite a file that exists with different content instead of refusing. */
  readonly force?: boolean;
}

/**
 * An in-memory view of a directory: reads fall through to disk, writes are staged.
 * Nothing touches the disk until the whole change set is applied (see applyChanges).
 */
export class Tree {
  readonly root: string;
  private readonly staged = new Map<string, string | null>();
  private readonly touched = new Set<string>();
  /** Paths created without --force: they may not replace different content. */
  private readonly guarded = new Set<string>();
  /** Files whose content is still being computed (see createLater). */
  private readonly pending: Promise<void>[] = [];

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Normalizes a path to POSIX form relative to the root and refuses anything outside it. */
  relative(filePath: string): string {
    const absolute = path.resolve(this.root, filePath);
    const relative = path.relative(this.root, absolute);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new UsageError(`refusing to write outside ${this.root}: ${filePath}`);
    }
    return relative.split(path.sep).join('/');
  }

  absolute(filePath: string): string {
    return path.join(this.root, this.relative(filePath));
  }

  read(filePath: string): string | null {
    const rel = this.relative(filePath);
    if (this.staged.has(rel)) return this.staged.get(rel) ?? null;
    return this.readFromDisk(rel);
  }

  exists(filePath: string): boolean {
    return this.read(filePath) !== null;
  }

  /**
   * Creates a file. If it exists on disk, identical final content is a no-op and different content
   * a conflict (unless forced); the check runs in assertNoConflicts(), after formatting, so it
   * compares what would really be written.
   */
  create(filePath: string, content: string, options: WriteOptions = {}): void {
    const rel = this.relative(filePath);
    if (options.force !== true) this.guarded.add(rel);
    this.stage(rel, content);
  }

  /**
   * Creates a file whose content another process is still computing (Prisma's migration diff), so
   * the generator and the formatter go on meanwhile. The file is staged once `content` resolves;
   * settle() waits for every such file and throws the first failure.
   */
  createLater(filePath: string, content: Promise<string>, options: WriteOptions = {}): void {
    this.relative(filePath);
    const staged = content.then((text) => {
      this.create(filePath, text, options);
    });
    // Handled by settle(); a run that fails before settling must not also report it as unhandled.
    staged.catch(() => undefined);
    this.pending.push(staged);
  }

  /** Waits until every createLater file is staged. */
  async settle(): Promise<void> {
    while (this.pending.length > 0) await Promise.all(this.pending.splice(0));
  }

  /** Throws for the first created file that would replace different content on disk. */
  assertNoConflicts(): void {
    for (const rel of [...this.guarded].sort()) {
      const before = this.readFromDisk(rel);
      const after = this.staged.get(rel) ?? null;
      if (before !== null && after !== null && before !== after) throw new ConflictError(rel);
    }
  }

  /** Replaces the content of a file the generator edits on purpose (e.g. app.ts). */
  overwrite(filePath: string, content: string): void {
    this.stage(this.relative(filePath), content);
  }

  delete(filePath: string): void {
    this.stage(this.relative(filePath), null);
  }

  /** Whether this run has staged a change to the path (created, overwritten or deleted it). */
  isStaged(filePath: string): boolean {
    return this.staged.has(this.relative(filePath));
  }

  /** Paths the generator wrote, whether or not their content changed. */
  touchedPaths(): string[] {
    return [...this.touched].sort();
  }

  /** The staged changes that differ from disk, sorted by path. */
  changes(): FileChange[] {
    const result: FileChange[] = [];
    for (const rel of [...this.staged.keys()].sort()) {
      const after = this.staged.get(rel) ?? null;
      const before = this.readFromDisk(rel);
      if (before === after) continue;
      const type: ChangeType = before === null ? 'create' : after === null ? 'delete' : 'update';
      result.push({ path: rel, type, before, after });
    }
    return result;
  }

  private stage(rel: string, content: string | null): void {
    assertNoSymlinkBelow(this.root, rel);
    this.staged.set(rel, content);
    this.touched.add(rel);
  }

  private readFromDisk(rel: string): string | null {
    const absolute = path.join(this.root, rel);
    try {
      if (!statSync(absolute).isFile()) {
        throw new GenError(`${rel} exists and is not a file`);
      }
      return readFileSync(absolute, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') {
        throw new GenError(`cannot create ${rel}: a parent path is a file`);
      }
      throw error;
    }
  }
}

/**
 * Refuses a root-relative path that goes through a symlink below `root`, checked component by
 * component with lstat. Conservative on purpose: no link is ever followed for a write or delete, even
 * one that stays inside; links above the root (a symlinked cwd, /tmp on macOS) are never looked at.
 */
export function assertNoSymlinkBelow(root: string, rel: string): void {
  let current = root;
  for (const segment of rel.split('/')) {
    current = path.join(current, segment);
    try {
      if (!lstatSync(current).isSymbolicLink()) continue;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw error;
    }
    const link = path.relative(root, current).split(path.sep).join('/');
    throw new UsageError(
      `refusing to change ${rel}: ${link} is a symlink (to ${readlinkSync(current)}) ` +
        'and files are never written or deleted through one',
    );
  }
}
