import {
  type CallOptions,
  type Client,
  credentials,
  Metadata,
  type requestCallback,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { HealthImplementation, protoPath as healthProtoPath } from "grpc-health-check";
import { DomainError, fromGrpcError, toGrpcError } from "./errors.js";
import type { Logger } from "./log.js";
import { extractTraceContext, injectTraceHeaders, SpanKind, tracingEnabled, withSpan } from "./telemetry.js";

export { Metadata, status as GrpcStatus } from "@grpc/grpc-js";

/** An async unary handler: return the response, or throw (a DomainError maps to its status). */
export type AsyncUnary<Req, Res> = (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>;

/**
 * Adapts async handlers to grpc-js callbacks. With tracing on, every call gets a server span
 * continuing the caller's trace; errors are mapped in one place (errors.ts), and unexpected ones
 * (a synchronous throw included) are logged in full but answered with a generic INTERNAL.
 */
export function asyncHandlers<H extends Record<string, AsyncUnary<never, unknown>>>(
  serviceName: string,
  handlers: H,
  log: Logger,
): UntypedServiceImplementation {
  const impl: UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(handlers)) {
    const run = handler as AsyncUnary<unknown, unknown>;
    impl[method] = (call: ServerUnaryCall<unknown, unknown>, callback: requestCallback<unknown>) => {
      let answer: Promise<unknown>;
      try {
        answer = tracingEnabled()
          ? withSpan(
              `${serviceName}/${method}`,
              {
                kind: SpanKind.SERVER,
                parent: extractTraceContext(call.metadata.getMap() as Record<string, string>),
                attributes: { "rpc.system": "grpc", "rpc.method": method },
              },
              async () => await run(call.request, call),
            )
          : Promise.resolve(run(call.request, call));
      } catch (err) {
        answer = Promise.reject(err);
      }
      answer.then(
        (res) => callback(null, res),
        (err: unknown) => {
          if (!(err instanceof DomainError)) log.error({ err, method }, "grpc handler failed");
          const payload = toGrpcError(err);
          const error = Object.assign(new Error(payload.details), payload);
          return callback(error);
        },
      );
    };
  }
  return impl;
}

export interface GrpcServerOptions {
  host: string;
  port: number;
  log: Logger;
  services: Array<{
    name: string;
    definition: ServiceDefinition;
    implementation: UntypedServiceImplementation;
  }>;
}

export interface RunningGrpcServer {
  port: number;
  health: HealthImplementation;
  /** Marks every service (and the server as a whole, "") SERVING or NOT_SERVING. */
  setServing(serving: boolean): void;
  /** Stops taking new calls, lets in-flight ones finish within `timeoutMs`, then forces. */
  shutdown(timeoutMs: number): Promise<void>;
}

/**
 * Channelz (grpc-js's per-call bookkeeping for the channelz debug service) is off on servers and
 * clients: Chorus does not serve channelz, and it costs every call a tracker and timestamps.
 */
const CHANNELZ_OFF = { "grpc.enable_channelz": 0 };

/** A gRPC server with the standard health service (grpc.health.v1) registered. */
export async function startGrpcServer(opts: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new Server({ "grpc.max_receive_message_length": 64 * 1024 * 1024, ...CHANNELZ_OFF });
  const names = ["", ...opts.services.map((s) => s.name)];
  const health = new HealthImplementation(Object.fromEntries(names.map((n) => [n, "NOT_SERVING"])));
  health.addToServer(server);
  for (const s of opts.services) server.addService(s.definition, s.implementation);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${opts.host}:${opts.port}`, ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
  const setServing = (serving: boolean) => {
    for (const n of names) health.setStatus(n, serving ? "SERVING" : "NOT_SERVING");
  };
  setServing(true);
  return {
    port,
    health,
    setServing,
    async shutdown(timeoutMs) {
      setServing(false);
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, timeoutMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

export interface CallOpts {
  /** Per-call deadline; every call has one (the client's default when not given). */
  deadlineMs?: number;
  metadata?: Metadata;
}

type UnaryMethodOf<F> = F extends (argument: infer Req, callback: requestCallback<infer Res>) => unknown
  ? (request: Req, opts?: CallOpts) => Promise<Res>
  : never;

/** The promise-returning view of a generated client: `await client.Check(req)`. */
export type PromiseClient<C> = {
  [K in keyof C as K extends string ? (K extends Capitalize<K> ? K : never) : never]: UnaryMethodOf<C[K]>;
};

export interface ClientOptions {
  /** Default deadline for every call. */
  deadlineMs: number;
}

/**
 * Wraps a generated grpc-js client: each call gets a deadline, a client span and trace context in its
 * metadata (with tracing on), and errors turned back into DomainErrors (so `err.code` is the
 * machine-readable code).
 */
export function promiseClient<C extends Client>(
  client: C,
  opts: ClientOptions,
): PromiseClient<C> & { close(): void } {
  const wrapped: Record<string, unknown> = {
    close: () => client.close(),
  };
  const proto = Object.getPrototypeOf(client) as Record<string, unknown>;
  for (const method of Object.keys(proto)) {
    if (method[0] !== method[0]?.toUpperCase() || typeof proto[method] !== "function") continue;
    const call = (request: unknown, callOpts: CallOpts, traced: boolean) =>
      new Promise((resolve, reject) => {
        const md = callOpts.metadata ?? new Metadata();
        if (traced) for (const [k, v] of Object.entries(injectTraceHeaders())) md.set(k, v);
        const options: CallOptions = { deadline: Date.now() + (callOpts.deadlineMs ?? opts.deadlineMs) };
        (proto[method] as (...a: unknown[]) => unknown).call(
          client,
          request,
          md,
          options,
          (err: unknown, res: unknown) => (err ? reject(fromGrpcError(err)) : resolve(res)),
        );
      });
    wrapped[method] = (request: unknown, callOpts: CallOpts = {}) =>
      tracingEnabled()
        ? withSpan(
            `${client.constructor.name}/${method}`,
            { kind: SpanKind.CLIENT, attributes: { "rpc.system": "grpc", "rpc.method": method } },
            () => call(request, callOpts, true),
          )
        : call(request, callOpts, false);
  }
  return wrapped as PromiseClient<C> & { close(): void };
}

/** Creates a client for `address` ("host:port" or a gRPC target like "dns:///name:port"). */
export function createClient<C extends Client>(
  Ctor: new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options?: object) => C,
  address: string,
  opts: ClientOptions,
): PromiseClient<C> & { close(): void } {
  const client = new Ctor(address, credentials.createInsecure(), {
    // round_robin spreads calls over every address the name resolves to: with a headless
    // Kubernetes Service (`dns:///consent-headless:50051`) that is every replica, not just one.
    // With a single address it behaves like the default pick_first.
    "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    "grpc.keepalive_time_ms": 30_000,
    "grpc.max_receive_message_length": 64 * 1024 * 1024,
    ...CHANNELZ_OFF,
  });
  return promiseClient(client, opts);
}

/** Asks a server's standard health service for its status ("SERVING", "NOT_SERVING", …). */
export async function checkHealth(address: string, service = "", deadlineMs = 1_000): Promise<string> {
  const { loadPackageDefinition } = await import("@grpc/grpc-js");
  const pkg = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
    grpc: {
      health: { v1: { Health: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => Client } };
    };
  };
  const client = new pkg.grpc.health.v1.Health(address, credentials.createInsecure());
  try {
    return await new Promise<string>((resolve, reject) => {
      (client as unknown as { check: (...a: unknown[]) => void }).check(
        { service },
        { deadline: Date.now() + deadlineMs },
        (err: Error | null, res: { status: string }) => (err ? reject(err) : resolve(res.status)),
      );
    });
  } finally {
    client.close();
  }
}
