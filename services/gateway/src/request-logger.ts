import type { Logger } from "@chorus/chassis/log";

type Bindings = Parameters<Logger["child"]>[0];
type ChildLoggerOptions = Parameters<Logger["child"]>[1];

const REAL = Symbol("requestLogger.real");
const BINDINGS = Symbol("requestLogger.bindings");

interface LazyLogger {
  [REAL]?: Logger;
  [BINDINGS]: Bindings;
}

/**
 * A fastify `childLoggerFactory` whose per-request logger (`request.log`, bound to the request id)
 * is created only when something is actually logged at an enabled level.
 *
 * Fastify makes a pino child for every request; with the chassis logger's redaction that costs a
 * few percent of the gateway's CPU per request, although almost no request logs anything at the
 * configured level. The object returned here behaves as that child: its level methods check the
 * level (as the child, which inherits its parent's level, would) and on first use create the real
 * child with the same bindings, to which every later call goes; the lines logged are the child's.
 * Requests of routes with their own log level or serializers get a real child at once.
 */
export function lazyChildLoggerFactory() {
  const prototypes = new WeakMap<Logger, object>();
  return (logger: Logger, bindings: Bindings, opts: ChildLoggerOptions | undefined): Logger => {
    if (opts && Object.keys(opts).length > 0) return logger.child(bindings, opts) as unknown as Logger;
    let proto = prototypes.get(logger);
    if (!proto) {
      proto = lazyPrototype(logger);
      prototypes.set(logger, proto);
    }
    const lazy = Object.create(proto) as LazyLogger;
    lazy[BINDINGS] = bindings;
    return lazy as unknown as Logger;
  };
}

function lazyPrototype(parent: Logger): object {
  const real = (self: LazyLogger): Logger => {
    let child = self[REAL];
    if (!child) {
      child = parent.child(self[BINDINGS]);
      self[REAL] = child;
    }
    return child;
  };
  // Anything not defined here (levels, isLevelEnabled, flush, …) is the parent's, read through the
  // prototype chain, which is what a child without options sees too.
  const proto = Object.create(parent) as Record<PropertyKey, unknown>;
  for (const level of Object.keys(parent.levels.values)) {
    proto[level] = function (this: LazyLogger, ...args: unknown[]) {
      const child = this[REAL];
      if (!child && !parent.isLevelEnabled(level)) return;
      const target = child ?? real(this);
      return (target[level as keyof Logger] as (...a: unknown[]) => unknown).apply(target, args);
    };
  }
  for (const method of ["child", "bindings", "setBindings", "flush"] as const) {
    proto[method] = function (this: LazyLogger, ...args: unknown[]) {
      const target = real(this);
      return (target[method] as (...a: unknown[]) => unknown).apply(target, args);
    };
  }
  proto.isLevelEnabled = function (this: LazyLogger, level: string) {
    return (this[REAL] ?? parent).isLevelEnabled(level);
  };
  Object.defineProperty(proto, "level", {
    get(this: LazyLogger) {
      return (this[REAL] ?? parent).level;
    },
    set(this: LazyLogger, level: string) {
      real(this).level = level;
    },
  });
  Object.defineProperty(proto, "levelVal", {
    get(this: LazyLogger) {
      return (this[REAL] ?? parent).levelVal;
    },
  });
  return proto;
}
