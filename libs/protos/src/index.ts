import { loadPackageDefinition } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import type { ProtoGrpcType as ConsentProtoType } from "./generated/consent_service.js";
import type { ProtoGrpcType as DispatchProtoType } from "./generated/dispatch_service.js";
import { PROTO_LOADER_OPTIONS, type ProtoDomain, protoPath } from "./options.js";

export { PROTO_FILES, PROTO_LOADER_OPTIONS, PROTO_ROOT, type ProtoDomain, protoPath } from "./options.js";

export type ConsentV1 = ConsentProtoType["chorus"]["consent"]["v1"];
export type DispatchV1 = DispatchProtoType["chorus"]["dispatch"]["v1"];

const cache = new Map<ProtoDomain, unknown>();

function load<T>(domain: ProtoDomain): T {
  let pkg = cache.get(domain);
  if (!pkg) {
    // The same options the generated types were produced with (see options.ts).
    pkg = loadPackageDefinition(loadSync(protoPath(domain), PROTO_LOADER_OPTIONS));
    cache.set(domain, pkg);
  }
  return pkg as T;
}

/** `chorus.consent.v1`: the ConsentService client constructor and its service definition. */
export function consentV1(): ConsentV1 {
  return load<ConsentProtoType>("consent").chorus.consent.v1;
}

/** `chorus.dispatch.v1`. */
export function dispatchV1(): DispatchV1 {
  return load<DispatchProtoType>("dispatch").chorus.dispatch.v1;
}
