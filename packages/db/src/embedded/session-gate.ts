/**
 * Lets many Postgres clients share PGlite's single session without stepping on each other.
 *
 * PGlite is one Postgres backend. `PGLiteSocketServer` (pglite-socket 0.2.17) accepts several
 * connections and queues their messages into that backend one wire-protocol message at a time;
 * it keeps a connection's messages together only inside an explicit transaction block
 * (`BEGIN` ... `COMMIT`). Outside one, the extended-protocol messages of concurrent queries
 * (Parse, Bind, Execute, Sync: every parameterised query of `pg` and Prisma) interleave, and
 * clients get each other's unnamed statements and portals ("portal \"\" does not exist", or
 * another client's rows).
 *
 * The gate sits in front of the socket server and forwards each client over its own upstream
 * connection, but lets only one client talk at a time:
 *
 * - Turns. A client takes the backend with its first message and keeps it until the backend
 *   reports ReadyForQuery with status idle, i.e. until its query cycle (up to Sync, or a simple
 *   Query) and any transaction it opened are over: the granularity of a transaction-pooling
 *   proxy such as PgBouncer. A client that leaves mid-cycle or mid-transaction is synced and
 *   rolled back on its upstream connection before the next client gets its turn.
 * - Startup. The gate answers the startup handshake itself (PGlite ignores startup parameters
 *   and its session is already running), so connecting never waits for another client's
 *   transaction.
 * - Settings. Postgres reports some settings to the client (ParameterStatus: search_path,
 *   TimeZone, DateStyle, application_name, ...). The gate remembers each client's values,
 *   including those given at startup (`options=-c search_path=...`), and restores them at the
 *   start of the client's turn when another client changed them meanwhile.
 * - Named prepared statements get a per-connection prefix, so two clients (or two processes)
 *   may both prepare "s1"; a departed client's statements are closed at the next turn.
 *
 * Still shared, because it is one session: settings Postgres does not report (statement_timeout,
 * work_mem, ...), SQL-level PREPARE, temporary tables, session advisory locks, LISTEN/NOTIFY,
 * sequences' currval. Prisma and the `pg` adapter rely on none of these across queries.
 */
import net from "node:net";

const PROTOCOL_3 = 3;
const SSL_REQUEST_CODE = 80877103;
const GSSENC_REQUEST_CODE = 80877104;
const CANCEL_REQUEST_CODE = 80877102;
/** Largest startup packet accepted (the Postgres limit too). */
const MAX_STARTUP_LENGTH = 10_000;

/** Messages after which the backend answers with ReadyForQuery: Sync, Query, FunctionCall. */
const CYCLE_END = new Set(["S", "Q", "F"]);
/** Client messages of COPY FROM STDIN, sent while a Query is still waiting for its ReadyForQuery. */
const COPY_IN_MESSAGES = new Set(["d", "c", "f"]);

/**
 * Reported settings a client may change and gets back at its next turn, by lower-case name
 * (startup parameters are case-insensitive) with the spelling the backend reports.
 */
const RESTORED_SETTINGS = new Map(
  [
    "search_path",
    "TimeZone",
    "DateStyle",
    "IntervalStyle",
    "application_name",
    "client_encoding",
    "standard_conforming_strings",
    "default_transaction_read_only",
  ].map((name) => [name.toLowerCase(), name]),
);
const RESTORED_NAMES = new Set(RESTORED_SETTINGS.values());

export interface SessionGateOptions {
  /** Where PGLiteSocketServer listens. */
  upstreamHost: string;
  /** Client connections accepted at once. */
  maxConnections: number;
  /**
   * A client holding the backend without a query in flight (idle in a transaction, or between
   * the messages of an extended query) is disconnected after this long, but only while other
   * clients wait: one forgotten `BEGIN` in a psql window would otherwise stall the app. 0: never.
   */
  idleHolderTimeoutMs: number;
}

// ---------------------------------------------------------------------------------------------
// Wire-protocol helpers
// ---------------------------------------------------------------------------------------------

