import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Options } from "@grpc/proto-loader";

/** The one proto tree (repo root `protos/`), never copied into services. */
export const PROTO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../protos");

/**
 * Runtime `loadSync` options. The type generator's flags are derived from this same object (see
 * scripts/generate.ts), so generated types always describe what the loader actually produces:
 * camelCase fields, enums as their string names, 64-bit ints as strings, defaults filled in,
 * and oneof virtual fields.
 */
export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
} satisfies Options;

/** Every service's proto file, relative to PROTO_ROOT. */
export const PROTO_FILES = {
  consent: "chorus/consent/v1/consent_service.proto",
  dispatch: "chorus/dispatch/v1/dispatch_service.proto",
} as const;

export type ProtoDomain = keyof typeof PROTO_FILES;

export function protoPath(domain: ProtoDomain): string {
  return join(PROTO_ROOT, PROTO_FILES[domain]);
}
