/**
 * The `file` sink for dry runs: one JSON line `{"kind","fqn","body"}` per upsert, appended to
 * `sink.config.filename`. Appending (never truncating) lets the discover step and every shard of one
 * local run share the file; delete it for a fresh dry run. An FQN already in the file (or written
 * earlier by this sink) counts as `updated`, like a second run against a server. Concurrent upserts
 * are safe: lines go through one write stream, in call order. It cannot list, so mark-deleted is
 * skipped with a message.
 */
import { constants, createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../util/logger.js';
import type { UpsertRequest } from '../model/entities.js';
import { SinkError, type Sink, type UpsertResult } from './contract.js';
import { NEWEST_DIALECT, toDialect } from './dialect.js';
import { makeDirectories } from '../util/make-directories.js';

export interface FileSinkOptions {
  /** `sink.config.filename`, relative to the working directory. */
  readonly filename: string;
  readonly logger: Logger;
}

export class FileSink implements Sink {
  private readonly path: string;
  private readonly seen = new Set<string>();
  private stream?: WriteStream;
  private opening?: Promise<WriteStream>;
  private failure?: Error;
  private lines = 0;
  /** One pending 'drain' wait shared by every upsert that hit backpressure. */
  private drained?: Promise<void>;

  constructor(private readonly options: FileSinkOptions) {
    this.path = resolve(options.filename);
  }

  /**
   * That the file can be written, without creating it: a run that fails before its first upsert (a
   * bad hostPort, an unreachable source) leaves no file behind. Its folder is made, as before.
   */
  async check(): Promise<void> {
    try {
      await makeDirectories(dirname(this.path));
      const info = await stat(this.path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (info?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      await access(info ? this.path : dirname(this.path), constants.W_OK);
    } catch (error) {
      throw this.writeError(error as Error);
    }
  }

  async upsert(request: UpsertRequest): Promise<UpsertResult> {
    const stream = await this.open();
    const key = `${request.kind}\0${request.fqn}`;
    const result: UpsertResult = this.seen.has(key) ? 'updated' : 'created';
    this.seen.add(key);
    // No server, no version: bodies are written in the newest dialect (what a current server takes).
    const body = toDialect(NEWEST_DIALECT, request).body;
    const line = JSON.stringify({ kind: request.kind, fqn: request.fqn, body }) + '\n';
    if (this.failure) throw this.writeError(this.failure);
    this.lines++;
    if (!stream.write(line)) {
      // A stream that fails (ENOSPC on /dev/full, EPIPE) never drains: stop waiting on error too.
      this.drained ??= new Promise<void>((r) => {
        const done = () => {
          stream.off('drain', done);
          stream.off('error', done);
          stream.off('close', done);
          this.drained = undefined;
          r();
        };
        stream.once('drain', done);
        stream.once('error', done);
        stream.once('close', done);
      });
      await this.drained;
    }
    if (this.failure) throw this.writeError(this.failure);
    return result;
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = undefined;
    this.opening = undefined;
    if (this.failure) {
      stream.destroy();
      throw this.writeError(this.failure);
    }
    await new Promise<void>((resolveEnd) => {
      stream.once('error', () => resolveEnd());
      stream.once('close', () => resolveEnd());
      stream.end();
    });
    if (this.failure) throw this.writeError(this.failure);
    // A run that stopped before its first upsert (the source was unreachable, say) should not end on
    // a cheerful "Wrote 0 request(s)" line right above its error.
    const log = this.lines > 0 ? this.options.logger.info : this.options.logger.debug;
    log.call(this.options.logger, `Wrote ${this.lines} request(s) to ${this.options.filename}`);
  }

  private open(): Promise<WriteStream> {
    this.opening ??= this.doOpen();
    return this.opening;
  }

  private async doOpen(): Promise<WriteStream> {
    try {
      await makeDirectories(dirname(this.path));
      // Read back only a regular file: /dev/stdout piped to another program, a FIFO or a device
      // would block the read (and SIGTERM with it) or never end.
      const info = await stat(this.path).catch(() => undefined);
      if (info?.isFile()) await this.loadSeen();
      const stream = createWriteStream(this.path, { flags: 'a' });
      await new Promise<void>((ok, fail) => {
        stream.once('open', () => ok());
        stream.once('error', fail);
      });
      stream.on('error', (error) => {
        this.failure = error;
      });
      this.stream = stream;
      return stream;
    } catch (error) {
      this.opening = undefined;
      throw this.writeError(error as Error);
    }
  }

  /** FQNs already in the file, so a re-run reports updates, not creations. */
  private async loadSeen(): Promise<void> {
    const lines = createInterface({ input: createReadStream(this.path, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      try {
        const { kind, fqn } = JSON.parse(line) as { kind?: unknown; fqn?: unknown };
        if (typeof kind === 'string' && typeof fqn === 'string') this.seen.add(`${kind}\0${fqn}`);
      } catch {
        // A line we did not write (or a torn last line after a crash): ignore it, keep appending.
      }
    }
  }

  private writeError(error: Error): SinkError {
    const code = (error as NodeJS.ErrnoException).code ?? error.message;
    const why =
      code === 'ENOSPC'
        ? ', no space left on the device'
        : code === 'EISDIR'
          ? ', it is a directory'
          : code === 'ENXIO'
            ? ', a socket or device that cannot be opened for writing'
            : '';
    return new SinkError(
      `Cannot write the file sink's file ${this.options.filename} (${code}${why}): set sink.config.filename to a writable path.`,
      'unreachable',
    );
  }
}
