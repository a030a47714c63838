/**
 * Uploads between their preview and their confirmation: the checked bytes wait under
 * `<out>/portal/staging/<id>/`, known by a random id and tied to the department that sent them,
 * so what is confirmed is exactly what was previewed. Unconfirmed uploads expire.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StagedFile {
  readonly name: string;
  readonly path: string;
  readonly size: number;
}

export interface StagedUpload {
  readonly id: string;
  readonly department: string;
  readonly files: readonly StagedFile[];
  readonly createdAt: number;
}

export class UploadStaging {
  readonly #root: string;
  readonly #ttlMs: number;
  readonly #uploads = new Map<string, StagedUpload>();

  constructor(root: string, opts: { ttlMs?: number } = {}) {
    this.#root = root;
    this.#ttlMs = opts.ttlMs ?? 60 * 60_000;
  }

  /** Forgets whatever an earlier process left behind. */
  async reset(): Promise<void> {
    await rm(this.#root, { recursive: true, force: true });
    await mkdir(this.#root, { recursive: true });
  }

  async stage(department: string, files: readonly { name: string; bytes: Uint8Array }[]): Promise<StagedUpload> {
    await this.sweep();
    const id = randomBytes(16).toString('hex');
    const dir = join(this.#root, id);
    await mkdir(dir, { recursive: true });
    const staged: StagedFile[] = [];
    for (const f of files) {
      const path = join(dir, f.name);
      const tmp = join(dir, `.${randomBytes(6).toString('hex')}.part`);
      await writeFile(tmp, f.bytes);
      await rename(tmp, path);
      staged.push({ name: f.name, path, size: f.bytes.byteLength });
    }
    const upload: StagedUpload = { id, department, files: staged, createdAt: Date.now() };
    this.#uploads.set(id, upload);
    return upload;
  }

  /** The upload of that id, only for the department that sent it. */
  get(department: string, id: string): StagedUpload | undefined {
    const u = this.#uploads.get(id);
    return u !== undefined && u.department === department && Date.now() - u.createdAt < this.#ttlMs ? u : undefined;
  }

  async discard(id: string): Promise<void> {
    this.#uploads.delete(id);
    await rm(join(this.#root, id), { recursive: true, force: true });
  }

  async sweep(): Promise<void> {
    const now = Date.now();
    for (const u of [...this.#uploads.values()]) if (now - u.createdAt >= this.#ttlMs) await this.discard(u.id);
  }
}
