/**
 * Lets many Postgres clients share PGlite's single session without stepping on each other.
 *
 * PGlite is one Postgres backend. `PGLiteSocketServer` (pglite-socket 0.2.17) accepts several
 * connections and queues their messages into that backend one wire-protocol message at a time;
 * it keeps a connection's messages together only inside an explicit transaction block
 * (`BEGIN` ... `COMMIT`). Outside one, the extended-protocol messages of concurrent queries
 * (Parse, Bind, Execute, Sync; every parameterised query of `pg` and Prisma) interleave, and
 * clients get each other's unnamed statements and portals ("portal \"\" does not exist", or
 * worse, another client's rows).
 *
 * The gate sits in front of the socket server and forwards each client over its own upstream
 * connection, but lets only one client talk at a time: a client takes the backend with its first
 * message and keeps it until the backend reports ReadyForQuery with status idle, i.e. until its
 * query cycle (up to Sync, or a simple Query) and any transaction it opened are over. That is
 * the granularity of a transaction-pooling proxy such as PgBouncer, and it keeps each client's
 * protocol state intact.
 *
 * What stays shared, because it is one session: SET values, named prepared statements, temporary
 * tables, advisory locks, LISTEN. Prisma and the `pg` adapter use none of these across queries.
 */
import net from "node:net";

const SSL_REQUEST_CODE = 80877103;
const GSSENC_REQUEST_CODE = 80877104;
const CANCEL_REQUEST_CODE = 80877102;
/** Largest startup packet accepted (Postgres uses 10000 as well). */
const MAX_STARTUP_LENGTH = 10_000;

/** Messages after which the backend answers with ReadyForQuery: Sync, Query, FunctionCall. */
const CYCLE_END = new Set(["S", "Q", "F"]);
/** Client messages of COPY FROM STDIN, sent while a Query is still waiting for its ReadyForQuery. */
const COPY_IN_MESSAGES = new Set(["d", "c", "f"]);

export interface SessionGateOptions {
  /** Where PGLiteSocketServer listens. */
  upstreamHost: string;
  upstreamPort: number;
  /** Client connections accepted at once. */
  maxConnections: number;
  /**
   * A client holding the backend without a query in flight (idle in a transaction, or between
   * the messages of an extended query) is disconnected after this long, but only while other
   * clients wait: one forgotten `BEGIN` in a psql window would otherwise stall the app. 0: never.
   */
  idleHolderTimeoutMs: number;
}

/** Reassembles wire-protocol messages (type byte + int32 length) from socket chunks. */
class MessageFramer {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** Next complete typed message, or null. */
  next(): Buffer | null {
    if (this.buffer.length < 5) return null;
    const length = this.buffer.readInt32BE(1);
    if (length < 4) throw new Error(`invalid message length ${length}`);
    if (this.buffer.length < 1 + length) return null;
    const message = this.buffer.subarray(0, 1 + length);
    this.buffer = this.buffer.subarray(1 + length);
    return message;
  }

  /** Next complete untyped startup-phase packet (int32 length + int32 code), or null. */
  nextStartupPacket(): Buffer | null {
    if (this.buffer.length < 8) return null;
    const length = this.buffer.readInt32BE(0);
    if (length < 8 || length > MAX_STARTUP_LENGTH) {
      throw new Error(`invalid startup packet length ${length}`);
    }
    if (this.buffer.length < length) return null;
    const packet = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return packet;
  }
}

/** An ErrorResponse, for refusing a client in the protocol it understands. */
function errorResponse(severity: "FATAL" | "ERROR", sqlState: string, message: string): Buffer {
  return typedMessage(
    "E",
    Buffer.from(`S${severity}\0V${severity}\0C${sqlState}\0M${message}\0\0`, "utf8"),
  );
}

function typedMessage(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "ascii");
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

const SYNC = typedMessage("S");
const ROLLBACK = typedMessage("Q", Buffer.from("ROLLBACK\0", "utf8"));
const COPY_FAIL = typedMessage("f", Buffer.from("client disconnected\0", "utf8"));

type TxStatus = "I" | "T" | "E";

class GateConnection {
  private readonly upstream: net.Socket;
  private readonly fromClient = new MessageFramer();
  private readonly fromUpstream = new MessageFramer();
  private startupDone = false;
  /** Complete client messages not yet forwarded (waiting for the backend, or for a reply). */
  private readonly inbox: Buffer[] = [];
  /** Forwarded messages still waiting for their ReadyForQuery. */
  private pendingCycles = 0;
  private txStatus: TxStatus = "I";
  private copyIn = false;
  private gone = false;
  private upstreamClosed = false;
  /** Called when the last pending cycle ends after the client has gone (clean-up in progress). */
  private onSettled: (() => void) | null = null;