/** Reassembles wire-protocol messages from socket chunks. */
class MessageFramer {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** Next complete typed message (type byte + int32 length), or null. */
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

function typedMessage(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, "utf8");
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

/** Reads NUL-terminated strings from a message body. */
class CStringReader {
  constructor(
    private readonly buffer: Buffer,
    public offset: number,
  ) {}

  read(): string {
    const end = this.buffer.indexOf(0, this.offset);
    if (end === -1) throw new Error("unterminated string in message");
    const text = this.buffer.toString("utf8", this.offset, end);
    this.offset = end + 1;
    return text;
  }

  rest(): Buffer {
    return this.buffer.subarray(this.offset);
  }
}

function errorResponse(severity: "FATAL" | "ERROR", sqlState: string, message: string): Buffer {
  return typedMessage(
    "E",
    cstring(`S${severity}`),
    cstring(`V${severity}`),
    cstring(`C${sqlState}`),
    cstring(`M${message}`),
    Buffer.from([0]),
  );
}

function parameterStatus(name: string, value: string): Buffer {
  return typedMessage("S", cstring(name), cstring(value));
}

function parseParameterStatus(message: Buffer): [string, string] {
  const reader = new CStringReader(message, 5);
  return [reader.read(), reader.read()];
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const SYNC = typedMessage("S");
const ROLLBACK = typedMessage("Q", cstring("ROLLBACK"));
const COPY_FAIL = typedMessage("f", cstring("client disconnected"));
const AUTHENTICATION_OK = typedMessage("R", int32(0));
const READY_IDLE = typedMessage("Z", Buffer.from("I", "latin1"));

/**
 * Settings asked for in a startup packet: parameters named like a restored setting, and
 * `-c name=value` / `--name=value` in `options` (backslash escapes a space, as in libpq).
 */
function startupSettings(packet: Buffer): Map<string, string> {
  const reader = new CStringReader(packet, 8);
  const settings = new Map<string, string>();
  const take = (name: string, value: string) => {
    const canonical = RESTORED_SETTINGS.get(name.toLowerCase());
    if (canonical) settings.set(canonical, value);
  };
  while (reader.offset < packet.length - 1) {
    const key = reader.read();
    if (key === "") break;
    const value = reader.read();
    if (key === "options") {
      const words = value.match(/(?:\\.|[^\s\\])+/g) ?? [];
      const unescaped = words.map((word) => word.replace(/\\(.)/g, "$1"));
      for (let i = 0; i < unescaped.length; i++) {
        let assignment: string | undefined;
        if (unescaped[i] === "-c") assignment = unescaped[++i];
        else if (unescaped[i]!.startsWith("-c")) assignment = unescaped[i]!.slice(2);
        else if (unescaped[i]!.startsWith("--")) assignment = unescaped[i]!.slice(2);
        const eq = assignment?.indexOf("=") ?? -1;
        if (assignment && eq > 0) take(assignment.slice(0, eq).replaceAll("-", "_"), assignment.slice(eq + 1));
      }
    } else {
      take(key, value);
    }
  }
  return settings;
}

// ---------------------------------------------------------------------------------------------
// One client connection
// ---------------------------------------------------------------------------------------------

type TxStatus = "I" | "T" | "E";

class GateConnection {
  private readonly upstream: net.Socket;
  private readonly fromClient = new MessageFramer();
  private readonly fromUpstream = new MessageFramer();
  private startupDone = false;
  /** Complete client messages not yet forwarded (waiting for the turn, or for a reply). */
  private readonly inbox: Buffer[] = [];
  /** Forwarded client cycles still waiting for their ReadyForQuery. */
  private pendingCycles = 0;
  /** Cycles the gate sent on its own (restoring settings): their answers are not forwarded. */
  private injectedCycles = 0;
  private txStatus: TxStatus = "I";
  private copyIn = false;
  private gone = false;
  private upstreamClosed = false;
  /** Reported settings as this client last saw them. */
  private readonly settings = new Map<string, string>();
  /** This client's named prepared statements, as named in the backend. */
  private readonly statements = new Set<string>();
  private readonly statementPrefix: string;
  /** Called when the last pending cycle ends after the client has gone (clean-up in progress). */
  private onSettled: (() => void) | null = null;

  constructor(
    private readonly gate: SessionGate,
    private readonly client: net.Socket,
    id: number,
    upstreamHost: string,
    upstreamPort: number,
  ) {
    this.statementPrefix = `_gate${id}_`;
    client.setNoDelay(true);
    this.upstream = net.connect({ host: upstreamHost, port: upstreamPort });
    this.upstream.setNoDelay(true);

    client.on("data", (chunk: Buffer) => this.onClientData(chunk));
    client.on("error", () => this.onClientGone());
    client.on("close", () => this.onClientGone());
    this.upstream.on("data", (chunk: Buffer) => this.onUpstreamData(chunk));
    this.upstream.on("error", () => this.onUpstreamClosed());
    this.upstream.on("close", () => this.onUpstreamClosed());
  }

  /** Holding the backend with nothing in flight: waiting on the client. */
  get idleWhileHolding(): boolean {
    return (
      !this.gone && this.pendingCycles === 0 && this.injectedCycles === 0 && this.inbox.length === 0
    );
  }

  /** Refuses the client with a FATAL error and disconnects it (timeouts, shutdown). */
  terminate(sqlState: string, message: string): void {
    if (this.gone) return;
    if (this.client.writable) this.client.write(errorResponse("FATAL", sqlState, message));
    this.client.end();
    this.client.destroy();
    this.onClientGone();
  }

  // --- client -> backend ----------------------------------------------------------------------

  private onClientData(chunk: Buffer): void {
    if (this.gone) return;
    this.fromClient.push(chunk);
    try {
      while (!this.startupDone) {
        const packet = this.fromClient.nextStartupPacket();
        if (!packet) return;
        if (!this.handleStartupPacket(packet)) return;
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

  /** Returns false when the connection ended. */
  private handleStartupPacket(packet: Buffer): boolean {
    const code = packet.readInt32BE(4);
    if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
      // No TLS on a loopback-only server: "N" tells the client to go on in plain text.
      this.client.write("N");
      return true;
    }
    if (code === CANCEL_REQUEST_CODE) {
      // PGlite cannot interrupt a running query; the protocol expects no answer.
      this.client.destroy();
      this.onClientGone();
      return false;
    }
    const major = code >>> 16;
    const minor = code & 0xffff;
    if (major !== PROTOCOL_3) {
      this.terminate("0A000", `unsupported frontend protocol ${major}.${minor}: server supports 3.0`);
      return false;
    }
    this.startupDone = true;
    // Answered here: PGlite's session is already running and ignores startup parameters, so
    // forwarding the packet would only make the client wait for another client's transaction.
    const requested = startupSettings(packet);
    const replies: Buffer[] = [];
    if (minor > 0) {
      // NegotiateProtocolVersion: 3.0, no protocol options (`_pq_.*`) understood.
      replies.push(typedMessage("v", int32(0), int32(0)));
    }
    replies.push(AUTHENTICATION_OK);
    for (const [name, value] of this.gate.defaultSettings) {
      const own = requested.get(name) ?? value;
      this.settings.set(name, own);
      replies.push(parameterStatus(name, own));
    }
    for (const [name, value] of requested) {
      if (!this.settings.has(name)) {
        this.settings.set(name, value);
        replies.push(parameterStatus(name, value));
      }
    }
    if (this.gate.backendKeyData) replies.push(this.gate.backendKeyData);
    replies.push(READY_IDLE);
    this.client.write(Buffer.concat(replies));
    return true;
  }

  /** The turn has just been given to this connection. */
  onTurn(): void {
    const statements: Buffer[] = [];
    for (const name of this.gate.takeOrphanedStatements()) {
      statements.push(typedMessage("C", Buffer.from("S", "latin1"), cstring(name)));
    }
    if (statements.length > 0) {
      statements.push(SYNC);
      this.injectedCycles++;
      this.upstream.write(Buffer.concat(statements));
    }
    const changes: string[] = [];
    for (const [name, value] of this.settings) {
      if (!RESTORED_NAMES.has(name)) continue;
      if (this.gate.sessionSettings.get(name) !== value) {
        changes.push(`pg_catalog.set_config(${quoteLiteral(name)}, ${quoteLiteral(value)}, false)`);
      }
    }
    if (changes.length > 0) {
      this.injectedCycles++;
      this.upstream.write(typedMessage("Q", cstring(`SELECT ${changes.join(", ")}`)));
    }
    this.pump();
  }

  /** Forwards queued messages while this connection holds the backend. */
  pump(): void {
    while (this.gate.holder === this && this.inbox.length > 0 && this.injectedCycles === 0) {
      const message = this.inbox[0]!;
      const type = message.toString("latin1", 0, 1);
      // One cycle at a time: what the client sent after a Sync waits for that Sync's answer,
      // so the backend can be handed to someone else in between if the session is then idle.
      if (this.pendingCycles > 0 && !(this.copyIn && COPY_IN_MESSAGES.has(type))) break;
      this.inbox.shift();
      this.upstream.write(this.renameStatements(type, message));
      if (CYCLE_END.has(type)) this.pendingCycles++;
    }
    this.gate.holderActivity(this);
  }

  /**
   * Gives named prepared statements and portals this connection's prefix: Parse, Bind,
   * Describe, Close and Execute name them; the unnamed ones ("") stay as they are.
   */
  private renameStatements(type: string, message: Buffer): Buffer {
    if (!"PBDCE".includes(type)) return message;
    const rename = (name: string) => (name === "" ? "" : this.statementPrefix + name);
    const reader = new CStringReader(message, 5);
    switch (type) {
      case "P": {
        const name = reader.read();
        if (name === "") return message;
        this.statements.add(rename(name));
        return typedMessage("P", cstring(rename(name)), reader.rest());
      }
      case "B": {
        const portal = reader.read();
        const statement = reader.read();
        if (portal === "" && statement === "") return message;
        return typedMessage("B", cstring(rename(portal)), cstring(rename(statement)), reader.rest());
      }
      case "D":
      case "C": {
        const kind = message.toString("latin1", 5, 6);
        reader.offset = 6;
        const name = reader.read();
        if (name === "") return message;
        if (type === "C" && kind === "S") this.statements.delete(rename(name));
        return typedMessage(type, Buffer.from(kind, "latin1"), cstring(rename(name)), reader.rest());
      }
      default: {
        const portal = reader.read();
        if (portal === "") return message;
        return typedMessage("E", cstring(rename(portal)), reader.rest());
      }
    }
  }

  // --- backend -> client ----------------------------------------------------------------------

  private onUpstreamData(chunk: Buffer): void {
    this.fromUpstream.push(chunk);
    const forward: Buffer[] = [];
    let runPump = false;
    try {
      for (let message = this.fromUpstream.next(); message; message = this.fromUpstream.next()) {
        const type = message.toString("latin1", 0, 1);
        const injected = this.injectedCycles > 0;
        if (type === "S") {
          const [name, value] = parseParameterStatus(message);
          this.gate.sessionSettings.set(name, value);
          if (!injected) this.settings.set(name, value);
        }
        if (injected) {
          if (type === "Z" && --this.injectedCycles === 0) runPump = true;
          continue;
        }
        forward.push(message);
        if (type === "G" || type === "W") {
          this.copyIn = true;
          runPump = true;
        } else if (type === "Z") {
          this.copyIn = false;
          this.txStatus = message.toString("latin1", 5, 6) as TxStatus;
          this.pendingCycles = Math.max(0, this.pendingCycles - 1);
          if (this.pendingCycles === 0) {
            // Answers before state changes: cycleDone may hand the backend on.
            this.flushToClient(forward);
            this.cycleDone();
          }
        }
      }
    } catch {
      this.upstream.destroy();
      return;
    }
    this.flushToClient(forward);
    if (runPump) this.pump();
  }

  private flushToClient(messages: Buffer[]): void {
    if (messages.length === 0) return;
    if (!this.gone && this.client.writable) this.client.write(Buffer.concat(messages));
    messages.length = 0;
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

  // --- departure ------------------------------------------------------------------------------

  private onClientGone(): void {
    if (this.gone) return;
    this.gone = true;
    this.inbox.length = 0;
    this.gate.forget(this);
    this.gate.orphanStatements(this.statements);
    this.statements.clear();
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
    if (!this.upstreamClosed) this.upstream.end();
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

// ---------------------------------------------------------------------------------------------
// The gate
// ---------------------------------------------------------------------------------------------

/** TCP front of the embedded database; see the module comment. */
export class SessionGate {
  holder: GateConnection | null = null;
  /** Reported settings a new connection starts with (the backend's, before anyone changed them). */
  readonly defaultSettings = new Map<string, string>();
  /** Reported settings as the backend session has them now. */
  readonly sessionSettings = new Map<string, string>();
  /** The backend's BackendKeyData message, passed on to each client at startup. */
  backendKeyData: Buffer | null = null;
  private readonly waiting: GateConnection[] = [];
  private readonly connections = new Set<GateConnection>();
  private readonly held: net.Socket[] = [];
  private orphanedStatements: string[] = [];
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly server: net.Server;
  private upstreamPort: number | null = null;
  private nextId = 1;
  private drained: (() => void) | null = null;

  constructor(private readonly options: SessionGateOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Listens on the public port. Connections wait until {@link attachUpstream}. */
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
   * Starts serving through the socket server on `port`. Learns the backend's reported settings
   * first, with one startup handshake, so the gate can answer the clients' handshakes itself.
   */
  async attachUpstream(port: number): Promise<void> {
    await this.probeBackend(port);
    this.upstreamPort = port;
    for (const socket of this.held.splice(0)) {
      this.accept(socket);
      socket.resume();
    }
  }

  private probeBackend(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.options.upstreamHost, port });
      const framer = new MessageFramer();
      const timer = setTimeout(() => fail(new Error("no answer to the startup handshake")), 30_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`The embedded database did not start: ${error.message}`, { cause: error }));
      };
      socket.on("error", fail);
      socket.on("data", (chunk: Buffer) => {
        framer.push(chunk);
        try {
          for (let message = framer.next(); message; message = framer.next()) {
            const type = message.toString("latin1", 0, 1);
            if (type === "S") {
              const [name, value] = parseParameterStatus(message);
              this.defaultSettings.set(name, value);
              this.sessionSettings.set(name, value);
            } else if (type === "K") {
              this.backendKeyData = Buffer.from(message);
            } else if (type === "E") {
              throw new Error(`startup refused: ${message.toString("utf8", 5).replaceAll("\0", " ")}`);
            } else if (type === "Z") {
              clearTimeout(timer);
              socket.end();
              resolve();
              return;
            }
          }
        } catch (error) {
          fail(error as Error);
        }
      });
      const body = Buffer.concat([
        int32(PROTOCOL_3 << 16),
        cstring("user"),
        cstring("postgres"),
        cstring("database"),
        cstring("postgres"),
        Buffer.from([0]),
      ]);
      socket.write(Buffer.concat([int32(4 + body.length), body]));
    });
  }

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
    const id = this.nextId++;
    this.connections.add(
      new GateConnection(this, socket, id, this.options.upstreamHost, this.upstreamPort),
    );
  }

  /** A connection has a message to send: give it the backend now or queue it. */
  request(connection: GateConnection): void {
    if (this.holder === connection) {
      connection.pump();
      return;
    }
    if (this.holder === null) {
      this.holder = connection;
      connection.onTurn();
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
      next.onTurn();
    }
  }

  /** Drops a departed connection from the queue (it no longer needs the backend). */
  forget(connection: GateConnection): void {
    const index = this.waiting.indexOf(connection);
    if (index !== -1) this.waiting.splice(index, 1);
  }

  /** Named statements of a departed client, closed at the start of the next turn. */
  orphanStatements(names: Iterable<string>): void {
    this.orphanedStatements.push(...names);
  }

  takeOrphanedStatements(): string[] {
    const names = this.orphanedStatements;
    this.orphanedStatements = [];
    return names;
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
      // Waiting clients first, so none of them is handed the backend while it stops.
      const holder = this.holder;
      const others = [...this.connections].filter((connection) => connection !== holder);
      for (const connection of holder ? [...others, holder] : others) {
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
