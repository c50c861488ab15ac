/**
 * The latency floor for the Check benchmark: a bare grpc-js server with the ConsentService
 * definition whose Check answers a constant ALLOW (every other method UNIMPLEMENTED). No store,
 * no NATS, no decision — what is left is grpc-js, HTTP/2, Node and the machine. check.ts runs it in
 * its own process after the service's Check phase and drives it with the same ghz load.
 *
 * Prints `port <n>` once listening; stops on SIGTERM / SIGINT.
 */

import { consentV1 } from "@chorus/protos";
import { Server, ServerCredentials, type sendUnaryData, status } from "@grpc/grpc-js";

const definition = consentV1().ConsentService.service;
const unimplemented = (_call: unknown, callback: sendUnaryData<unknown>) =>
  callback({ code: status.UNIMPLEMENTED, details: "floor server: Check only" });
const handlers: Record<string, unknown> = Object.fromEntries(
  Object.keys(definition).map((name) => [name, unimplemented]),
);
handlers.Check = (_call: unknown, callback: sendUnaryData<unknown>) =>
  callback(null, {
    decision: "DECISION_ALLOW",
    detail: "allowed: floor server",
    normalizedTo: "+12125550100",
  });

const server = new Server();
server.addService(definition, handlers as never);
server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log(`port ${port}`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => server.tryShutdown(() => process.exit(0)));
}