  constructor(
    private readonly gate: SessionGate,
    private readonly client: net.Socket,
    options: SessionGateOptions,
  ) {
    client.setNoDelay(true);
    this.upstream = net.connect({ host: options.upstreamHost, port: options.upstreamPort });
    this.upstream.setNoDelay(true);

    client.on("data", (chunk: Buffer) => this.onClientData(chunk));
    client.on("error", () => this.onClientGone());
    client.on("close", () => this.onClientGone());
    this.upstream.on("data", (chunk: Buffer) => this.onUpstreamData(chunk));
    this.upstream.on("error", () => this.onUpstreamClosed());
    this.upstream.on("close", () => this.onUpstreamClosed());
  }

  /** True when the connection holds the backend but has nothing in flight. */
  get idleWhileHolding(): boolean {
    return !this.gone && this.pendingCycles === 0 && this.inbox.length === 0;
  }

  get finished(): boolean {
    return this.gone && this.upstreamClosed;
  }

  /** Refuses the client with a FATAL error and disconnects it (timeouts, shutdown). */
  terminate(sqlState: string, message: string): void {
    if (this.gone) return;
    if (this.client.writable) this.client.write(errorResponse("FATAL", sqlState, message));
    this.client.end();
    this.client.destroy();
    this.onClientGone();
  }

  private onClientData(chunk: Buffer): void {
    if (this.gone) return;
    this.fromClient.push(chunk);
    try {
      while (!this.startupDone) {
        const packet = this.fromClient.nextStartupPacket();
        if (!packet) return;
        const code = packet.readInt32BE(4);
        if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
          // No TLS on a loopback-only server: "N" tells the client to go on in plain text.
          this.client.write("N");
        } else if (code === CANCEL_REQUEST_CODE) {
          // PGlite cannot interrupt a running query; the protocol expects no answer.
          this.client.destroy();
          this.onClientGone();
          return;
        } else {
          this.startupDone = true;
          this.inbox.push(packet);
          this.gate.request(this);
        }
      }
      for (let message = this.fromClient.next(); message; message = this.fromClient.next()) {
        if (message.toString("latin1", 0, 1) === "X") {
          // Terminate: the session is shared, so it is not passed on; the client just leaves.
          this.client.end();
          this.onClientGone();
          return;
        }
        this.inbox.push(message);
      }
    } catch (error) {
      this.terminate("08P01", `protocol violation: ${(error as Error).message}`);
      return;
    }
    if (this.inbox.length > 0) this.gate.request(this);
  }

  /** Forwards queued messages while this connection holds the backend. */
  pump(): void {
    while (this.gate.holder === this && this.inbox.length > 0) {
      const message = this.inbox[0]!;
      const type = this.startupPacket(message) ? "startup" : message.toString("latin1", 0, 1);
      // One cycle at a time: what the client sent after a Sync waits for that Sync's answer,
      // so the backend can be handed to someone else in between if the session is then idle.
      if (this.pendingCycles > 0 && !(this.copyIn && COPY_IN_MESSAGES.has(type))) break;
      this.inbox.shift();
      this.upstream.write(message);
      if (type === "startup" || CYCLE_END.has(type)) this.pendingCycles++;
    }
    this.gate.holderActivity(this);
  }

  private startupPacket(message: Buffer): boolean {
    // Typed messages start with an ASCII letter; a startup packet starts with its length,
    // whose first byte is 0 (packets are at most 10000 bytes).
    return message[0] === 0;
  }

  private onUpstreamData(chunk: Buffer): void {
    // Answers go to the client unchanged; they are only parsed to follow the session state.
    if (!this.gone && this.client.writable) this.client.write(chunk);
    this.fromUpstream.push(chunk);
    let message: Buffer | null;
    try {
      message = this.fromUpstream.next();
    } catch {
      this.upstream.destroy();
      return;
    }
    for (; message; message = this.fromUpstream.next()) {
      const type = message.toString("latin1", 0, 1);
      if (type === "G" || type === "W") {
        this.copyIn = true;
      } else if (type === "Z") {
        this.copyIn = false;
        this.txStatus = message.toString("latin1", 5, 6) as TxStatus;
        this.pendingCycles = Math.max(0, this.pendingCycles - 1);
        if (this.pendingCycles === 0) this.cycleDone();
      }
    }
    if (this.copyIn) this.pump();
  }

  private cycleDone(): void {
    if (this.gone) {
      const settled = this.onSettled;
      this.onSettled = null;
      settled?.();
      return;
    }
    if (this.txStatus === "I") {
      // Session idle: let the next client in; queued messages of ours wait for our next turn.
      this.gate.release(this);
      if (this.inbox.length > 0) this.gate.request(this);
    } else {
      this.pump();
    }
  }

  private onClientGone(): void {
    if (this.gone) return;
    this.gone = true;
    this.inbox.length = 0;
    this.gate.forget(this);
    if (this.gate.holder !== this) {
      this.closeUpstream();
      return;
    }
    if (this.upstreamClosed) {
      this.gate.release(this);
      return;
    }
    // The client may have left mid-cycle or inside a transaction. Finish both on its upstream
    // connection before handing the session on, so the next client starts from a clean state.
    const safety = setTimeout(() => this.finishCleanup(), 10_000);
    safety.unref();
    const rollbackIfNeeded = () => {
      if (this.txStatus !== "I") {
        this.onSettled = () => this.finishCleanup(safety);
        this.pendingCycles++;
        this.upstream.write(ROLLBACK);
      } else {
        this.finishCleanup(safety);
      }
    };
    if (!this.startupDone) {
      this.finishCleanup(safety);
      return;
    }
    if (this.copyIn) this.upstream.write(COPY_FAIL);
    this.onSettled = rollbackIfNeeded;
    this.pendingCycles++;
    this.upstream.write(SYNC);
  }

  private finishCleanup(safety?: NodeJS.Timeout): void {
    if (safety) clearTimeout(safety);
    this.onSettled = null;
    this.closeUpstream();
    this.gate.release(this);
  }

  private closeUpstream(): void {
    if (this.upstreamClosed) return;
    this.upstream.end();
  }

  private onUpstreamClosed(): void {
    if (this.upstreamClosed) return;
    this.upstreamClosed = true;
    this.upstream.destroy();
    if (!this.gone) {
      this.client.destroy();
      this.onClientGone();
    } else {
      this.gate.release(this);
    }
    this.gate.connectionFinished(this);
  }
}

