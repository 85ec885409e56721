// A Suara server of a test's own: the built binary over a fresh SQLite file
// with the demo catalogue, on a free port, which the test may stop and start
// again (same port, same database) to play a server outage.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = process.env.SUARA_BIN ?? path.join(ROOT, 'target/debug/suara');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export class SuaraServer {
  private proc?: ChildProcess;
  /** Temporary directories to remove when the test is over. */
  private readonly scratch: string[] = [];
  /** The built site it serves; a test may point it at another "deployment". */
  siteRoot = path.join(ROOT, 'target/site');
  /** The rate limits `serve` is started with (`--rate-limit`): the defaults,
   * but for sign-in, which the whole suite does from one address far more
   * often than any office. A test may change them, then `restart`. */
  rateLimits = 'sign-in=300:60/min';
  private constructor(
    readonly port: number,
    readonly databaseUrl: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<SuaraServer> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'suara-e2e-own-'));
    const server = new SuaraServer(await freePort(), `sqlite://${dir}/suara.db`);
    server.scratch.push(dir);
    server.cli(['seed-demo', '--empty']);
    await server.start();
    return server;
  }

  cli(args: string[]): string {
    return execFileSync(BIN, args, {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: this.databaseUrl },
      encoding: 'utf8',
    });
  }

  async start(): Promise<void> {
    this.proc = spawn(
      BIN,
      ['serve', '--addr', `127.0.0.1:${this.port}`, '--site-root', this.siteRoot],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: this.databaseUrl, SUARA_RATE_LIMITS: this.rateLimits },
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 200; i++) {
      try {
        const r = await fetch(`${this.url}/healthz`);
        if (r.ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the server did not start');
  }

  /** Serves a new build: a copy of the site with one more file in `pkg/`. */
  async deployNewBuild(): Promise<void> {
    const site = mkdtempSync(path.join(os.tmpdir(), 'suara-site-'));
    this.scratch.push(site);
    cpSync(this.siteRoot, site, { recursive: true });
    writeFileSync(path.join(site, 'pkg', 'release-note.txt'), `build ${Date.now()}\n`);
    await this.stop();
    this.siteRoot = site;
    await this.start();
  }

  /** Stops the server and starts it again (same port, same database). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
    this.proc = undefined;
  }

  /** Stops the server and removes its database and files. */
  async dispose(): Promise<void> {
    await this.stop();
    for (const dir of this.scratch) rmSync(dir, { recursive: true, force: true });
  }

  /** Every response the server holds, from the JSON Lines export, in the order accepted. */
  async responses(): Promise<Record<string, unknown>[]> {
    const token = this.cli(['token', 'create', '--email', 'admin@suara.test']).trim();
    const r = await fetch(`${this.url}/api/v1/export?format=jsonl`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!r.ok) throw new Error(`export: HTTP ${r.status}`);
    return (await r.text())
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l));
  }

  /** The ids of every response the server holds. */
  async responseIds(): Promise<string[]> {
    return (await this.responses()).map((r) => String(r.id));
  }
}