/** TCP front of the embedded database; see the module comment. */
export class SessionGate {
  holder: GateConnection | null = null;
  private readonly waiting: GateConnection[] = [];
  private readonly connections = new Set<GateConnection>();
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly server: net.Server;
  private upstreamPort: number | null = null;
  private drained: (() => void) | null = null;

  constructor(private readonly options: Omit<SessionGateOptions, "upstreamPort">) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Listens on the public port. The upstream may be attached later ({@link attachUpstream}). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once("error", onError);
      this.server.listen(port, host, () => {
        this.server.off("error", onError);
        const address = this.server.address();
        resolve(typeof address === "object" && address ? address.port : port);
      });
    });
  }

  /**
   * Starts serving. Until then, clients that connect are held (their sockets are paused), so
   * the public port can be taken before PGlite finishes opening.
   */
  attachUpstream(port: number): void {
    this.upstreamPort = port;
    for (const socket of this.held.splice(0)) {
      this.accept(socket);
      socket.resume();
    }
  }

  private readonly held: net.Socket[] = [];

  private accept(socket: net.Socket): void {
    if (this.upstreamPort === null) {
      socket.pause();
      socket.on("error", () => socket.destroy());
      this.held.push(socket);
      return;
    }
    if (this.connections.size >= this.options.maxConnections) {
      socket.end(
        errorResponse("FATAL", "53300", "sorry, too many clients already (embedded database)"),
      );
      return;
    }
    const connection = new GateConnection(this, socket, {
      ...this.options,
      upstreamPort: this.upstreamPort,
    });
    this.connections.add(connection);
  }

  /** A connection has a message to send: give it the backend now or queue it. */
  request(connection: GateConnection): void {
    if (this.holder === connection) {
      connection.pump();
      return;
    }
    if (this.holder === null) {
      this.holder = connection;
      connection.pump();
      return;
    }
    if (!this.waiting.includes(connection)) this.waiting.push(connection);
    this.armIdleTimer();
  }

  release(connection: GateConnection): void {
    if (this.holder !== connection) return;
    this.holder = null;
    this.clearIdleTimer();
    const next = this.waiting.shift();
    if (next) {
      this.holder = next;
      next.pump();
    }
  }

  /** Drops a departed connection from the queue (it no longer needs the backend). */
  forget(connection: GateConnection): void {
    const index = this.waiting.indexOf(connection);
    if (index !== -1) this.waiting.splice(index, 1);
  }

  connectionFinished(connection: GateConnection): void {
    this.connections.delete(connection);
    this.forget(connection);
    if (this.connections.size === 0) this.drained?.();
  }

  /** Called after the holder forwarded what it had: restart or stop the idle-holder clock. */
  holderActivity(connection: GateConnection): void {
    if (this.holder !== connection) return;
    this.clearIdleTimer();
    this.armIdleTimer();
  }

  private armIdleTimer(): void {
    const holder = this.holder;
    const timeout = this.options.idleHolderTimeoutMs;
    if (!holder || timeout <= 0 || this.idleTimer || this.waiting.length === 0) return;
    if (!holder.idleWhileHolding) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.holder === holder && holder.idleWhileHolding && this.waiting.length > 0) {
        holder.terminate(
          "25P03",
          `terminating connection: it kept the embedded database busy (open transaction or ` +
            `unfinished query) for ${timeout} ms while other clients waited. The embedded ` +
            `database runs one transaction at a time.`,
        );
      }
    }, timeout);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /**
   * Stops accepting, disconnects every client (rolling back an open transaction of the one
   * holding the backend) and resolves once all upstream connections are closed.
   */
  async close(timeoutMs = 5_000): Promise<void> {
    this.clearIdleTimer();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.held.splice(0)) socket.destroy();
    if (this.connections.size > 0) {
      const drained = new Promise<void>((resolve) => {
        this.drained = resolve;
      });
      for (const connection of [...this.connections]) {
        connection.terminate("57P01", "terminating connection: the embedded database is stopping");
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        drained,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    await closed;
  }
}
